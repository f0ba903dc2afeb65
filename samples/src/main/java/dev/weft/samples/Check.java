package dev.weft.samples;

import java.util.Objects;

/** The samples' own assertions: a wrong outcome throws {@link Failed}, which the tour reports as FAIL. */
final class Check {
    private Check() {}

    /** Fails with {@code expectation} unless {@code condition} holds. */
    static void that(boolean condition, String expectation) {
        if (!condition) {
            throw new Failed("expected " + expectation);
        }
    }

    /** Fails unless {@code actual} equals {@code expected}. */
    static void equal(Object expected, Object actual, String what) {
        if (!Objects.equals(expected, actual)) {
            throw new Failed("expected " + what + " to be " + expected + ", was " + actual);
        }
    }

    /** Milliseconds since {@code startNanos}, a {@link System#nanoTime()} reading. */
    static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** A scenario's outcome was not the one it promised. */
    static final class Failed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failed(String message) {
            super(message);
        }
    }
}
