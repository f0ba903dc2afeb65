package dev.weft;

import dev.weft.internal.Suppressed;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Bounded parallelism in one call, on top of {@link Scope}: Go's worker pool, errgroup with
 * {@code SetLimit}, and the bounded Kafka consumer, made the easy thing to write.
 *
 * <pre>{@code
 * List<Page> pages = Par.map(urls, 16, url -> fetch(url));       // in input order, at most 16 at once
 * Par.forEach(consumer.messages(), 50, msg -> handle(msg));      // reads at most 50 messages ahead
 * Par.mapOrdered(lines, 8, line -> parse(line), row -> out.write(row)); // sink in order, on this thread
 * String fastest = Par.race(List.of(() -> replicaA(), () -> replicaB()));
 * }</pre>
 *
 * <h2>Bounded by construction</h2>
 * {@link #map}, {@link #forEach} and {@link #mapOrdered} run their work in at most {@code limit}
 * worker tasks, which pull the next item when they are done with the last one. So:
 * <ul>
 *   <li><b>never more than {@code limit} tasks alive, and never more than {@code limit} threads
 *       created</b> per call, however many items there are. Threads are started only when there
 *       is work for them: the first when the call starts, then one more each time a worker takes
 *       an item while more may follow and no other worker is free, until there are
 *       {@code limit}. A worker that has ended is not replaced;</li>
 *   <li><b>never more than {@code limit} items read ahead:</b> {@code forEach} and
 *       {@code mapOrdered} read their source lazily, one item per free worker, so at most
 *       {@code limit} items have been taken from it and not yet finished. A source that produces
 *       faster than the work is done is simply read more slowly (backpressure);</li>
 *   <li><b>memory is O(limit)</b> for {@code forEach} and {@code mapOrdered}, whatever the
 *       length of the source (for {@code map} it is the O(n) list of results).</li>
 * </ul>
 * {@link #all} and {@link #race} run one task per element of a collection the caller has already
 * built: they are for a handful of different calls, not for a data set (use {@code map}).
 *
 * <h2>Cancellation, deadlines, failures</h2>
 * Each call opens a fail-fast scope of its own, a child of the {@linkplain Context#current()
 * current context}, and returns only once every thread it started has ended, on every path. So:
 * <ul>
 *   <li>the first failure of the work cancels the rest (running items are interrupted, no new item
 *       starts) and the call throws {@link ScopeFailedException} with that failure as its cause
 *       and the later ones suppressed; an {@link Error} is thrown as itself;</li>
 *   <li>the current context's cancellation and deadline reach the work: the call throws
 *       {@link CancelledException} or {@link DeadlineExceededException}. A call in a context that
 *       is already cancelled throws at once, even with nothing to do;</li>
 *   <li>an interrupt of the caller while it waits makes the call cancel its work, wait for it and
 *       throw {@link InterruptedException};</li>
 *   <li>a task that catches the interrupt and returns normally still counts as done.</li>
 * </ul>
 * The call's scope gets the caller's context values, MDC and time source. To name it, give it a
 * timeout, or choose its threads, use {@link #with(UnaryOperator)}.
 *
 * <p>Memory consistency effects: actions in the calling thread prior to a {@code Par} call
 * happen-before every task, function or action it runs starts. Actions of every task, function or
 * action the call runs happen-before the call returns or throws; in particular the results
 * {@code map}, {@code all} and {@code race} return are fully visible to the caller. In
 * {@code mapOrdered}, actions of the function for an item happen-before the sink is called with
 * its result. (jcstress: {@code ParMapResultsVisibleAfterReturn},
 * {@code ParForEachActionsHappenBeforeReturn}, {@code ParMapOrderedSinkSeesFunctionWrites},
 * {@code ParRaceWinnerVisible}.)
 *
 * <p>The design and the departures from DESIGN are in docs/adr/0008-par.md and
 * docs/adr/0009-ordered-streaming-map.md.
 */
public final class Par {
    private static final Configured DEFAULT = new Configured(null);

    private Par() {}

    /**
     * Runs every task at once, each in a fork of its own, and returns their results in the order of
     * {@code tasks}. The first failure cancels the others (fail-fast).
     *
     * @return the results, in input order (an unmodifiable list, which may contain nulls)
     * @throws ScopeFailedException if a task failed (the first failure is the cause)
     * @throws CancelledException if the current context is or becomes cancelled first
     * @throws DeadlineExceededException if the current deadline passes first
     * @throws InterruptedException if the caller is interrupted while waiting
     * @throws NullPointerException if {@code tasks} or one of its elements is null
     */
    public static <T> List<T> all(Collection<? extends Callable<? extends T>> tasks) throws InterruptedException {
        return DEFAULT.all(tasks);
    }

    /**
     * Runs every task at once and returns the first result to succeed. The others are then
     * interrupted, and {@code race} returns once they have ended. Failures of the other tasks are
     * ignored when one succeeds; if all fail, it throws {@link ScopeFailedException} with the
     * first failure as its cause and the others suppressed. An {@link Error} in any task is never
     * ignored: it cancels the race and is thrown as itself.
     *
     * @return the first successful result (which may be null)
     * @throws ScopeFailedException if every task failed
     * @throws CancelledException if the current context is or becomes cancelled before a success
     * @throws DeadlineExceededException if the current deadline passes before a success
     * @throws InterruptedException if the caller is interrupted while waiting
     * @throws IllegalArgumentException if {@code tasks} is empty
     * @throws NullPointerException if {@code tasks} or one of its elements is null
     */
    public static <T> T race(Collection<? extends Callable<? extends T>> tasks) throws InterruptedException {
        return DEFAULT.race(tasks);
    }

    /**
     * Applies {@code fn} to every item, with at most {@code limit} items in progress at once, and
     * returns the results in the order of {@code items}. At most {@code limit} worker tasks (and
     * threads) run; each takes the next item when it is done with the last. The first failure
     * cancels the rest, and no item starts after it.
     *
     * @return the results, in input order (an unmodifiable list, which may contain nulls)
     * @throws ScopeFailedException if {@code fn} failed (the first failure is the cause)
     * @throws CancelledException if the current context is or becomes cancelled first
     * @throws DeadlineExceededException if the current deadline passes first
     * @throws InterruptedException if the caller is interrupted while waiting
     * @throws IllegalArgumentException if {@code limit} is not positive
     * @throws NullPointerException if {@code items} or {@code fn} is null (null elements are
     *     passed to {@code fn})
     */
    public static <T, R> List<R> map(Collection<? extends T> items, int limit,
            CheckedFunction<? super T, ? extends R> fn) throws InterruptedException {
        return DEFAULT.map(items, limit, fn);
    }

    /**
     * Runs {@code action} on every item of {@code source}, with at most {@code limit} at once,
     * reading the source lazily: an item is taken only when a worker is free for it, so at most
     * {@code limit} items have been read and not yet finished. This is the bounded consumer: a
     * burst in the source never becomes a burst of threads or of memory. The source is read under
     * a lock by the workers, one call at a time (a plain iterator is fine), and never again after
     * it has thrown; its exception fails the call like a failing action. Returns when the source
     * is exhausted and every action has ended.
     *
     * @throws ScopeFailedException if an action or the source failed (the first failure is the cause)
     * @throws CancelledException if the current context is or becomes cancelled first
     * @throws DeadlineExceededException if the current deadline passes first
     * @throws InterruptedException if the caller is interrupted while waiting
     * @throws IllegalArgumentException if {@code limit} is not positive
     * @throws NullPointerException if {@code source} or {@code action} is null
     */
    public static <T> void forEach(Iterator<? extends T> source, int limit, CheckedConsumer<? super T> action)
            throws InterruptedException {
        DEFAULT.forEach(source, limit, action);
    }

    /** {@link #forEach(Iterator, int, CheckedConsumer)} over {@code source.iterator()}. */
    public static <T> void forEach(Iterable<? extends T> source, int limit, CheckedConsumer<? super T> action)
            throws InterruptedException {
        DEFAULT.forEach(source, limit, action);
    }

    /**
     * {@link #forEach(Iterator, int, CheckedConsumer)} over {@code source.iterator()}: the stream
     * is pulled lazily, and it is not closed (close it yourself, as with {@code Stream.forEach}).
     */
    public static <T> void forEach(Stream<? extends T> source, int limit, CheckedConsumer<? super T> action)
            throws InterruptedException {
        DEFAULT.forEach(source, limit, action);
    }

    /**
     * The streaming, order-preserving map: applies {@code fn} to every item of {@code source} with
     * at most {@code limit} at once, and calls {@code sink} with each result <em>in input
     * order, on the calling thread</em>, as soon as it and every result before it are ready. The
     * source may be unbounded: at most {@code limit} items are between the source and the end of
     * their sink call (being computed, or waiting in the reorder buffer of {@code limit} slots),
     * so memory stays O(limit). A slow item holds back the results after it, and once
     * {@code limit} items are waiting, the source is not read until the slow one is through.
     * No thread outlives the call. Returns normally only once every item has gone through the
     * sink. A sink that throws stops the call: the workers are cancelled and the sink's exception
     * is the cause of the {@link ScopeFailedException} thrown (an {@code Error} or an
     * {@code InterruptedException} is thrown as itself).
     *
     * @throws ScopeFailedException if {@code fn}, the source or the sink failed (the first failure
     *     is the cause)
     * @throws CancelledException if the current context is or becomes cancelled first
     * @throws DeadlineExceededException if the current deadline passes first
     * @throws InterruptedException if the caller is interrupted while waiting
     * @throws IllegalArgumentException if {@code limit} is not positive
     * @throws NullPointerException if an argument is null
     */
    public static <T, R> void mapOrdered(Iterator<? extends T> source, int limit,
            CheckedFunction<? super T, ? extends R> fn, CheckedConsumer<? super R> sink) throws InterruptedException {
        DEFAULT.mapOrdered(source, limit, fn, sink);
    }

    /** {@link #mapOrdered(Iterator, int, CheckedFunction, CheckedConsumer)} over {@code source.iterator()}. */
    public static <T, R> void mapOrdered(Iterable<? extends T> source, int limit,
            CheckedFunction<? super T, ? extends R> fn, CheckedConsumer<? super R> sink) throws InterruptedException {
        DEFAULT.mapOrdered(source, limit, fn, sink);
    }

    /**
     * {@link #mapOrdered(Iterator, int, CheckedFunction, CheckedConsumer)} over
     * {@code source.iterator()}; the stream is not closed.
     */
    public static <T, R> void mapOrdered(Stream<? extends T> source, int limit,
            CheckedFunction<? super T, ? extends R> fn, CheckedConsumer<? super R> sink) throws InterruptedException {
        DEFAULT.mapOrdered(source, limit, fn, sink);
    }

    /**
     * The same operations, each run in a scope configured by {@code configurer} (applied to the
     * default {@link Scope.Config} at every call): a name for messages, a timeout or deadline for
     * the call, a thread factory, context values, a time source.
     * {@code Par.with(c -> c.withTimeout(Duration.ofSeconds(2)).withName("thumbnails")).map(...)}.
     * The limit and fail-fast are {@code Par}'s own: a configurer that sets
     * {@link Scope.Config#withLimit} or {@code withFailFast(false)} is rejected when the call
     * applies it, with {@link IllegalArgumentException}.
     *
     * @throws NullPointerException if {@code configurer} is null
     */
    public static Configured with(UnaryOperator<Scope.Config> configurer) {
        return new Configured(Objects.requireNonNull(configurer, "configurer"));
    }

    /** {@code Par}'s operations with a scope configuration; see {@link Par#with(UnaryOperator)}. */
    public static final class Configured {
        private final UnaryOperator<Scope.Config> configurer;

        private Configured(UnaryOperator<Scope.Config> configurer) {
            this.configurer = configurer;
        }

        /** {@link Par#all(Collection)} in a configured scope. */
        public <T> List<T> all(Collection<? extends Callable<? extends T>> tasks) throws InterruptedException {
            List<Callable<? extends T>> checked = checkTasks(tasks);
            try (Scope scope = open("Par.all", true)) {
                List<Subtask<? extends T>> subtasks = new ArrayList<>(checked.size());
                for (Callable<? extends T> task : checked) {
                    subtasks.add(scope.fork(task));
                }
                scope.joinOrAbandon();
                Object[] results = new Object[subtasks.size()];
                for (int i = 0; i < results.length; i++) {
                    results[i] = subtasks.get(i).get();
                }
                return listOf(results);
            }
        }

        /** {@link Par#race(Collection)} in a configured scope. */
        public <T> T race(Collection<? extends Callable<? extends T>> tasks) throws InterruptedException {
            List<Callable<? extends T>> checked = checkTasks(tasks);
            if (checked.isEmpty()) {
                throw new IllegalArgumentException("tasks must not be empty: a race needs at least one task");
            }
            AtomicReference<Object> winner = new AtomicReference<>();
            AtomicReference<Error> error = new AtomicReference<>();
            RuntimeException failed = null;
            try (Scope scope = open("Par.race", false)) {
                for (Callable<? extends T> task : checked) {
                    scope.fork(() -> {
                        T value;
                        try {
                            value = task.call();
                        } catch (Error e) {
                            error.compareAndSet(null, e);
                            scope.cancel(e);
                            throw e;
                        }
                        if (winner.compareAndSet(null, new Won(value))) {
                            scope.cancel(new CancelledException(scope.describe() + ": another task won the race"));
                        }
                    });
                }
                try {
                    scope.joinOrAbandon();
                } catch (ScopeFailedException | CancelledException e) {
                    failed = e; // what the losers did, or every task failed, or the context ended
                }
            }
            Error e = error.get();
            if (e != null) {
                if (failed != null) { // the other tasks' real failures, which join suppressed on its exception
                    Suppressed.handOver(failed, e);
                }
                throw e;
            }
            Object won = winner.get();
            if (won != null) {
                @SuppressWarnings("unchecked")
                T value = (T) ((Won) won).value;
                return value;
            }
            throw Objects.requireNonNull(failed, "a race with no winner has a failure");
        }

        /** {@link Par#map(Collection, int, CheckedFunction)} in a configured scope. */
        public <T, R> List<R> map(Collection<? extends T> items, int limit, CheckedFunction<? super T, ? extends R> fn)
                throws InterruptedException {
            Objects.requireNonNull(items, "items");
            Scope.Config.checkLimit(limit);
            Objects.requireNonNull(fn, "fn");
            List<? extends T> list = items instanceof List<? extends T> l && items instanceof RandomAccess
                    ? l : Arrays.asList(castArray(items.toArray()));
            try (Scope scope = open("Par.map", true)) {
                ParMap<T, R> job = new ParMap<>(scope, limit, list, fn);
                if (!list.isEmpty()) {
                    job.spawn();
                }
                scope.joinOrAbandon();
                return listOf(job.results);
            }
        }

        /** {@link Par#forEach(Iterator, int, CheckedConsumer)} in a configured scope. */
        public <T> void forEach(Iterator<? extends T> source, int limit, CheckedConsumer<? super T> action)
                throws InterruptedException {
            Objects.requireNonNull(source, "source");
            Scope.Config.checkLimit(limit);
            Objects.requireNonNull(action, "action");
            try (Scope scope = open("Par.forEach", true)) {
                new ParForEach<T>(scope, limit, source, action).spawn();
                scope.joinOrAbandon();
            }
        }

        /** {@link Par#forEach(Iterable, int, CheckedConsumer)} in a configured scope. */
        public <T> void forEach(Iterable<? extends T> source, int limit, CheckedConsumer<? super T> action)
                throws InterruptedException {
            Objects.requireNonNull(source, "source");
            forEach(iterator(source.iterator()), limit, action);
        }

        /** {@link Par#forEach(Stream, int, CheckedConsumer)} in a configured scope. */
        public <T> void forEach(Stream<? extends T> source, int limit, CheckedConsumer<? super T> action)
                throws InterruptedException {
            Objects.requireNonNull(source, "source");
            forEach(iterator(source.iterator()), limit, action);
        }

        /** {@link Par#mapOrdered(Iterator, int, CheckedFunction, CheckedConsumer)} in a configured scope. */
        public <T, R> void mapOrdered(Iterator<? extends T> source, int limit,
                CheckedFunction<? super T, ? extends R> fn, CheckedConsumer<? super R> sink) throws InterruptedException {
            Objects.requireNonNull(source, "source");
            Scope.Config.checkLimit(limit);
            Objects.requireNonNull(fn, "fn");
            Objects.requireNonNull(sink, "sink");
            try (Scope scope = open("Par.mapOrdered", true)) {
                new ParOrdered<T, R>(scope, limit, source, fn).run(sink);
            }
        }

        /** {@link Par#mapOrdered(Iterable, int, CheckedFunction, CheckedConsumer)} in a configured scope. */
        public <T, R> void mapOrdered(Iterable<? extends T> source, int limit,
                CheckedFunction<? super T, ? extends R> fn, CheckedConsumer<? super R> sink) throws InterruptedException {
            Objects.requireNonNull(source, "source");
            mapOrdered(iterator(source.iterator()), limit, fn, sink);
        }

        /** {@link Par#mapOrdered(Stream, int, CheckedFunction, CheckedConsumer)} in a configured scope. */
        public <T, R> void mapOrdered(Stream<? extends T> source, int limit,
                CheckedFunction<? super T, ? extends R> fn, CheckedConsumer<? super R> sink) throws InterruptedException {
            Objects.requireNonNull(source, "source");
            mapOrdered(iterator(source.iterator()), limit, fn, sink);
        }

        /**
         * Opens the call's scope: the caller's configuration, named after the operation unless it
         * has a name, and not fail-fast for a race. Throws at once (with nothing forked) if the
         * scope is cancelled as it opens: the current context was cancelled, or the configured
         * deadline has passed.
         */
        private Scope open(String operation, boolean failFast) {
            Scope scope = Scope.open(c -> {
                Scope.Config config = c;
                if (configurer != null) {
                    config = configurer.apply(c);
                    if (config == null) {
                        throw new NullPointerException("configurer returned null instead of a Scope.Config");
                    }
                    if (config.limit != Scope.Config.UNLIMITED) {
                        throw new IllegalArgumentException("the configurer set withLimit(" + config.limit
                                + "): Par sets the limit of its scope itself; pass it as the limit argument");
                    }
                    if (!config.failFast) {
                        throw new IllegalArgumentException(
                                "the configurer set withFailFast(false): Par's operations are always fail-fast");
                    }
                }
                if (config.name == null) {
                    config = config.withName(operation);
                }
                return failFast ? config : config.withFailFast(false);
            });
            try {
                scope.context.throwIfCancelled();
            } catch (CancelledException e) {
                scope.close();
                throw e;
            }
            return scope;
        }

        @Override
        public String toString() {
            return configurer == null ? "Par" : "Par.with(" + configurer + ")";
        }
    }

    private static <T> List<Callable<? extends T>> checkTasks(Collection<? extends Callable<? extends T>> tasks) {
        Objects.requireNonNull(tasks, "tasks");
        List<Callable<? extends T>> copy = new ArrayList<>(tasks);
        for (int i = 0; i < copy.size(); i++) {
            if (copy.get(i) == null) {
                throw new NullPointerException("tasks[" + i + "] is null");
            }
        }
        return copy;
    }

    private static <T> Iterator<T> iterator(Iterator<T> it) {
        return Objects.requireNonNull(it, "source.iterator() returned null");
    }

    @SuppressWarnings("unchecked")
    private static <T> T[] castArray(Object[] array) {
        return (T[]) array;
    }

    @SuppressWarnings("unchecked")
    private static <R> List<R> listOf(Object[] results) {
        return Collections.unmodifiableList(Arrays.asList((R[]) results));
    }

    /** The winner of a race, boxed so that a null result still wins. */
    private record Won(Object value) {}
}
