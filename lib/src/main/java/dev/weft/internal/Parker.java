package dev.weft.internal;

import java.util.concurrent.locks.LockSupport;

/**
 * A thread parked in one of weft's blocking calls, registered with the cancellation signal of the
 * context it waits in.
 *
 * <p>As a {@link CancelSignal.Listener} it does one thing: unpark its thread. So a cancelling
 * thread never takes the lock of the primitive being waited on and never blocks, and the woken
 * thread settles the outcome itself, under the primitive's own lock (it leaves the queue, or hands
 * on what was granted to it meanwhile). A subclass adds what its primitive queues: a permit count,
 * an element, a select clause.
 *
 * <p>The waiting loop of a primitive looks like this:
 * <pre>{@code
 * parker.arm(signal);                 // null signal (root context): nothing to register
 * try {
 *     while (!parker.done()) {        // the primitive's own completion flag, volatile
 *         if (cancelled) { give up under the lock; throw CancelledException }
 *         if (Thread.interrupted()) { give up under the lock; throw InterruptedException }
 *         LockSupport.park(this);
 *     }
 * } finally {
 *     parker.disarm();
 * }
 * }</pre>
 * A cancellation that fires between the check and the park unparks the thread first, so the park
 * returns at once (a permit of {@link LockSupport} is never lost).
 */
public class Parker extends CancelSignal.Listener {
    private final Thread thread;
    /** The signal registered with; touched only by the waiting thread. */
    private CancelSignal armed;

    /** A parker for the calling thread, which is the one that will wait. */
    protected Parker() {
        this.thread = Thread.currentThread();
    }

    /** The waiting thread. */
    public final Thread thread() {
        return thread;
    }

    /**
     * Registers with {@code signal}, so its cancellation wakes the thread. Does nothing for a null
     * signal (the root context) or one that has already fired: the caller's loop sees the
     * cancellation itself.
     */
    public final void arm(CancelSignal signal) {
        if (signal != null && signal.add(this)) {
            armed = signal;
        }
    }

    /** Registers with the current context's signal; see {@link #arm(CancelSignal)}. */
    public final void arm() {
        arm(CurrentSignal.get());
    }

    /** Unregisters, if registered. Called by the waiting thread when its wait ends, however it ends. */
    public final void disarm() {
        CancelSignal s = armed;
        if (s != null) {
            armed = null;
            s.remove(this);
        }
    }

    /** Wakes the waiting thread. */
    public final void wake() {
        LockSupport.unpark(thread);
    }

    @Override
    protected void cancelled(Throwable cause) {
        wake();
    }
}
