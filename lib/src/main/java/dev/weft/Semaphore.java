package dev.weft;

import dev.weft.internal.Parker;
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
    private final long size;
    private final ReentrantLock lock = new ReentrantLock();
    /** Permits held; guarded by {@code lock}. */
    private long cur;
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
        checkRequest(n);
        Context ctx = Context.current();
        ctx.throwIfCancelled();
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before acquire(" + n + ")");
        }
        Waiter w;
        lock.lock();
        try {
            if (head == null && size - cur >= n) {
                cur += n;
                return;
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
        lock.lock();
        try {
            if (head == null && size - cur >= n) {
                cur += n;
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
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
        lock.lock();
        try {
            if (n > cur) {
                throw new IllegalStateException("release(" + n + ") is more than the " + cur + " permits held");
            }
            cur -= n;
            grantWaiters();
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
            return "Semaphore[held " + cur + " of " + size + ", " + queued + " queued]";
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
                cur -= w.n;
            } else {
                unlink(w);
            }
            grantWaiters();
        } finally {
            lock.unlock();
        }
    }

    /** Grants permits to the waiters at the front, in order, while they fit. Holds {@code lock}. */
    private void grantWaiters() {
        for (Waiter w = head; w != null && size - cur >= w.n; w = head) {
            cur += w.n;
            unlink(w);
            w.granted = true;
            w.wake();
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
