package dev.weft;

import dev.weft.internal.Parker;
import dev.weft.internal.Suppressed;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * {@link Par#mapOrdered}: workers take items from the source, numbered in order, and apply the
 * function; the owner (the caller's thread) hands the results to the sink in input order.
 *
 * <p>Implementation overview. A ring of {@code limit} slots is the reorder buffer: the result of
 * item {@code seq} goes into slot {@code seq % limit}. {@code delivered} counts the items whose
 * sink call has returned; it is written only by the owner. The invariant is
 * {@code nextSeq - delivered <= limit}: a worker takes item {@code seq} from the source only once
 * {@code seq < delivered + limit}, so the items taken and not yet through the sink, whether being
 * computed or waiting in the ring, are never more than {@code limit}, and the slots of the items
 * between {@code delivered} and {@code nextSeq} are distinct. The owner clears a slot before it
 * advances {@code delivered} past it, so a slot is empty when its next item is written.
 *
 * <p>Three waits, none of which can miss its wake-up (each is a Dekker pair of volatiles):
 * <ul>
 *   <li>The owner waits for slot {@code delivered}. A worker writes its slot, then reads
 *       {@code delivered} and unparks the owner if that is the slot it waits for; the owner wrote
 *       {@code delivered} before it reads the slot. The worker that finds the source exhausted
 *       writes {@code total} and unparks the owner. The owner is armed (a {@link Parker}) on the
 *       scope's signal, so a failure, the deadline or a cancelled parent wake it without an
 *       interrupt.</li>
 *   <li>A worker waits for room while holding the source lock, so at most one does. It publishes
 *       itself in {@code roomWaiter}, then reads {@code delivered}; the owner writes
 *       {@code delivered}, then reads {@code roomWaiter} and unparks it. The scope's
 *       cancellation interrupts it.</li>
 *   <li>Workers queue on the source lock interruptibly ({@link ParPull}).</li>
 * </ul>
 * No wait is circular: the owner waits only for an item some worker has already taken, and a
 * worker waits only for the owner, which waits for nothing else.
 */
final class ParOrdered<T, R> extends ParPull<T> {
    /** Stands for a null result in the ring, where null means "not there yet". */
    private static final Object NULL = new Object();

    /** Guarded by the source lock: the number of the next item to take. */
    private long nextSeq;
    private final CheckedFunction<? super T, ? extends R> fn;
    private final AtomicReferenceArray<Object> ring;
    private final Thread owner;
    /** The items whose sink call has returned; written by the owner only. */
    private volatile long delivered;
    /** How many items the source had, once a worker has found it exhausted; -1 before. */
    private volatile long total = -1;
    /** The worker waiting for room in the ring (it holds the source lock), or null. */
    private volatile Thread roomWaiter;

    ParOrdered(Scope scope, int limit, Iterator<? extends T> source, CheckedFunction<? super T, ? extends R> fn) {
        super(scope, limit, source);
        this.fn = fn;
        this.ring = new AtomicReferenceArray<>(limit);
        this.owner = Thread.currentThread();
    }

    @Override
    @SuppressWarnings("unchecked")
    public Void call() throws Exception {
        Context context = scope.context;
        while (true) {
            long seq;
            Object item;
            lock.lockInterruptibly();
            try {
                if (exhausted()) {
                    return null;
                }
                seq = nextSeq;
                awaitRoom(seq);
                context.throwIfCancelled();
                item = takeOrEnd();
                if (item == END) {
                    total = seq;
                    LockSupport.unpark(owner);
                    return null;
                }
                nextSeq = seq + 1;
            } finally {
                lock.unlock();
            }
            spawnIfNobodyWaits();
            R result = fn.apply((T) item);
            ring.set(slot(seq), result == null ? NULL : result);
            if (delivered == seq) {
                LockSupport.unpark(owner);
            }
        }
    }

    /** Waits (holding the source lock) until item {@code seq} fits in the ring. */
    private void awaitRoom(long seq) throws InterruptedException {
        if (seq - delivered < limit) {
            return;
        }
        roomWaiter = Thread.currentThread();
        try {
            while (seq - delivered >= limit) {
                if (Thread.interrupted()) {
                    throw new InterruptedException(scope.describe() + ": interrupted waiting for the sink");
                }
                LockSupport.park(this);
            }
        } finally {
            roomWaiter = null;
        }
    }

    private int slot(long seq) {
        return (int) (seq % limit);
    }

    /**
     * Runs the call on the owner: forks the first worker, hands every result to {@code sink} in
     * input order, then joins. Returns normally only if every item went through the sink.
     */
    @SuppressWarnings("unchecked")
    void run(CheckedConsumer<? super R> sink) throws InterruptedException {
        spawn();
        Parker parker = new Parker() {};
        parker.arm(scope.context.signal);
        Throwable sinkFailure = null;
        long d = 0;
        try {
            while (!scope.isCancelled() && !owner.isInterrupted()) {
                int i = slot(d);
                Object x = ring.get(i);
                if (x != null) {
                    ring.set(i, null);
                    try {
                        sink.accept(x == NULL ? null : (R) x);
                    } catch (Throwable t) {
                        sinkFailure = t;
                        break;
                    }
                    delivered = ++d;
                    Thread w = roomWaiter;
                    if (w != null) {
                        LockSupport.unpark(w);
                    }
                } else if (d == total) {
                    break;
                } else {
                    LockSupport.park(this);
                }
            }
        } finally {
            parker.disarm();
        }
        if (sinkFailure != null) {
            sinkFailed(sinkFailure);
        }
        Throwable cancelledBy = scope.context.signal.cause(); // before join, which records its own
        scope.joinOrAbandon(); // throws a failure, the cancellation, or the owner's interrupt
        if (d == total) {
            return;
        }
        if (cancelledBy != null) {
            throw CancelledException.of(cancelledBy);
        }
        Thread.interrupted(); // the tasks had ended already, so join did not see the interrupt
        throw new InterruptedException(scope.describe() + ": interrupted in mapOrdered");
    }

    /**
     * The sink threw: cancel the workers, wait for them, and throw. The sink's exception is the
     * cause (an {@link Error} or an {@link InterruptedException} is thrown as itself) unless
     * something else (a worker's failure, the deadline, a parent) had cancelled the scope first;
     * then that is thrown as {@code join} reports it, with the sink's exception suppressed.
     * Either way nothing is lost: later failures of the workers are suppressed on what is thrown.
     */
    private void sinkFailed(Throwable sinkFailure) throws InterruptedException {
        scope.cancel(sinkFailure);
        boolean sinkFirst = scope.context.signal.cause() == sinkFailure;
        Throwable joined = null;
        try {
            scope.joinOrAbandon(); // cancelled, so an interrupt does not cut it short
        } catch (RuntimeException | Error e) {
            joined = e;
        }
        Throwable reported;
        if (!sinkFirst && joined != null) {
            joined.addSuppressed(sinkFailure);
            reported = joined;
        } else {
            reported = sinkFailure instanceof Error || sinkFailure instanceof InterruptedException ? sinkFailure
                    : new ScopeFailedException(scope.describe() + " failed: the sink threw " + sinkFailure, sinkFailure);
            if (joined != null) {
                Suppressed.handOver(joined, reported);
            }
        }
        if (reported instanceof InterruptedException ie) {
            throw ie;
        }
        if (reported instanceof Error e) {
            throw e;
        }
        throw (RuntimeException) reported;
    }
}
