package dev.weft.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A once-only cancellation flag with a cause and a set of listeners: the core of a context.
 *
 * <p>Implementation overview. {@code cause} moves from null to non-null exactly once, by CAS, so
 * every reader sees either "not cancelled" or the one cause, never a change. Listeners live in an
 * intrusive doubly-linked list guarded by a {@link ReentrantLock} (no {@code synchronized}: it
 * would pin virtual threads on JDK 21). The thread that wins the CAS takes the lock, detaches the
 * whole list and marks the signal fired, runs the detached listeners outside the lock in
 * registration order, and only then runs {@link #onCancelled} (the owner's hook, e.g.
 * interrupting tasks). Listeners first: a nested scope's link is a listener, so every descendant
 * is cancelled with this cause before any of our tasks is interrupted. Otherwise a task that owns
 * a nested scope could react to its interrupt by closing that scope first, and the descendant
 * would record "closed" instead of the parent's cause (a deadline would then look like a plain
 * cancellation further down the tree).
 * {@link #add} and {@link #remove} take the same lock, so each listener is either run by the
 * canceller or removed by its owner, never both and never neither: {@code add} on a fired signal
 * returns false (the caller reacts itself), and {@code remove} returns true only if the listener
 * was still linked, i.e. it was prevented from running.
 *
 * <p>A {@link #cancel} that loses the CAS waits until the winner has run the listeners and the
 * hook (like Go, whose losing {@code cancel} waits on the context's mutex), so that "when cancel
 * returns, every descendant is cancelled and every task interrupted" holds for every caller, not
 * only for the winner. The wait is short: listeners and the hook must not block. It cannot form a
 * cycle, because propagation only flows from a signal to its descendants; a listener of the
 * winning thread that cancels the same signal again does not wait for itself.
 */
public class CancelSignal {
    private static final Logger LOG = LoggerFactory.getLogger("dev.weft");
    private static final VarHandle CAUSE;

    static {
        try {
            CAUSE = MethodHandles.lookup().findVarHandle(CancelSignal.class, "cause", Throwable.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile Throwable cause;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition propagatedCondition = lock.newCondition();
    private Listener head;
    private Listener tail;
    private boolean fired;
    /** The winner of the CAS while it runs the listeners and the hook; guarded by {@code lock}. */
    private Thread propagator;
    /** Set once the listeners and the hook have run. */
    private volatile boolean propagated;

    /** A callback of {@link CancelSignal}; an instance may be registered with one signal at a time. */
    public abstract static class Listener {
        private Listener prev;
        private Listener next;
        private boolean linked;

        /** Called once, on the cancelling thread, with the cause. Must not block. */
        protected abstract void cancelled(Throwable cause);
    }

    /** The cause, or null while not cancelled. */
    public final Throwable cause() {
        return cause;
    }

    public final boolean isCancelled() {
        return cause != null;
    }

    /**
     * Cancels with {@code cause} unless already cancelled. Either way, when it returns the
     * listeners and the hook of the (first) cancellation have run.
     *
     * @return true if this call cancelled the signal (and ran the listeners and the hook)
     */
    public final boolean cancel(Throwable cause) {
        if (!CAUSE.compareAndSet(this, null, cause)) {
            awaitPropagated();
            return false;
        }
        Listener list;
        lock.lock();
        try {
            fired = true;
            propagator = Thread.currentThread();
            list = head;
            head = tail = null;
        } finally {
            lock.unlock();
        }
        try {
            while (list != null) {
                Listener next = list.next;
                list.prev = list.next = null;
                try {
                    list.cancelled(cause);
                } catch (Throwable t) {
                    LOG.warn("cancellation listener {} threw", list, t);
                }
                list = next;
            }
            try {
                onCancelled(cause);
            } catch (Throwable t) {
                LOG.warn("cancellation hook threw", t);
            }
        } finally {
            lock.lock();
            try {
                propagator = null;
                propagated = true;
                propagatedCondition.signalAll();
            } finally {
                lock.unlock();
            }
        }
        return true;
    }

    /**
     * If the signal is cancelled, waits (uninterruptibly, briefly) until its listeners and hook
     * have run; returns at once if it is not cancelled or if called from the propagating thread.
     */
    public final void awaitPropagated() {
        if (propagated || cause == null) {
            return;
        }
        lock.lock();
        try {
            while (!propagated && propagator != Thread.currentThread()) {
                propagatedCondition.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Hook for the owner of the signal; runs once, on the cancelling thread, after the listeners. */
    protected void onCancelled(Throwable cause) {}

    /**
     * Registers {@code listener}.
     *
     * @return true if registered; false if the signal has already fired (the listener will not run)
     */
    public final boolean add(Listener listener) {
        lock.lock();
        try {
            if (fired) {
                return false;
            }
            listener.linked = true;
            listener.prev = tail;
            if (tail == null) {
                head = listener;
            } else {
                tail.next = listener;
            }
            tail = listener;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Unregisters {@code listener}.
     *
     * @return true if it was registered and has not been (and now will not be) run
     */
    public final boolean remove(Listener listener) {
        lock.lock();
        try {
            if (fired || !listener.linked) {
                return false;
            }
            listener.linked = false;
            if (listener.prev == null) {
                head = listener.next;
            } else {
                listener.prev.next = listener.next;
            }
            if (listener.next == null) {
                tail = listener.prev;
            } else {
                listener.next.prev = listener.prev;
            }
            listener.prev = listener.next = null;
            return true;
        } finally {
            lock.unlock();
        }
    }
}
