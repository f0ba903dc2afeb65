package dev.weft;

import static dev.weft.TestSupport.await;
import static dev.weft.TestSupport.blockUntilInterrupted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.time.ManualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scope.withTimeout / withDeadline / withTimeoutOrEmpty / withDeadlineOrEmpty. The one-liner is
 * called from a task of an outer scope on a ManualTime clock, so the test thread (the outer
 * owner) can advance the time while the one-liner waits.
 */
@ExtendWith(LeakCheckExtension.class)
class OneLinerTest {
    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    private final ManualTime time = new ManualTime();
    private final CountDownLatch bodyStarted = new CountDownLatch(1);
    private final AtomicBoolean bodyEnded = new AtomicBoolean();

    /** A body that signals it started, blocks until interrupted and records that it ended. */
    private Void blockingBody() throws InterruptedException {
        bodyStarted.countDown();
        try {
            return blockUntilInterrupted();
        } finally {
            bodyEnded.set(true);
        }
    }

    /** What a one-liner called in a task returned or threw, and whether the body had ended by then. */
    private record Outcome(Object value, Throwable thrown, boolean bodyEndedFirst) {}

    private Subtask<Outcome> forkCall(Scope outer, Callable<?> oneLiner) {
        return outer.fork(() -> {
            try {
                Object v = oneLiner.call();
                return new Outcome(v, null, bodyEnded.get());
            } catch (Throwable t) {
                return new Outcome(null, t, bodyEnded.get());
            }
        });
    }

    @Test
    void withTimeoutReturnsTheBodysResultComputedInAFork() throws Exception {
        Thread caller = Thread.currentThread();
        String result = Scope.withTimeout(ONE_SECOND, () -> {
            assertNotSame(caller, Thread.currentThread(), "the body runs in a fork");
            assertTrue(Context.current().deadline().isPresent(), "the body runs under the timeout");
            return "ok";
        });
        assertEquals("ok", result);
        assertSame(Context.ROOT, Context.current());
    }

    @Test
    void withTimeoutThrowsDeadlineExceededAfterTheBodyWasInterruptedAndEnded() throws Exception {
        try (Scope outer = Scope.open(c -> c.withTimeSource(time))) {
            Subtask<Outcome> call = forkCall(outer, () -> Scope.withTimeout(ONE_SECOND, this::blockingBody));
            await(bodyStarted);
            time.advance(ONE_SECOND);
            outer.join();
            Outcome o = call.get();
            assertInstanceOf(DeadlineExceededException.class, o.thrown());
            assertTrue(o.bodyEndedFirst(), "the one-liner returned before its body ended");
        }
    }

    @Test
    void withTimeoutReportsABodyFailureAsAScopeFailure() throws Exception {
        IllegalStateException boom = new IllegalStateException("boom");
        ScopeFailedException e = assertThrows(ScopeFailedException.class, () -> Scope.withTimeout(ONE_SECOND, () -> {
            throw boom;
        }));
        assertSame(boom, e.getCause());
    }

    @Test
    void withDeadlineReturnsTheResultBeforeTheDeadlineAndThrowsAtIt() throws Exception {
        assertEquals(5, Scope.withDeadline(Instant.now().plusSeconds(60), () -> 5));
        try (Scope outer = Scope.open(c -> c.withTimeSource(time))) {
            Instant deadline = time.now().plusSeconds(2);
            Subtask<Outcome> call = forkCall(outer, () -> Scope.withDeadline(deadline, this::blockingBody));
            await(bodyStarted);
            time.advance(Duration.ofSeconds(2));
            outer.join();
            assertInstanceOf(DeadlineExceededException.class, call.get().thrown());
            assertTrue(call.get().bodyEndedFirst());
        }
    }

    @Test
    void withDeadlineAlreadyPastFailsAtOnceWithoutRunningTheBody() {
        AtomicBoolean ran = new AtomicBoolean();
        assertThrows(DeadlineExceededException.class,
                () -> Scope.withDeadline(Instant.now().minusSeconds(1), () -> ran.getAndSet(true)));
        assertEquals(Optional.empty(), assertDoesNotThrowOptional(
                () -> Scope.withDeadlineOrEmpty(Instant.now().minusSeconds(1), () -> ran.getAndSet(true))));
        assertFalse(ran.get());
    }

    private static <T> Optional<T> assertDoesNotThrowOptional(Callable<Optional<T>> call) {
        try {
            return call.call();
        } catch (Exception e) {
            throw new AssertionError("expected a result, got " + e, e);
        }
    }

    @Test
    void withTimeoutOrEmptyReturnsTheValueOrEmptyForANullResult() throws Exception {
        assertEquals(Optional.of("v"), Scope.withTimeoutOrEmpty(ONE_SECOND, () -> "v"));
        assertEquals(Optional.empty(), Scope.withTimeoutOrEmpty(ONE_SECOND, () -> null));
        assertEquals(Optional.of(3), Scope.withDeadlineOrEmpty(Instant.now().plusSeconds(60), () -> 3));
    }

    @Test
    void withTimeoutOrEmptyReturnsEmptyWhenItsOwnTimeoutFires() throws Exception {
        try (Scope outer = Scope.open(c -> c.withTimeSource(time))) {
            Subtask<Outcome> call = forkCall(outer, () -> Scope.withTimeoutOrEmpty(ONE_SECOND, this::blockingBody));
            await(bodyStarted);
            time.advance(ONE_SECOND);
            outer.join();
            assertEquals(new Outcome(Optional.empty(), null, true), call.get());
        }
    }

    @Test
    void withDeadlineOrEmptyReturnsEmptyWhenItsOwnDeadlinePasses() throws Exception {
        try (Scope outer = Scope.open(c -> c.withTimeSource(time))) {
            Instant deadline = time.now().plusSeconds(3);
            Subtask<Outcome> call = forkCall(outer, () -> Scope.withDeadlineOrEmpty(deadline, this::blockingBody));
            await(bodyStarted);
            time.advance(Duration.ofSeconds(3));
            outer.join();
            assertEquals(new Outcome(Optional.empty(), null, true), call.get());
        }
    }

    @Test
    void withTimeoutOrEmptyRethrowsAnInheritedDeadline() throws Exception {
        try (Scope outer = Scope.open(c -> c.withTimeSource(time))) {
            // The task owns a scope with a 1 s deadline and calls withTimeoutOrEmpty(10 s) inside it.
            Subtask<Outcome> call = forkCall(outer, () -> {
                try (Scope enclosing = Scope.open(c -> c.withTimeout(ONE_SECOND))) {
                    try {
                        return Scope.withTimeoutOrEmpty(Duration.ofSeconds(10), this::blockingBody);
                    } finally {
                        enclosing.join();
                    }
                }
            });
            await(bodyStarted);
            time.advance(ONE_SECOND);
            outer.join();
            Outcome o = call.get();
            assertInstanceOf(DeadlineExceededException.class, o.thrown(), "not empty: the deadline was not its own");
            assertTrue(o.bodyEndedFirst());
        }
    }

    @Test
    void withDeadlineOrEmptyRethrowsAnInheritedDeadline() throws Exception {
        try (Scope outer = Scope.open(c -> c.withTimeSource(time))) {
            Instant later = time.now().plusSeconds(10);
            Subtask<Outcome> call = forkCall(outer, () -> {
                try (Scope enclosing = Scope.open(c -> c.withTimeout(ONE_SECOND))) {
                    try {
                        return Scope.withDeadlineOrEmpty(later, this::blockingBody);
                    } finally {
                        enclosing.join();
                    }
                }
            });
            await(bodyStarted);
            time.advance(ONE_SECOND);
            outer.join();
            assertInstanceOf(DeadlineExceededException.class, call.get().thrown());
        }
    }

    /** Nothing is lost: a real failure of the body while it was being cancelled must reach the caller. */
    @Test
    void withTimeoutOrEmptyDoesNotSwallowABodyFailureThatFollowsItsTimeout() throws Exception {
        IllegalStateException cleanupFailed = new IllegalStateException("cleanup failed");
        try (Scope outer = Scope.open(c -> c.withTimeSource(time))) {
            Subtask<Outcome> call = forkCall(outer, () -> Scope.withTimeoutOrEmpty(ONE_SECOND, () -> {
                try {
                    return blockingBody();
                } catch (InterruptedException e) {
                    throw cleanupFailed;
                }
            }));
            await(bodyStarted);
            time.advance(ONE_SECOND);
            outer.join();
            Throwable thrown = call.get().thrown();
            assertTrue(thrown == cleanupFailed || thrown != null && (thrown.getCause() == cleanupFailed
                            || java.util.List.of(thrown.getSuppressed()).contains(cleanupFailed)),
                    "the body's failure was lost: the call returned " + call.get().value());
        }
    }

    @Test
    void orEmptyStillThrowsABodyFailure() {
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        ScopeFailedException e = assertThrows(ScopeFailedException.class,
                () -> Scope.withTimeoutOrEmpty(ONE_SECOND, () -> {
                    throw boom;
                }));
        assertSame(boom, e.getCause());
    }

    @Test
    void realTimeWithTimeoutOrEmptyGivesUpOnASleepingBody() throws Exception {
        long start = System.nanoTime();
        assertEquals(Optional.empty(), Scope.withTimeoutOrEmpty(Duration.ofMillis(50), () -> {
            Thread.sleep(Duration.ofMinutes(1));
            return "too late";
        }));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(10)) < 0);
    }
}
