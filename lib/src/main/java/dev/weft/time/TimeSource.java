package dev.weft.time;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Where weft reads the time and schedules its timers: a monotonic clock, a wall clock and a
 * one-shot scheduler.
 *
 * <p>Every timer-based feature of weft (scope deadlines first of all) takes its time source from
 * the current {@link dev.weft.Context}. The default is {@link #system()}; a scope opened with
 * {@code Scope.open(c -> c.withTimeSource(manualTime))} runs its deadlines (and those of its nested
 * scopes) on {@link ManualTime}, which moves only when a test says so.
 *
 * <p>This interface is a leaf: it names nothing else of weft, so the core can depend on it
 * without depending on the time utilities.
 *
 * <p>Memory consistency effects: actions in a thread prior to {@link #schedule} happen-before the
 * scheduled action runs.
 */
public interface TimeSource {

    /** A monotonic reading in nanoseconds, comparable only with other readings of this source. */
    long nanoTime();

    /** The wall-clock instant of this source. */
    Instant now();

    /**
     * Runs {@code action} once, after {@code delay} has passed on this source. A zero or negative
     * delay means "as soon as possible". The action must be short and must not block: it runs on
     * the source's timer thread (or, for {@link ManualTime}, on the thread that advances the time).
     * A throwable escaping the action is logged at WARN and does not stop the timer.
     *
     * @throws NullPointerException if {@code delay} or {@code action} is null
     */
    Scheduled schedule(Duration delay, Runnable action);

    /**
     * Runs {@code action} once, when this source's {@link #nanoTime()} reaches {@code dueNanos}.
     * Use it for an absolute due time (a deadline) rather than computing a delay from an earlier
     * reading: time that passes between that reading and this call is not added again. A due time
     * already reached means "as soon as possible". The default implementation schedules the delay
     * from a fresh reading; {@link ManualTime} overrides it so that an {@code advance} racing this
     * call can never step over the due time.
     *
     * @throws NullPointerException if {@code action} is null
     */
    default Scheduled scheduleAt(long dueNanos, Runnable action) {
        Objects.requireNonNull(action, "action");
        long now = nanoTime();
        long delay = dueNanos - now;
        if (((dueNanos ^ now) & (dueNanos ^ delay)) < 0) {
            delay = dueNanos > now ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        return schedule(Duration.ofNanos(delay), action);
    }

    /** A pending action of {@link #schedule} or {@link #scheduleAt}. */
    interface Scheduled {
        /**
         * Prevents the action from running, like Go's {@code Timer.Stop}.
         *
         * @return true if this call prevented the action; false if it has already run, is
         *     running, or was cancelled before
         */
        boolean cancel();
    }

    /**
     * The system clocks: {@link System#nanoTime()}, {@link Instant#now()} and one shared daemon
     * timer thread, started on the first schedule, that runs every system-clock timer of weft
     * (ADR 0013): no thread per timer, ticker or debouncer.
     */
    static TimeSource system() {
        return SystemTimeSource.INSTANCE;
    }
}
