package dev.weft.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link Parker} whose wait ends with exactly one outcome, settled once by compare-and-set:
 * either a partner <em>claims</em> it (a sender that hands an element to a waiting receiver, a
 * receiver that takes a waiting sender's element, a channel that closes, a timer that fires), or
 * the waiting thread gives up (its context is cancelled, it is interrupted, its timeout passes).
 *
 * <p>Implementation overview. {@code state} starts at {@link #WAITING} and moves once, by CAS, to
 * a final value: a claim index {@code >= 0} chosen by the claimer (for a select, the index of the
 * clause that fired), or one of the negative give-up outcomes. Whoever wins the CAS owns the
 * outcome; the loser sees the final state and acts on it. This is what makes "granted and
 * cancelled at the same moment" safe: a claimer that won has completed the operation (the element
 * is taken or delivered), so the waiter reports success even if its context was cancelled an
 * instant later; a waiter that won its give-up CAS has made every later claim fail, so the
 * claimer moves on to the next waiter and nothing is half-done. A claimer writes what it hands
 * over (plain fields of its own node) before its CAS, and the waiter reads them after seeing the
 * final state (a volatile read), so the hand-over is visible.
 *
 * <p>{@link #await} polls for a bounded number of iterations first (a partner that is running on
 * another core often arrives within a few hundred nanoseconds, and parking a virtual thread costs
 * microseconds), then registers with the context's cancellation signal and parks. Every 32 polls it
 * {@link Thread#yield yields} instead of spinning: when there are more runnable virtual threads
 * than carriers, the partner it waits for may be queued behind it on its own carrier, and pure
 * spinning would keep it from running for the whole spin (measured: rendezvous hand-offs then take
 * microseconds instead of hundreds of nanoseconds). As a
 * {@link CancelSignal.Listener} it only unparks its thread; the thread settles the outcome itself.
 * Cancellation is checked before interruption, so when both happen the cancellation wins and the
 * interrupt flag stays set.
 *
 * <p>Memory consistency effects: actions of a thread prior to its successful {@link #tryClaim}
 * happen-before the waiting thread's {@link #await} returns that claim (a compare-and-set, then a
 * volatile read of the same field). The jcstress tests {@code ChannelSendHappensBeforeReceive}
 * and {@code ChannelSelectHandOffHappensBefore} exercise it through the channel hand-offs that rely
 * on it.
 */
public class ClaimableParker extends Parker {
    /** Not settled yet. */
    public static final int WAITING = -1;
    /** The waiter gave up because its context was cancelled. */
    public static final int CANCELLED = -2;
    /** The waiter gave up because its thread was interrupted. */
    public static final int INTERRUPTED = -3;
    /** The waiter's timeout passed (settled by the waiter, or by a timer through {@link #tryClaim}). */
    public static final int TIMED_OUT = -4;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(ClaimableParker.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile int state = WAITING;
    /** Set by the waiter before it first parks; a claimer unparks only then (see {@link #wakeIfParking}). */
    private volatile boolean parking;
    /** Every this many polls + 1, the spinning thread yields (a power of two minus one). */
    private static final int YIELD_MASK = 31;

    /** A parker for the calling thread, which is the one that will wait. */
    public ClaimableParker() {}

    /** The current state: {@link #WAITING}, or the final outcome. */
    public final int state() {
        return state;
    }

    /**
     * Settles the wait with {@code outcome} if it is still open.
     *
     * @return true if this call settled it; false if it was already settled
     */
    public final boolean tryClaim(int outcome) {
        return state == WAITING && STATE.compareAndSet(this, WAITING, outcome);
    }

    /**
     * Wakes the waiter after a successful {@link #tryClaim}, unless it has not started to park yet
     * (it is still polling, and will see the claim by itself). The claimer wrote the state and then
     * reads {@code parking}; the waiter writes {@code parking} and then reads the state before it
     * parks. Both are volatile, so at least one of them sees the other's write: either the claimer
     * unparks, or the waiter does not park. This spares the unpark (an atomic update of the waiter's
     * thread, and a stale permit) in the common case of a hand-off that completes while the waiter
     * spins.
     */
    public final void wakeIfParking() {
        if (parking) {
            wake();
        }
    }

    /**
     * Waits until the state is settled, and returns it.
     *
     * @param signal the cancellation signal to wake up for, or null (the root context)
     * @param spins how many times to poll the state before parking
     * @param deadline a {@link System#nanoTime()} reading after which the wait settles itself as
     *     {@link #TIMED_OUT}; used only if {@code timed}
     * @return the final state: a claim index, or {@link #CANCELLED}, {@link #INTERRUPTED} or
     *     {@link #TIMED_OUT}. If a claim won over an interrupt, the interrupt flag is set again.
     */
    public final int await(CancelSignal signal, int spins, boolean timed, long deadline) {
        int s;
        for (int i = 1; i <= spins; i++) {
            if ((s = state) != WAITING) {
                return s;
            }
            if ((i & YIELD_MASK) == 0) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
        arm(signal);
        parking = true; // a Dekker pair with wakeIfParking: see there
        try {
            while ((s = state) == WAITING) {
                if (signal != null && signal.isCancelled()) {
                    tryClaim(CANCELLED);
                } else if (Thread.interrupted()) {
                    if (!tryClaim(INTERRUPTED)) {
                        Thread.currentThread().interrupt(); // claimed first: the operation is done, keep the flag
                    }
                } else if (timed) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        tryClaim(TIMED_OUT);
                    } else {
                        LockSupport.parkNanos(this, left);
                    }
                } else {
                    LockSupport.park(this);
                }
            }
            return s;
        } finally {
            disarm();
        }
    }
}
