package dev.weft.time;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.weft.TestSupport;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The action of the debouncer and throttler tests: records each value in run order, counts how
 * many runs overlap, and can hold a run at a gate.
 */
final class DebounceRecorder<T> implements Debouncer.Action<T> {
    final BlockingQueue<T> runs = new LinkedBlockingQueue<>();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger maxRunning = new AtomicInteger();
    volatile CountDownLatch gate;
    private volatile Thread lastThread;

    @Override
    public void run(T value) throws InterruptedException {
        maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
        try {
            lastThread = Thread.currentThread();
            CountDownLatch g = gate;
            runs.add(value);
            if (g != null) {
                g.await();
            }
        } finally {
            running.decrementAndGet();
        }
    }

    /** The next run's value, in order; fails the test if none comes within {@link Blocking#WAIT}. */
    T next() throws InterruptedException {
        return Clocks.next(runs, "the next run of the action");
    }

    /**
     * Waits until the thread of the last run has ended, so the debouncer is idle again: the next
     * edge starts a new run instead of being deferred (and possibly conflated with a later one).
     */
    void awaitRunnerEnded() throws InterruptedException {
        Thread t = lastThread;
        t.join(TestSupport.WAIT);
        assertFalse(t.isAlive(), "the action's thread did not end within " + TestSupport.WAIT);
    }
}
