package dev.weft.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * How many threads weft has started and that have not finished their weft work yet: scope tasks,
 * {@code onCancel} callbacks, {@code Timer.afterFunc} functions and debouncer and throttler
 * actions. The test leak checks assert it returns to zero. (The one timer thread of
 * {@code TimeSource.system()} lives as long as the JVM and is not counted.)
 */
public final class LiveThreads {
    private static final LongAdder COUNT = new LongAdder();

    private LiveThreads() {}

    public static void started() {
        COUNT.increment();
    }

    public static void ended() {
        COUNT.decrement();
    }

    public static long count() {
        return COUNT.sum();
    }
}
