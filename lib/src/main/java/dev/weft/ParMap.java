package dev.weft;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * The workers of {@link Par#map}: each claims the next index with one atomic increment, applies
 * the function to that item and writes the result into its own slot of {@link #results}.
 *
 * <p>Every index below {@code n} is claimed by exactly one worker (the counter only grows), and
 * that worker either writes its slot or ends the task by throwing (the function failed, or the
 * scope was cancelled before the item started), which makes the owner's {@code join} throw. So
 * when {@code join} returns normally every slot has been written, and {@code join} happens-after
 * every task's end, so the owner sees the writes (jcstress {@code ParMapResultsVisibleAfterReturn}).
 */
final class ParMap<T, R> extends ParWorkers {
    private static final VarHandle NEXT;

    static {
        try {
            NEXT = MethodHandles.lookup().findVarHandle(ParMap.class, "next", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final List<? extends T> items;
    private final CheckedFunction<? super T, ? extends R> fn;
    /** One slot per item, written by the worker that claimed it. */
    final Object[] results;
    /** The next index to claim; a long, so that the claims past the end cannot overflow. */
    @SuppressWarnings("unused") // accessed through NEXT
    private volatile long next;

    ParMap(Scope scope, int limit, List<? extends T> items, CheckedFunction<? super T, ? extends R> fn) {
        super(scope, limit);
        this.items = items;
        this.fn = fn;
        this.results = new Object[items.size()];
    }

    @Override
    public Void call() throws Exception {
        Context context = scope.context;
        int n = results.length;
        long i;
        while ((i = (long) NEXT.getAndAdd(this, 1L)) < n) {
            context.throwIfCancelled();
            if (i + 1 < n && !full()) {
                spawn();
            }
            int index = (int) i;
            results[index] = fn.apply(items.get(index));
        }
        return null;
    }
}
