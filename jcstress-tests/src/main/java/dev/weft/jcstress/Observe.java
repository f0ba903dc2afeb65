package dev.weft.jcstress;

import dev.weft.Context;

/** The observer side of the context tests: a short, bounded wait for a cancellation. */
final class Observe {
    private Observe() {}

    /**
     * Spins briefly while {@code context} is not cancelled, so that observations fall on both sides
     * of the cancellation; returns the last {@code isCancelled()}.
     */
    static boolean briefly(Context context) {
        for (int i = 0; i < 64; i++) {
            if (context.isCancelled()) {
                return true;
            }
            Thread.onSpinWait();
        }
        return context.isCancelled();
    }
}
