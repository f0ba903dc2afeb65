package dev.weft;

import java.util.Iterator;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The workers of a {@link Par} call that read a source ({@code forEach}, {@code mapOrdered}): the
 * source and the lock its readers take, shared by both.
 *
 * <p>The workers read the source one at a time under {@link #lock}, so each read happens-after
 * the previous one and a plain, non-thread-safe iterator is safe. They take it interruptibly, so
 * the scope's cancellation releases the workers queued on it. Once the source has said it has no
 * more items, or has thrown, nobody reads it again. A worker holds at most one item at a time.
 */
abstract class ParPull<T> extends ParWorkers {
    /** What {@link #takeOrEnd} returns when the source has no more items. */
    static final Object END = new Object();

    final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}. */
    private final Iterator<? extends T> source;
    /** Guarded by {@link #lock}: the source has no more items, or threw. */
    private boolean exhausted;

    ParPull(Scope scope, int limit, Iterator<? extends T> source) {
        super(scope, limit);
        this.source = source;
    }

    /** True once the source has no more items or has thrown. Holds {@link #lock}. */
    final boolean exhausted() {
        return exhausted;
    }

    /**
     * The next item, or {@link #END} if there is none. Holds {@link #lock}. An exception of the
     * source is thrown to the worker, whose task then fails the call, and the source is not read
     * again.
     */
    final Object takeOrEnd() {
        try {
            if (source.hasNext()) {
                return source.next();
            }
        } catch (Throwable t) {
            exhausted = true;
            throw t;
        }
        exhausted = true;
        return END;
    }

    /** After taking an item: starts one more worker if nobody else is waiting to take the next one. */
    final void spawnIfNobodyWaits() {
        if (!full() && !lock.hasQueuedThreads()) {
            spawn();
        }
    }
}
