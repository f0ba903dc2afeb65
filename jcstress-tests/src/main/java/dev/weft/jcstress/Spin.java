package dev.weft.jcstress;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waiting for the other actor inside a jcstress test. Every wait here is for something the other
 * actor always does (publish a scope, finish a call), so it always ends; it yields now and then
 * so that it also ends when both actors share one CPU.
 */
final class Spin {
    private Spin() {}

    /** Spins until {@code source} returns non-null, and returns it. */
    static <T> T until(Supplier<T> source) {
        T value;
        int spins = 0;
        while ((value = source.get()) == null) {
            pause(++spins);
        }
        return value;
    }

    /** Spins until {@code condition} is true. */
    static void until(BooleanSupplier condition) {
        int spins = 0;
        while (!condition.getAsBoolean()) {
            pause(++spins);
        }
    }

    private static void pause(int spins) {
        if ((spins & 255) == 0) {
            Thread.yield();
        } else {
            Thread.onSpinWait();
        }
    }
}
