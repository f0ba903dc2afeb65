package dev.weft.jmh;

import java.util.List;
import java.util.stream.IntStream;

/**
 * The per-item work of {@code ParBench} and {@code PreviewParBench}, shared so that every peer
 * runs exactly the same function over exactly the same items.
 */
public final class ParWork {
    /** How many items may be in progress at once, for every peer that takes a limit. */
    public static final int LIMIT = 64;
    /** Items of the CPU case: each one is trivial, so the benchmark measures the machinery. */
    public static final int TRIVIAL_ITEMS = 100_000;
    /** Items of the blocking case: each one sleeps for 1 ms, so 64 at once bound the time. */
    public static final int SLEEP_ITEMS = 1_000;

    private ParWork() {}

    /** 0, 1, ..., n - 1, boxed once, outside the measured operation. */
    public static List<Integer> items(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    /** The trivial item: a multiply and an add (and the boxing of the result, for every peer alike). */
    public static Integer trivial(Integer i) {
        return i * 31 + 7;
    }

    /** The blocking item: a 1 ms sleep, as a downstream call would block. */
    public static Integer sleep(Integer i) throws InterruptedException {
        Thread.sleep(1);
        return i;
    }

    /** {@link #sleep} for the peers whose functions may not throw checked exceptions. */
    public static Integer sleepUnchecked(Integer i) {
        try {
            return sleep(i);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
