package dev.weft.time;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link TimeSource#system()}: the JVM clocks and one lazily started daemon timer thread. */
final class SystemTimeSource implements TimeSource {
    static final SystemTimeSource INSTANCE = new SystemTimeSource();
    private static final Logger LOG = LoggerFactory.getLogger(TimeSource.class);

    /** Holder idiom: the timer thread starts on the first {@link #schedule}, not on class load. */
    private static final class Timer {
        static final ScheduledThreadPoolExecutor EXECUTOR = create();

        private static ScheduledThreadPoolExecutor create() {
            var executor = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, "weft-timer");
                thread.setDaemon(true);
                return thread;
            });
            executor.setRemoveOnCancelPolicy(true);
            return executor;
        }
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
        long nanos = saturatedNanos(delay);
        ScheduledFuture<?> future = Timer.EXECUTOR.schedule(() -> {
            try {
                action.run();
            } catch (Throwable t) {
                LOG.warn("weft timer action {} threw; the timer keeps running", action, t);
            }
        }, Math.max(0, nanos), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException overflow) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    @Override
    public String toString() {
        return "TimeSource.system()";
    }
}
