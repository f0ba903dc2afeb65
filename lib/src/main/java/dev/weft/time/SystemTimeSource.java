package dev.weft.time;

import dev.weft.internal.TimerQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * {@link TimeSource#system()}: the JVM clocks and one lazily started daemon timer thread, the
 * {@link TimerQueue} that every system-clock timer of weft shares (ADR 0013).
 */
final class SystemTimeSource implements TimeSource {
    static final SystemTimeSource INSTANCE = new SystemTimeSource();

    /** Holder idiom: the timer thread starts on the first {@link #schedule}, not on class load. */
    private static final class Timers {
        static final TimerQueue QUEUE = new TimerQueue("weft-timer");
    }

    private SystemTimeSource() {}

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public Scheduled schedule(Duration delay, Runnable action) {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(action, "action");
        return Timers.QUEUE.schedule(new Handle(TimerQueue.dueIn(TimerMath.saturatedNanos(delay)), action));
    }

    /**
     * {@inheritDoc}
     *
     * <p>The due time is taken as it is (clamped to at most {@link TimerQueue#MAX_DELAY} ahead),
     * with no delay computed in between.
     */
    @Override
    public Scheduled scheduleAt(long dueNanos, Runnable action) {
        Objects.requireNonNull(action, "action");
        long now = System.nanoTime();
        long delay = dueNanos - now;
        if (((dueNanos ^ now) & (dueNanos ^ delay)) < 0) {
            delay = dueNanos > now ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        long due = delay <= 0 ? now : delay > TimerQueue.MAX_DELAY ? now + TimerQueue.MAX_DELAY : dueNanos;
        return Timers.QUEUE.schedule(new Handle(due, action));
    }

    /** The entry is the handle: one object per scheduled action. */
    private static final class Handle extends TimerQueue.Entry implements Scheduled {
        Handle(long due, Runnable action) {
            super(due, action);
        }
    }

    @Override
    public String toString() {
        return "TimeSource.system()";
    }
}
