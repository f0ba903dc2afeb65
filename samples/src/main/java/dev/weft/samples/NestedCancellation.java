package dev.weft.samples;

import static dev.weft.samples.Check.millisSince;

import dev.weft.CancelledException;
import dev.weft.Context;
import dev.weft.DeadlineExceededException;
import dev.weft.Scope;
import dev.weft.Subtask;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nested scopes: a scope opened inside another one is its child, as a Go context derived from
 * another one is.
 *
 * <p>Go idioms:
 * <ul>
 *   <li>{@code ctx, cancel := context.WithCancelCause(parent)} and {@code cancel(err)}: the
 *       cancellation reaches every context derived from {@code ctx}, and
 *       {@code context.Cause(child) == err}; cancelling a child leaves its parent alone;</li>
 *   <li>{@code context.WithTimeout(parent, 5*time.Second)} under a parent that ends sooner keeps
 *       the parent's deadline: the earlier deadline wins, in both directions;</li>
 *   <li>{@code stop := context.AfterFunc(ctx, f)}: {@code f} runs on its own goroutine when
 *       {@code ctx} is done, and {@code stop()} reports whether it prevented that.</li>
 * </ul>
 */
public final class NestedCancellation implements Scenario {
    private static final Logger LOG = LoggerFactory.getLogger(NestedCancellation.class);

    public static void main(String[] args) {
        Tour.exit(Tour.run(List.of(new NestedCancellation())));
    }

    @Override
    public String title() {
        return "Nested scopes and cancellation";
    }

    @Override
    public String goIdiom() {
        return "context.WithCancelCause / WithTimeout on a parent ctx, context.Cause, context.AfterFunc";
    }

    @Override
    public void run() throws Exception {
        parentCancelReachesChild();
        childCancelStaysInside();
        earlierDeadlineWins();
        onCancelRunsTheCallback();
    }

    private void parentCancelReachesChild() throws InterruptedException {
        var shutdown = new IllegalStateException("server shutting down"); // Go: cancel(err) of WithCancelCause
        var workStarted = new CountDownLatch(1);
        var workInterrupted = new AtomicBoolean();
        CancelledException requestError = null;
        Throwable childCause;

        try (var server = Scope.open(c -> c.withName("server"))) {
            // An admin task that shuts the server down once the request's work is under way.
            server.fork(() -> {
                workStarted.await();
                LOG.info("admin: cancelling 'server' with: {}", shutdown.toString());
                server.cancel(shutdown);
            });
            // Opened while `server` is current, so it is a child of `server` (as a helper method's
            // scope is a child of its caller's).
            try (var request = Scope.open(c -> c.withName("request"))) {
                request.fork(() -> {
                    workStarted.countDown();
                    try {
                        Thread.sleep(Duration.ofSeconds(10)); // simulated long work
                    } catch (InterruptedException e) {
                        workInterrupted.set(true);
                        throw e;
                    }
                });
                try {
                    request.join();
                } catch (CancelledException e) {
                    requestError = e;
                }
                childCause = request.context().cause().orElse(null);
            }
            server.join();
        }
        LOG.info("request.join() threw {}; its cause(): {}", String.valueOf(requestError),
                requestError == null ? "-" : requestError.cause().toString());
        LOG.info("the child's work was interrupted: {}; Context.cause() of the child: {}", workInterrupted.get(),
                String.valueOf(childCause));

        Check.that(requestError != null, "request.join() to throw CancelledException");
        Check.that(requestError.cause() == shutdown,
                "the join error's cause() to be the parent's cancel cause, was " + requestError.cause());
        Check.that(workInterrupted.get(), "the child scope's task to be interrupted");
        Check.that(childCause == shutdown, "the child's Context.cause() to be the parent's cause, was " + childCause);
    }

    private void childCancelStaysInside() throws InterruptedException {
        try (var parent = Scope.open(c -> c.withName("parent"))) {
            try (var child = Scope.open(c -> c.withName("child"))) {
                child.cancel();
                child.join();
            }
            LOG.info("after cancelling 'child': child cancelled, parent cancelled = {}", parent.isCancelled());
            Check.that(!parent.isCancelled(), "cancelling a child to leave its parent alone");
            parent.join();
        }
    }

    private void earlierDeadlineWins() throws InterruptedException {
        Instant outerDeadline;
        Instant innerDeadline;
        Duration innerRemaining;
        Throwable innerJoinError = null;
        Throwable outerJoinError = null;

        long start = System.nanoTime();
        try (var outer = Scope.open(c -> c.withName("outer").withTimeout(Duration.ofMillis(250)))) {
            outerDeadline = outer.context().deadline().orElseThrow();
            outer.fork(() -> Thread.sleep(Duration.ofSeconds(10))); // simulated long work
            try (var inner = Scope.open(c -> c.withName("inner").withTimeout(Duration.ofSeconds(5)))) {
                innerDeadline = inner.context().deadline().orElseThrow();
                innerRemaining = inner.context().remaining().orElseThrow();
                inner.fork(() -> Thread.sleep(Duration.ofSeconds(10))); // simulated long work
                try {
                    inner.join();
                } catch (DeadlineExceededException e) {
                    innerJoinError = e;
                }
            }
            try {
                outer.join();
            } catch (DeadlineExceededException e) {
                outerJoinError = e;
            }
        }
        long took = millisSince(start);
        LOG.info("inner asked for 5 s under a 250 ms outer: its deadline is the outer's: {}; remaining() was {} ms",
                innerDeadline.equals(outerDeadline), innerRemaining.toMillis());
        LOG.info("both joins threw DeadlineExceededException after {} ms: inner {}, outer {}", took,
                innerJoinError != null, outerJoinError != null);

        Check.equal(outerDeadline, innerDeadline, "the inner scope's deadline");
        Check.that(innerRemaining.compareTo(Duration.ofMillis(250)) <= 0,
                "the inner remaining() to be at most 250 ms, was " + innerRemaining);
        Check.that(innerJoinError != null, "inner.join() to throw DeadlineExceededException");
        Check.that(outerJoinError != null, "outer.join() to throw DeadlineExceededException");
        Check.that(took >= 240 && took < 2_000, "the 250 ms deadline to end both scopes, took " + took + " ms");

        // The other direction: a shorter inner deadline ends only the inner call.
        try (var outer = Scope.open(c -> c.withName("outer").withTimeout(Duration.ofSeconds(5)))) {
            Subtask<String> answer = outer.fork(() -> {
                Optional<String> quick = Scope.withTimeoutOrEmpty(Duration.ofMillis(50), () -> {
                    Thread.sleep(Duration.ofSeconds(10)); // simulated slow call
                    return "too late";
                });
                Check.that(!Context.current().isCancelled(), "the outer scope to outlive the inner 50 ms deadline");
                return quick.orElse("fallback");
            });
            outer.join();
            LOG.info("a 50 ms inner deadline under a 5 s outer gave: {}", answer.get());
            Check.equal("fallback", answer.get(), "the result after the inner timeout");
        }
    }

    private void onCancelRunsTheCallback() throws InterruptedException {
        var released = new CountDownLatch(1);
        var causeSeen = new AtomicReference<Throwable>();
        var auditRan = new AtomicBoolean();
        boolean auditPrevented;
        boolean leaseStopAfterwards;

        try (var session = Scope.open(c -> c.withName("session").withTimeout(Duration.ofMillis(100)))) {
            Context ctx = Context.current();
            Context.Registration lease = ctx.onCancel(() -> { // Go: stop := context.AfterFunc(ctx, f)
                causeSeen.set(ctx.cause().orElse(null));
                LOG.info("onCancel on thread '{}': releasing the lease because: {}", Thread.currentThread().getName(),
                        causeSeen.get().getMessage());
                released.countDown();
            });
            Context.Registration audit = ctx.onCancel(() -> auditRan.set(true));
            auditPrevented = audit.stop(); // true: this call prevented the callback

            session.fork(() -> Thread.sleep(Duration.ofSeconds(10))); // simulated work that outlives the deadline
            try {
                session.join();
            } catch (DeadlineExceededException e) {
                LOG.info("session.join() threw DeadlineExceededException");
            }
            Check.that(released.await(5, TimeUnit.SECONDS), "the onCancel callback to run when the deadline passed");
            leaseStopAfterwards = lease.stop(); // false: the callback has already started
        }

        Check.that(causeSeen.get() instanceof DeadlineExceededException,
                "the callback to see the deadline as the cause, saw " + causeSeen.get());
        Check.that(auditPrevented, "stop() before the cancellation to return true");
        Check.that(!auditRan.get(), "a stopped callback never to run");
        Check.that(!leaseStopAfterwards, "stop() after the callback started to return false");
    }
}
