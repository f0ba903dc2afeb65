package dev.weft;

import dev.weft.internal.Parker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A weighted semaphore with the semantics of Go's {@code golang.org/x/sync/semaphore.Weighted}:
 * a fixed total of permits, taken and given back in any amount.
 *
 * <pre>{@code
 * Semaphore memory = new Semaphore(512);          // MiB of decode buffers
 * byte[] image = memory.withPermits(sizeMiB, () -> decode(file));
 * }</pre>
 *
 * <ul>
 *   <li><b>Strict FIFO.</b> Waiters are served in arrival order, and a waiter that cannot be
 *       served yet blocks every waiter behind it, even small ones that would fit. So a large
 *       request is never starved by a stream of small ones. {@link #tryAcquire} fails whenever
 *       anyone is queued, for the same reason.</li>
 *   <li><b>Cancellation and deadlines.</b> {@link #acquire} waits inside the caller's
 *       {@link Context#current() context}: when that context is cancelled (by its scope, a
 *       failure, its deadline or a parent) the waiting call wakes up without an interrupt, on the
 *       scope's owner thread too, and throws {@link CancelledException} or
 *       {@link DeadlineExceededException}. An acquire in a context that is already cancelled fails
 *       even if permits are free.</li>
 *   <li><b>Nothing leaks.</b> If permits are granted to a waiter at the moment it is cancelled or
 *       interrupted, and it throws, the permits are handed on to the next waiters, as if released.
 *       A call that returns normally holds its permits, and a call that throws holds none.</li>
 *   <li><b>Clear failures.</b> A request for more than the total throws at once rather than
 *       blocking forever. Releasing more than is held throws.</li>
 * </ul>
 *
 * <p>Permits are not owned by threads: any thread may release permits another acquired, as in Go
 * and {@link java.util.concurrent.Semaphore}.
 *
 * <p>Memory consistency effects: actions in a thread prior to {@link #release} happen-before
 * actions following an {@link #acquire} or {@link #tryAcquire} in another thread that obtains
 * any of the released permits.
 */
public final class Semaphore {
    /*
     * Implementation overview.
     *
     * `state` is the number of permits held, with the QUEUED bit (the sign bit) set while the
     * FIFO queue of waiters is not empty. Invariant: QUEUED is set if and only if `head != null`,
     * and both change only under `lock`.
     *
     * - While QUEUED is clear, acquire and release may change the count by CAS without the lock
     *   (the fast paths: one CAS each, as cheap as the JDK's semaphore). A fast acquire fails over
     *   to the lock when the request does not fit or QUEUED is set, so nobody ever passes a
     *   queued waiter: strict FIFO.
     * - While QUEUED is set, no CAS of a fast path can succeed (they expect a value without the
     *   bit), so the state changes only under the lock: a release under the lock grants permits to
     *   the front of the queue (Go's notifyWaiters) and rewrites the state, clearing QUEUED when
     *   the queue has emptied.
     * - An acquire that has to wait sets QUEUED by CAS under the lock (retrying if a fast path
     *   changed the count meanwhile, in which case the request may fit after all) and enqueues
     *   before unlocking, so the invariant holds for the next lock holder.
     * - An ABA on the count (QUEUED set and cleared while a fast acquire is between its read and
     *   its CAS) is harmless: the count alone decides whether the request fits, and the queue is
     *   empty again when the CAS can succeed.
     *
     * A waiter parks until its volatile `granted` is set, its context is cancelled, or it is
     * interrupted (a Parker: the cancelling thread only unparks it). A waiter that gives up settles
     * under the lock: it leaves the queue, or gives back the permits granted to it meanwhile, and
     * grants the next waiters. So a grant racing a cancellation neither leaks nor duplicates a
     * permit (jcstress SemaphoreAcquireRacingCancel).
     *
     * Happens-before: a release publishes by a CAS or a volatile write of `state` (read by the
     * next fast acquire) or by `granted` (read by the waiter it grants).
     */
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Semaphore.class, "state", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The bit of {@code state} that says the queue is not empty. */
    private static final long QUEUED = Long.MIN_VALUE;

    private final long size;
    private final ReentrantLock lock = new ReentrantLock();
    /** Permits held, plus {@link #QUEUED} while anyone waits; see the overview. */
    private volatile long state;
    /** The FIFO queue of waiters; guarded by {@code lock}. */
    private Waiter head;
    private Waiter tail;

    /**
     * A semaphore with {@code permits} permits, all free.
     *
     * @throws IllegalArgumentException if {@code permits} is not positive
     */
    public Semaphore(long permits) {
        if (permits <= 0) {
            throw new IllegalArgumentException("permits must be positive, was " + permits);
        }
        this.size = permits;
    }

    /**
     * Takes {@code n} permits, waiting in FIFO order until they are free. {@code acquire(0)}
     * returns at once unless someone is queued.
     *
     * @throws IllegalArgumentException if {@code n} is negative or more than the total
     * @throws CancelledException if the current context is or becomes cancelled first
     * @throws DeadlineExceededException if the current context's deadline passes first
     * @throws InterruptedException if the thread is interrupted while waiting (and the context
     *     is not cancelled)
     */
    public void acquire(long n) throws InterruptedException {
        acquire(n, Context.current());
    }

    /**
     * {@link #acquire(long)} waiting in {@code ctx} rather than the current context: a limited
     * scope's {@code fork} waits for a slot in the scope's own context.
     */
    void acquire(long n, Context ctx) throws InterruptedException {
        checkRequest(n);
        ctx.throwIfCancelled();
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before acquire(" + n + ")");
        }
        if (tryTake(n)) {
            return;
        }
        Waiter w;
        lock.lock();
        try {
            while (true) {
                long s = state;
                if (s < 0) {
                    break; // others are queued: join the end of the queue
                }
                if (size - s >= n) {
                    if (STATE.compareAndSet(this, s, s + n)) {
                        return;
                    }
                } else if (STATE.compareAndSet(this, s, s | QUEUED)) {
                    break;
                }
            }
            w = new Waiter(n);
            enqueue(w);
        } finally {
            lock.unlock();
        }
        await(w, ctx);
    }

    /**
     * Takes {@code n} permits if they are free and nobody is queued, without waiting.
     *
     * @return true if the permits were taken
     * @throws IllegalArgumentException if {@code n} is negative or more than the total
     */
    public boolean tryAcquire(long n) {
        checkRequest(n);
        return tryTake(n);
    }

    /**
     * Gives back {@code n} permits and wakes the waiters at the front of the queue that now fit.
     *
     * @throws IllegalArgumentException if {@code n} is negative
     * @throws IllegalStateException if {@code n} is more than the permits held
     */
    public void release(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative, was " + n);
        }
        while (true) {
            long s = state;
            if (s < 0) {
                break; // waiters are queued: grant under the lock
            }
            checkHeld(n, s);
            if (STATE.compareAndSet(this, s, s - n)) {
                return;
            }
        }
        lock.lock();
        try {
            giveBack(n, true);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code body} holding {@code n} permits, and releases them however it ends.
     *
     * @return what {@code body} returned
     * @throws Exception what {@code acquire} or {@code body} threw
     */
    public <T> T withPermits(long n, Callable<? extends T> body) throws Exception {
        Objects.requireNonNull(body, "body");
        acquire(n);
        try {
            return body.call();
        } finally {
            release(n);
        }
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            int queued = 0;
            for (Waiter w = head; w != null; w = w.next) {
                queued++;
            }
            return "Semaphore[held " + (state & ~QUEUED) + " of " + size + ", " + queued + " queued]";
        } finally {
            lock.unlock();
        }
    }

    private void checkRequest(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative, was " + n);
        }
        if (n > size) {
            throw new IllegalArgumentException("n = " + n + " is more than the semaphore's total of " + size
                    + " permits: it could never be granted");
        }
    }

    /** Parks until {@code w} is granted, or the context is cancelled, or the thread is interrupted. */
    private void await(Waiter w, Context ctx) throws InterruptedException {
        w.arm(ctx.signal);
        try {
            while (!w.granted) {
                if (ctx.isCancelled()) {
                    abandon(w);
                    ctx.throwIfCancelled();
                }
                if (Thread.interrupted()) {
                    abandon(w);
                    throw new InterruptedException("interrupted in acquire(" + w.n + ")");
                }
                LockSupport.park(this);
            }
        } finally {
            w.disarm();
        }
    }

    /** A waiter gives up: leaves the queue, or hands on the permits granted to it meanwhile. */
    private void abandon(Waiter w) {
        lock.lock();
        try {
            if (w.granted) {
                giveBack(w.n, false);
            } else {
                unlink(w);
                giveBack(0, false);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Takes {@code n} permits by CAS if nobody is queued and they fit. */
    private boolean tryTake(long n) {
        while (true) {
            long s = state;
            if (s < 0 || size - s < n) {
                return false;
            }
            if (STATE.compareAndSet(this, s, s + n)) {
                return true;
            }
        }
    }

    private static void checkHeld(long n, long s) {
        if (n > s) {
            throw new IllegalStateException("release(" + n + ") is more than the " + s + " permits held");
        }
    }

    /**
     * Gives back {@code n} permits and grants the front of the queue what now fits, then rewrites
     * the state (clearing {@link #QUEUED} if the queue has emptied). Holds {@code lock}.
     *
     * @param check whether to reject {@code n} larger than the permits held (a caller's release)
     */
    private void giveBack(long n, boolean check) {
        while (true) {
            long s = state;
            long held = s & ~QUEUED;
            if (check) {
                checkHeld(n, held);
            }
            if (s >= 0) {
                // Nobody queued, so fast paths may be changing the count: CAS like they do.
                if (STATE.compareAndSet(this, s, held - n)) {
                    return;
                }
                continue;
            }
            held -= n;
            for (Waiter w = head; w != null && size - held >= w.n; w = head) {
                held += w.n;
                unlink(w);
                w.granted = true;
                w.wake();
            }
            state = head == null ? held : held | QUEUED;
            return;
        }
    }

    private void enqueue(Waiter w) {
        w.prev = tail;
        if (tail == null) {
            head = w;
        } else {
            tail.next = w;
        }
        tail = w;
    }

    private void unlink(Waiter w) {
        if (w.prev == null) {
            head = w.next;
        } else {
            w.prev.next = w.next;
        }
        if (w.next == null) {
            tail = w.prev;
        } else {
            w.next.prev = w.prev;
        }
        w.prev = w.next = null;
    }

    /** A queued acquire; as a {@link Parker}, its cancellation only wakes it. */
    private static final class Waiter extends Parker {
        final long n;
        Waiter prev;
        Waiter next;
        volatile boolean granted;

        Waiter(long n) {
            this.n = n;
        }
    }
}
