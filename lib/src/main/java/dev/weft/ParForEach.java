package dev.weft;

import java.util.Iterator;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The workers of {@link Par#forEach}: each takes the next item from the source under a lock, runs
 * the action on it, and comes back for the next one.
 *
 * <p>A worker holds at most one item at a time and there are at most {@code limit} workers, so
 * the items taken from the source and not yet done never exceed {@code limit}: the source is read
 * only as fast as items are processed (backpressure, the bounded Kafka consumer). The lock makes
 * each read of the source happen-after the previous one, so a plain, non-thread-safe iterator is
 * safe; it is taken interruptibly, so the scope's cancellation releases the workers queued on it.
 * Once the source has thrown or said it has no more items, nobody reads it again.
 */
final class ParForEach<T> extends ParWorkers {
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}. */
    private final Iterator<? extends T> source;
    /** Guarded by {@link #lock}: the source has no more items, or threw. */
    private boolean exhausted;
    private final CheckedConsumer<? super T> action;

    ParForEach(Scope scope, int limit, Iterator<? extends T> source, CheckedConsumer<? super T> action) {
        super(scope, limit);
        this.source = source;
        this.action = action;
    }

    @Override
    public Void call() throws Exception {
        Context context = scope.context;
        while (true) {
            T item;
            lock.lockInterruptibly();
            try {
                if (exhausted) {
                    return null;
                }
                context.throwIfCancelled();
                try {
                    if (!source.hasNext()) {
                        exhausted = true;
                        return null;
                    }
                    item = source.next();
                } catch (Throwable t) {
                    exhausted = true;
                    throw t;
                }
            } finally {
                lock.unlock();
            }
            if (!full() && !lock.hasQueuedThreads()) {
                spawn(); // nobody else is waiting to take the next item
            }
            action.accept(item);
        }
    }
}
