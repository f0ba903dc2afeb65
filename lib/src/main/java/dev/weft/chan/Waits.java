package dev.weft.chan;

import dev.weft.Context;
import dev.weft.internal.CancelSignal;
import dev.weft.internal.ClaimableParker;
import dev.weft.internal.CurrentSignal;

/** The context and interrupt checks shared by every blocking call of a channel and of a select. */
final class Waits {
    private Waits() {}

    /**
     * The entry check of every blocking call: a cancelled context throws, then an interrupt.
     *
     * @return the current context's signal, to wait on (null at the root)
     */
    static CancelSignal checkBeforeWaiting(String operation) throws InterruptedException {
        CancelSignal signal = CurrentSignal.get();
        if (signal != null && signal.isCancelled()) {
            throw cancelled();
        }
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before " + operation);
        }
        return signal;
    }

    /**
     * For a wait that gave up with {@code outcome}: throws the cancellation, or returns the
     * {@link InterruptedException} to throw.
     */
    static InterruptedException gaveUp(int outcome, String operation) {
        if (outcome == ClaimableParker.INTERRUPTED) {
            return new InterruptedException("interrupted in " + operation);
        }
        throw cancelled();
    }

    private static RuntimeException cancelled() {
        Context.current().throwIfCancelled();
        throw new AssertionError("unreachable: a cancelled context stays cancelled");
    }
}
