package dev.weft;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A virtual-thread factory that counts the threads it creates and how many of them are running
 * at once: the "peak live worker threads" of the Par tests. A thread counts as live from the first
 * instruction of its runnable to the last, so the count includes the scope's own bookkeeping at a
 * task's end, which is stricter than counting inside the task body.
 */
final class CountingThreadFactory implements ThreadFactory {
    private final AtomicInteger created = new AtomicInteger();
    private final AtomicInteger live = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    @Override
    public Thread newThread(Runnable r) {
        created.incrementAndGet();
        return Thread.ofVirtual().name("counted-" + created.get()).unstarted(() -> {
            peak.accumulateAndGet(live.incrementAndGet(), Math::max);
            try {
                r.run();
            } finally {
                live.decrementAndGet();
            }
        });
    }

    /** Threads created so far. */
    int created() {
        return created.get();
    }

    /** The most threads of this factory that were running at the same time. */
    int peak() {
        return peak.get();
    }

    /** Threads running right now. */
    int live() {
        return live.get();
    }
}
