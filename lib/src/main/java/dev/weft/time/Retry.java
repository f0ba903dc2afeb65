package dev.weft.time;

import dev.weft.CancelledException;
import dev.weft.CheckedRunnable;
import dev.weft.Context;
import dev.weft.DeadlineExceededException;
import dev.weft.time.RetryFailedException.Reason;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Calls an operation again after a failure, waiting as a {@link Backoff} says, inside the current
 * context: cenkalti/backoff's {@code Retry}, Failsafe's {@code RetryPolicy}, Resilience4j's
 * {@code Retry}.
 *
 * <pre>{@code
 * Retry retry = Retry.with(Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(2)).withJitter(Jitter.FULL))
 *         .retryIf(e -> e instanceof IOException)
 *         .abortOn(e -> e instanceof FileNotFoundException);
 * try (var scope = Scope.open(c -> c.withTimeout(Duration.ofSeconds(5)))) {
 *     String body = retry.call(() -> fetch(uri));
 * }
 * }</pre>
 *
 * <h2>What happens after a failed attempt</h2>
 * In this order:
 * <ol>
 *   <li>An {@link Error} (or any throwable that is not an {@link Exception}) is never retried: it
 *       is thrown as itself, with the earlier attempts' errors suppressed on it.</li>
 *   <li>If the context is cancelled, the retry stops: reason {@link Reason#DEADLINE} when its
 *       deadline passed, {@link Reason#CANCELLED} otherwise.</li>
 *   <li>An {@link InterruptedException} is thrown as itself: the thread was interrupted.</li>
 *   <li>If the error matches {@link #abortOn} or does not match {@link #retryIf} (by default every
 *       exception is retried), the retry stops: {@link Reason#ABORTED}.</li>
 *   <li>If the backoff's attempts are used up: {@link Reason#EXHAUSTED}.</li>
 *   <li>The wait is the backoff's next delay, or the {@link #retryAfter retry-after hint} of the
 *       error if that is longer. If the next attempt would then start past the backoff's maximum
 *       elapsed time: {@link Reason#MAX_ELAPSED}. If the wait would reach the context's deadline,
 *       the retry stops at once, without waiting: {@link Reason#DEADLINE}.</li>
 *   <li>The {@link #onRetry} hook runs (so never after the final failure).</li>
 *   <li>The retry waits with {@link Sleep}, on the context's time source. A cancellation during
 *       the wait ends it at once ({@code CANCELLED} or {@code DEADLINE}); an interrupt throws
 *       {@link InterruptedException}, with the last error as its cause. Then the next attempt
 *       runs, unless the context was cancelled meanwhile.</li>
 * </ol>
 * Every stop throws {@link RetryFailedException}: its {@link RetryFailedException#lastError()
 * lastError()} is the last error, its {@link RetryFailedException#reason() reason()} says which of
 * the above stopped it, and the earlier attempts' errors are suppressed on it (bounded, see there).
 * Its cause is the last error, or the context's cancellation when that stopped it, so that a
 * scope records a cancelled retry as cancelled, as it records any other cancelled weft call. The number of calls is exact:
 * a cancellation during the third attempt stops the retry with exactly three calls made.
 *
 * <h2>The first attempt always runs</h2>
 * A retry only decides what happens <em>after</em> a failure: {@code retry.call(op)} runs
 * {@code op} at least once, as calling it directly would, even in a context that is already
 * cancelled or past its deadline (as cenkalti/backoff runs the operation once with an expired
 * context). If that attempt succeeds its value is returned; if it fails the retry stops with
 * {@code CANCELLED} or {@code DEADLINE} and that error. weft calls inside the operation see the
 * cancellation themselves.
 *
 * <p>Instances are immutable and thread-safe: every {@code with}-style method returns a new
 * {@code Retry}, and one {@code Retry} may run in any number of threads at once. Each call keeps
 * its own state (attempt count, delays) on its own thread. The choices are recorded in
 * {@code docs/adr/0017-retry-and-backoff.md}.
 */
public final class Retry {
    private static final Predicate<Exception> EVERY = e -> true;
    private static final Predicate<Exception> NOTHING = e -> false;

    private final Backoff backoff;
    private final Predicate<? super Exception> retryIf;
    private final Predicate<? super Exception> abortOn;
    private final Consumer<? super Event> onRetry;
    private final Function<? super Exception, Duration> retryAfter;

    private Retry(Backoff backoff, Predicate<? super Exception> retryIf, Predicate<? super Exception> abortOn,
            Consumer<? super Event> onRetry, Function<? super Exception, Duration> retryAfter) {
        this.backoff = backoff;
        this.retryIf = retryIf;
        this.abortOn = abortOn;
        this.onRetry = onRetry;
        this.retryAfter = retryAfter;
    }

    /**
     * A retry that waits as {@code backoff} says and retries every exception.
     *
     * @throws NullPointerException if {@code backoff} is null
     */
    public static Retry with(Backoff backoff) {
        Objects.requireNonNull(backoff, "backoff");
        return new Retry(backoff, EVERY, NOTHING, null, null);
    }

    /**
     * Retries only the errors that match {@code predicate} (replacing an earlier {@code retryIf});
     * any other error stops the retry with {@link Reason#ABORTED}.
     *
     * @throws NullPointerException if {@code predicate} is null
     */
    public Retry retryIf(Predicate<? super Exception> predicate) {
        Objects.requireNonNull(predicate, "predicate");
        return new Retry(backoff, predicate, abortOn, onRetry, retryAfter);
    }

    /**
     * Stops the retry with {@link Reason#ABORTED} on the errors that match {@code predicate}, even
     * if they match {@link #retryIf} (replacing an earlier {@code abortOn}).
     *
     * @throws NullPointerException if {@code predicate} is null
     */
    public Retry abortOn(Predicate<? super Exception> predicate) {
        Objects.requireNonNull(predicate, "predicate");
        return new Retry(backoff, retryIf, predicate, onRetry, retryAfter);
    }

    /**
     * Runs {@code hook} between attempts: after a failed attempt that will be retried, before the
     * wait (never after the final failure). It runs on the retrying thread; if it throws, the
     * retry stops and that exception propagates, with the attempt's error suppressed on it.
     * Replaces an earlier hook.
     *
     * @throws NullPointerException if {@code hook} is null
     */
    public Retry onRetry(Consumer<? super Event> hook) {
        Objects.requireNonNull(hook, "hook");
        return new Retry(backoff, retryIf, abortOn, hook, retryAfter);
    }

    /**
     * Reads a retry-after hint from an error, such as an HTTP {@code Retry-After} header carried
     * by the exception. When {@code hint} returns a duration longer than the backoff's delay, the
     * retry waits that long instead: the hint is a lower bound, and the backoff's maximum does not
     * cap it (the maximum elapsed time and the context's deadline still apply). Null means no
     * hint. Replaces an earlier hint function.
     *
     * @throws NullPointerException if {@code hint} is null
     */
    public Retry retryAfter(Function<? super Exception, Duration> hint) {
        Objects.requireNonNull(hint, "hint");
        return new Retry(backoff, retryIf, abortOn, onRetry, hint);
    }

    /** The backoff this retry waits by. */
    public Backoff backoff() {
        return backoff;
    }

    /**
     * Calls {@code operation} until it returns, or until the retry stops; see the class
     * documentation.
     *
     * @return what the successful attempt returned
     * @throws RetryFailedException when the retry stops without a success
     * @throws InterruptedException if the thread is interrupted (an attempt throws it, or the wait
     *     is interrupted) while the context is not cancelled
     * @throws NullPointerException if {@code operation} is null
     */
    public <T> T call(Callable<? extends T> operation) throws InterruptedException {
        Objects.requireNonNull(operation, "operation");
        // The fast path reads no clock and no context: a success costs only the call.
        Context ctx = null;
        long start = 0;
        if (backoff.hasMaxElapsed()) {
            ctx = Context.current();
            start = ctx.timeSource().nanoTime();
        }
        Exception failure;
        try {
            return operation.call();
        } catch (Exception e) {
            failure = e;
        }
        return retry(operation, failure, ctx != null ? ctx : Context.current(), start);
    }

    /**
     * Runs {@code operation} until it completes, or until the retry stops; see
     * {@link #call(Callable)}.
     *
     * @throws RetryFailedException when the retry stops without a success
     * @throws InterruptedException if the thread is interrupted while the context is not cancelled
     * @throws NullPointerException if {@code operation} is null
     */
    public void run(CheckedRunnable operation) throws InterruptedException {
        Objects.requireNonNull(operation, "operation");
        call(() -> {
            operation.run();
            return null;
        });
    }

    /** After the first attempt failed with {@code failure}: the retry loop. */
    private <T> T retry(Callable<? extends T> operation, Exception failure, Context ctx, long start)
            throws InterruptedException {
        TimeSource time = ctx.timeSource();
        Backoff.Delays delays = backoff.delaysSince(time, start);
        Trail trail = new Trail();
        int attempt = 1;
        while (true) {
            long delay = delayBeforeNextAttempt(ctx, delays, trail, attempt, failure);
            try {
                Sleep.until(time, TimerMath.saturatedAdd(time.nanoTime(), delay));
            } catch (InterruptedException e) {
                e.initCause(failure);
                trail.suppressInto(e);
                throw e;
            } catch (CancelledException e) {
                throw cancelled(ctx, attempt, failure, trail);
            }
            if (ctx.isCancelled()) { // the wait ended at the same moment as the context
                throw cancelled(ctx, attempt, failure, trail);
            }
            attempt++;
            try {
                return operation.call();
            } catch (Exception e) {
                trail.add(failure);
                failure = e;
            } catch (Throwable t) {
                trail.add(failure);
                trail.suppressInto(t);
                throw sneaky(t);
            }
        }
    }

    /**
     * Decides whether attempt {@code attempt}, which failed with {@code failure}, is retried: returns
     * the wait before the next one, or throws why not (steps 2 to 7 of the class documentation).
     */
    private long delayBeforeNextAttempt(Context ctx, Backoff.Delays delays, Trail trail, int attempt,
            Exception failure) throws InterruptedException {
        if (ctx.isCancelled()) {
            throw cancelled(ctx, attempt, failure, trail);
        }
        if (failure instanceof InterruptedException interrupted) {
            trail.suppressInto(interrupted);
            throw interrupted;
        }
        boolean retryable;
        try {
            retryable = !abortOn.test(failure) && retryIf.test(failure);
        } catch (RuntimeException | Error e) {
            throw userCodeFailed(e, failure, trail);
        }
        if (!retryable) {
            throw stop(Reason.ABORTED, attempt, failure, trail);
        }
        if (!delays.attemptLeft()) {
            throw stop(Reason.EXHAUSTED, attempt, failure, trail);
        }
        long delay = delays.nextDelayNanos();
        if (retryAfter != null) {
            Duration hint;
            try {
                hint = retryAfter.apply(failure);
            } catch (RuntimeException | Error e) {
                throw userCodeFailed(e, failure, trail);
            }
            if (hint != null) {
                delay = Math.max(delay, TimerMath.saturatedNanos(hint));
            }
        }
        if (!delays.withinMaxElapsed(delay)) {
            throw stop(Reason.MAX_ELAPSED, attempt, failure, trail);
        }
        Optional<Duration> remaining = ctx.remaining();
        if (remaining.isPresent() && delay >= TimerMath.saturatedNanos(remaining.get())) {
            throw stop(Reason.DEADLINE, attempt, failure, trail);
        }
        if (onRetry != null) {
            try {
                onRetry.accept(new Event(attempt, failure, Duration.ofNanos(delay)));
            } catch (RuntimeException | Error e) {
                throw userCodeFailed(e, failure, trail);
            }
        }
        return delay;
    }

    /** The retry stops because {@code ctx} is cancelled: that cancellation is the cause (see {@link RetryFailedException}). */
    private static RetryFailedException cancelled(Context ctx, int attempts, Exception lastError, Trail trail) {
        CancelledException cancellation;
        try {
            ctx.throwIfCancelled();
            throw new IllegalStateException("the context of a cancelled retry is not cancelled");
        } catch (CancelledException c) {
            cancellation = c;
        }
        Reason reason = cancellation instanceof DeadlineExceededException ? Reason.DEADLINE : Reason.CANCELLED;
        return stop(reason, attempts, lastError, cancellation, trail);
    }

    private static RetryFailedException stop(Reason reason, int attempts, Exception lastError, Trail trail) {
        return stop(reason, attempts, lastError, null, trail);
    }

    private static RetryFailedException stop(Reason reason, int attempts, Exception lastError,
            CancelledException cancellation, Trail trail) {
        RetryFailedException e = new RetryFailedException(reason, attempts, lastError, cancellation, trail.omitted);
        trail.suppressInto(e);
        if (cancellation != null && cancellation != lastError) {
            e.addSuppressed(lastError); // the cause is the cancellation; the last error comes last
        }
        if (lastError instanceof InterruptedException) {
            // The attempt consumed an interrupt (its scope's cancellation): keep it for the caller.
            Thread.currentThread().interrupt();
        }
        return e;
    }

    /** A predicate, the hint or the hook threw: that propagates, and the attempts' errors ride along. */
    private static RuntimeException userCodeFailed(Throwable thrown, Exception failure, Trail trail) {
        trail.add(failure);
        trail.suppressInto(thrown);
        throw sneaky(thrown);
    }

    @SuppressWarnings("unchecked")
    private static <X extends Throwable> RuntimeException sneaky(Throwable t) throws X {
        throw (X) t;
    }

    @Override
    public String toString() {
        return "Retry[" + backoff + (retryAfter != null ? ", with retry-after hints" : "")
                + (onRetry != null ? ", with an onRetry hook" : "") + "]";
    }

    /**
     * What the {@link #onRetry} hook is told between attempts.
     *
     * @param attempt the number of the attempt that failed, from 1
     * @param failure what it threw
     * @param delay how long the retry will wait before attempt {@code attempt + 1}
     */
    public record Event(int attempt, Exception failure, Duration delay) {}

    /**
     * The errors of the earlier attempts, bounded: the first one, and the most recent ones, up to
     * {@link RetryFailedException#MAX_EARLIER_ERRORS} in all; the rest are only counted.
     */
    private static final class Trail {
        private static final int RECENT = RetryFailedException.MAX_EARLIER_ERRORS - 1;
        private Throwable first;
        private final ArrayDeque<Throwable> recent = new ArrayDeque<>(RECENT);
        int omitted;

        void add(Throwable error) {
            if (first == null) {
                first = error;
                return;
            }
            if (recent.size() == RECENT) {
                recent.removeFirst();
                omitted++;
            }
            recent.addLast(error);
        }

        /** Adds the kept errors to {@code target}, skipping {@code target}, its cause and repeats of one instance. */
        void suppressInto(Throwable target) {
            List<Throwable> added = new ArrayList<>(RetryFailedException.MAX_EARLIER_ERRORS);
            if (first != null) {
                suppressOne(target, first, added);
            }
            for (Throwable t : recent) {
                suppressOne(target, t, added);
            }
        }

        private static void suppressOne(Throwable target, Throwable t, List<Throwable> added) {
            if (t == target || t == target.getCause()) {
                return;
            }
            for (Throwable a : added) {
                if (a == t) {
                    return;
                }
            }
            added.add(t);
            target.addSuppressed(t);
        }
    }
}
