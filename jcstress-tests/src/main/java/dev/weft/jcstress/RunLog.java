package dev.weft.jcstress;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The runs of an action that must never overlap (a debouncer's or a throttler's), for a jcstress
 * test: the values in the order they ran, and whether two runs were ever inside at once. The list
 * is plain on purpose: only the runs touch it, and the test reads it after {@code close()}, so
 * seeing every value relies on the very happens-before edges the test is there to prove.
 */
final class RunLog {
    private final AtomicInteger running = new AtomicInteger();
    private final List<Integer> values = new ArrayList<>();
    private int overlap;

    /**
     * Records one run with {@code value}: {@code body} runs inside it (to read what the test
     * wrote before the submit), then the run lingers briefly so that an overlap has the chance to
     * show.
     */
    void run(int value, IntConsumer body) {
        if (running.incrementAndGet() != 1) {
            overlap = 1;
        }
        values.add(value);
        body.accept(value);
        for (int i = 0; i < 32; i++) {
            Thread.onSpinWait();
        }
        running.decrementAndGet();
    }

    /** {@code runs=<values> overlap=<0|1>}; call it after the runs have ended. */
    @Override
    public String toString() {
        return "runs=" + values + " overlap=" + overlap;
    }
}
