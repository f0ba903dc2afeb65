package dev.weft;

import java.util.Iterator;

/**
 * The workers of {@link Par#forEach}: each takes the next item from the source (see
 * {@link ParPull}), runs the action on it, and comes back for the next one.
 *
 * <p>A worker holds at most one item at a time and there are at most {@code limit} workers, so
 * the items taken from the source and not yet done never exceed {@code limit}: the source is read
 * only as fast as items are processed (backpressure, the bounded Kafka consumer).
 */
final class ParForEach<T> extends ParPull<T> {
    private final CheckedConsumer<? super T> action;

    ParForEach(Scope scope, int limit, Iterator<? extends T> source, CheckedConsumer<? super T> action) {
        super(scope, limit, source);
        this.action = action;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Void call() throws Exception {
        Context context = scope.context;
        while (true) {
            Object item;
            lock.lockInterruptibly();
            try {
                if (exhausted()) {
                    return null;
                }
                context.throwIfCancelled();
                item = takeOrEnd();
            } finally {
                lock.unlock();
            }
            if (item == END) {
                return null;
            }
            spawnIfNobodyWaits();
            action.accept((T) item);
        }
    }
}
