package dev.weft.time;

import dev.weft.Context;
import dev.weft.internal.LiveThreads;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an action once a burst of submitted values has gone quiet: lodash's {@code debounce}, with
 * its {@code leading}, {@code trailing} and {@code maxWait} options, for values submitted from
 * any thread.
 *
 * <pre>{@code
 * Debouncer<Path> reload = Debouncer.of(Duration.ofMillis(300), path -> config.reload());
 * watcher.onChange(reload::submit);   // a burst of 40 change events: one reload, 300 ms after the last
 * ...
 * reload.close();                     // runs a pending reload now, and waits for it
 * }</pre>
 *
 * <h2>When the action runs</h2>
 * Let {@code wait} be the quiet period. A submit is a <em>leading</em> submit when no timer is
 * pending and the debouncer has been quiet (no submit) for at least {@code wait} (or
 * {@code maxWait} has passed since the last run, or nothing was submitted yet, or since
 * {@link #cancel()}).
 * <ul>
 *   <li><b>leading</b> (off by default): a leading submit runs the action at once with its value.
 *       That value is not pending for the trailing edge.</li>
 *   <li><b>trailing</b> (on by default): once {@code wait} has passed with no submit, the action
 *       runs with the <em>last</em> value submitted since the previous run, if there is one. So with
 *       both edges on, a burst of one submit runs the action once (leading), and a burst of two
 *       or more runs it twice (leading with the first value, trailing with the last).</li>
 *   <li><b>maxWait</b> (none by default; at least {@code wait}): steady input still runs the action
 *       at least every {@code maxWait}. When {@code maxWait} has passed since the last run (or
 *       since the start of the burst), the trailing edge runs then, with the latest value, even if
 *       submits keep coming.</li>
 * </ul>
 * The timer is not reset on every submit: it is armed at the start of a burst and, when it expires
 * too early, re-armed for the remaining quiet time, as lodash does. So {@link #submit} takes a
 * lock, reads the clock, records the value and its time, and allocates nothing.
 *
 * <h2>The action</h2>
 * <ul>
 *   <li>It runs on a virtual thread of its own, started when an edge fires, with the root
 *       context. The thread counts in weft's live threads until it ends.</li>
 *   <li><b>Runs never overlap.</b> An edge that fires while the action is still running (from
 *       the moment its thread is started until the action returns) is deferred until that run
 *       returns, and then runs on the same thread. At most one run is deferred: an edge that fires
 *       while one is already deferred replaces its value (the last value wins, as with a
 *       conflated channel), so a slow action never builds up a backlog of stale values. On
 *       {@link ManualTime}, advancing over several edges while a run is still going therefore
 *       conflates them: wait for the run (or {@link #close()}) before advancing again if every
 *       edge must run.</li>
 *   <li><b>Failures.</b> A throwable escaping the action goes to the handler given with
 *       {@link Builder#onError}, or is logged at WARN on this class's logger. The debouncer keeps
 *       working. A handler that throws is logged at WARN too.</li>
 * </ul>
 *
 * <h2>Flush, cancel, close</h2>
 * {@link #flush()} runs a pending trailing value now; {@link #cancel()} discards it (and a
 * deferred run) and forgets the burst; {@link #close()} flushes (or, with
 * {@link Builder#flushOnClose flushOnClose(false)}, cancels), refuses further submits, and waits
 * for the running action: when it returns, no action of this debouncer is running or will run.
 *
 * <p>Time comes from the current context's time source when the debouncer is built
 * ({@code Context.current().timeSource()}), or from {@link Builder#timeSource}; on
 * {@link ManualTime} the edges fire inside {@code advance} (the action then starts on its thread).
 *
 * <p>Memory consistency effects: actions in a thread prior to {@code submit(v)} happen-before the
 * action runs with {@code v} or with a value submitted after it. Each run of the action
 * happens-before the next run starts, and every run happens-before {@link #close()} returns.
 *
 * @param <T> the type of the submitted values
 */
public final class Debouncer<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Debouncer.class);

    /** The action of a {@link Debouncer} or {@link Throttler}: it may throw (see "Failures"). */
    @FunctionalInterface
    public interface Action<T> {
        /** Runs with the value the edge carries. */
        void run(T value) throws Exception;
    }

    private final String name;
    private final TimeSource time;
    private final long wait;
    /** The longest time between runs under steady input; 0 when there is no maxWait. */
    private final long maxWait;
    private final boolean leading;
    private final boolean trailing;
    private final boolean flushOnClose;
    private final Action<? super T> action;
    private final BiConsumer<? super T, ? super Throwable> onError;
    private final Runnable runLoop = this::runActions;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    // ---- guarded by lock: lodash's state --------------------------------------------------------
    private T lastValue;               // lastArgs (the value pending for the trailing edge)
    private boolean hasValue;
    private long lastCall;             // lastCallTime
    private boolean anyCall;           // lastCallTime !== undefined
    private long lastRun;              // lastInvokeTime (also: the start of a burst)
    private boolean timerPending;      // timerId !== undefined
    private long timerGeneration;
    private TimeSource.Scheduled timer;
    // ---- guarded by lock: the runner ------------------------------------------------------------
    private T first;                   // the value handed to a runner thread being started
    private T next;                    // the run deferred until the running one returns
    private boolean hasNext;
    private boolean running;
    private Thread runner;
    private boolean closed;

    Debouncer(Builder<T> b, long maxWaitNanos, boolean leading, boolean trailing) {
        this.name = b.name;
        this.time = b.time != null ? b.time : Context.current().timeSource();
        this.wait = b.wait;
        this.maxWait = maxWaitNanos;
        this.leading = leading;
        this.trailing = trailing;
        this.flushOnClose = b.flushOnClose;
        this.action = b.action;
        this.onError = b.onError;
    }

    /**
     * A trailing-edge debouncer on the current context's time source: {@code action} runs with the
     * last value once {@code wait} has passed with no submit.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code wait} is zero or negative
     */
    public static <T> Debouncer<T> of(Duration wait, Action<? super T> action) {
        return Debouncer.<T>builder(wait, action).build();
    }

    /**
     * A builder for a debouncer with quiet period {@code wait} and {@code action}; trailing edge
     * only, no maxWait, flush on close, the current context's time source, until changed.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code wait} is zero or negative
     */
    public static <T> Builder<T> builder(Duration wait, Action<? super T> action) {
        return new Builder<>(TimerMath.positiveNanos(wait, "wait"), Objects.requireNonNull(action, "action"));
    }

    /**
     * Submits {@code value}: it becomes the pending value (the last one wins) and the quiet period
     * starts again. A leading submit runs the action at once (see the class documentation).
     *
     * @throws NullPointerException if {@code value} is null
     * @throws IllegalStateException if the debouncer is closed
     */
    public void submit(T value) {
        Objects.requireNonNull(value, "value");
        boolean start;
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException(this + " is closed");
            }
            long now = time.nanoTime();
            boolean invoking = shouldRun(now);
            lastValue = value;
            hasValue = true;
            lastCall = now;
            anyCall = true;
            if (invoking && !timerPending) {
                start = leadingEdge(now);
            } else if (invoking && maxWait != 0) {
                // maxWait has passed while a timer is pending (it is late): run now, restart the wait.
                armTimer(now, wait);
                start = run(now);
            } else {
                if (!timerPending) {
                    armTimer(now, wait);
                }
                return;
            }
        } finally {
            lock.unlock();
        }
        if (start) {
            startRunner();
        }
    }

    /**
     * Runs the pending trailing value now (lodash's {@code flush}) and ends the burst: the next
     * submit after a quiet period is a leading one again. If the action is running, this run is
     * deferred until it returns.
     *
     * @return true if a value was pending and has been handed to the action; false if there was
     *     none (no burst in progress, no submit since the last run, or trailing edge off)
     */
    public boolean flush() {
        boolean delivered;
        boolean start;
        lock.lock();
        try {
            if (!timerPending) {
                return false;
            }
            delivered = trailing && hasValue;
            start = trailingEdge(time.nanoTime());
        } finally {
            lock.unlock();
        }
        if (start) {
            startRunner();
        }
        return delivered;
    }

    /**
     * Discards the pending value and a deferred run that has not started, cancels the timer and
     * forgets the burst (lodash's {@code cancel}). A running action is not interrupted.
     *
     * @return true if it discarded a value that would otherwise have been run
     */
    public boolean cancel() {
        lock.lock();
        try {
            return discard(true);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes the debouncer: a pending trailing value is run now (unless built with
     * {@code flushOnClose(false)}: then it is discarded, as by {@link #cancel()}), further submits
     * throw, and the call waits until the running action and any deferred run have finished. The
     * wait cannot be interrupted: an interrupt is kept and the flag set again on return. Called by
     * the action itself, it does not wait for that run. Calling it again only waits.
     */
    @Override
    public void close() {
        boolean start = false;
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                if (flushOnClose && timerPending) {
                    start = trailingEdge(time.nanoTime());
                } else {
                    discard(!flushOnClose);
                }
            }
        } finally {
            lock.unlock();
        }
        if (start) {
            startRunner();
        }
        lock.lock();
        try {
            while (running && runner != Thread.currentThread()) {
                idle.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    /** True when no run is going or deferred (for tests: on ManualTime, edges start runs inside advance). */
    boolean isIdle() {
        lock.lock();
        try {
            return !running && !hasNext;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "Debouncer[" + name + ", wait=" + Duration.ofNanos(wait)
                + (maxWait != 0 ? ", maxWait=" + Duration.ofNanos(maxWait) : "")
                + (leading ? ", leading" : "") + (trailing ? ", trailing" : "") + "]";
    }

    // ---- lodash's debounce, under lock ------------------------------------------------------------

    private boolean shouldRun(long now) {
        return !anyCall || now - lastCall >= wait || (maxWait != 0 && now - lastRun >= maxWait);
    }

    private boolean leadingEdge(long now) {
        lastRun = now; // the burst starts: maxWait counts from here
        armTimer(now, wait);
        return leading && run(now);
    }

    private boolean trailingEdge(long now) {
        timerPending = false;
        timerGeneration++;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        if (trailing && hasValue) {
            return run(now);
        }
        lastValue = null;
        hasValue = false;
        return false;
    }

    private long remainingWait(long now) {
        long quiet = wait - (now - lastCall);
        return maxWait != 0 ? Math.min(quiet, maxWait - (now - lastRun)) : quiet;
    }

    private void armTimer(long now, long delay) {
        if (timer != null) {
            timer.cancel();
        }
        timerPending = true;
        long gen = ++timerGeneration;
        timer = time.scheduleAt(TimerMath.saturatedAdd(now, delay), () -> timerExpired(gen));
    }

    /** The timer action: the trailing edge if the quiet period (or maxWait) is over, else re-arm. */
    private void timerExpired(long gen) {
        boolean start;
        lock.lock();
        try {
            if (gen != timerGeneration || !timerPending) {
                return; // cancelled, flushed or re-armed since
            }
            timer = null;
            long now = time.nanoTime();
            if (shouldRun(now)) {
                start = trailingEdge(now);
            } else {
                armTimer(now, remainingWait(now));
                return;
            }
        } finally {
            lock.unlock();
        }
        if (start) {
            startRunner();
        }
    }

    /** Hands the pending value to the runner; true if the caller must start a runner thread (after unlocking). */
    private boolean run(long now) {
        T v = lastValue;
        lastValue = null;
        hasValue = false;
        lastRun = now;
        if (running) {
            next = v; // deferred: the running thread takes it when its run returns
            hasNext = true;
            return false;
        }
        running = true;
        first = v; // owned by the thread about to start: never replaced or discarded
        return true;
    }

    private boolean discard(boolean dropDeferred) {
        boolean discarded = trailing && hasValue;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        timerPending = false;
        timerGeneration++;
        lastValue = null;
        hasValue = false;
        anyCall = false;
        if (dropDeferred && hasNext) {
            discarded = true;
            next = null;
            hasNext = false;
        }
        return discarded;
    }

    // ---- the runner -------------------------------------------------------------------------------

    private void startRunner() {
        LiveThreads.started();
        try {
            Thread.ofVirtual().name("weft-" + name).start(runLoop);
        } catch (Throwable t) {
            LiveThreads.ended();
            T lost;
            lock.lock();
            try {
                lost = first;
                first = null;
                running = false;
                idle.signalAll();
            } finally {
                lock.unlock();
            }
            LOG.warn("{}: could not start a thread for its action; the run with value {} is lost", this, lost, t);
        }
    }

    /** One runner thread: runs the value handed to it, then every deferred one, then ends. */
    private void runActions() {
        boolean ended = false;
        try {
            T v;
            lock.lock();
            try {
                runner = Thread.currentThread();
                v = first;
                first = null;
            } finally {
                lock.unlock();
            }
            while (true) {
                Thread.interrupted(); // one run's interrupt must not leak into the next
                try {
                    action.run(v);
                } catch (Throwable t) {
                    report(v, t);
                }
                lock.lock();
                try {
                    if (!hasNext) {
                        running = false;
                        runner = null;
                        idle.signalAll();
                        ended = true;
                        return;
                    }
                    v = next;
                    next = null;
                    hasNext = false;
                } finally {
                    lock.unlock();
                }
            }
        } finally {
            if (!ended) {
                lock.lock();
                try {
                    running = false;
                    runner = null;
                    idle.signalAll();
                } finally {
                    lock.unlock();
                }
            }
            LiveThreads.ended();
        }
    }

    private void report(T value, Throwable failure) {
        if (onError == null) {
            LOG.warn("{}: the action threw for value {}; the debouncer keeps working", this, value, failure);
            return;
        }
        try {
            onError.accept(value, failure);
        } catch (Throwable t) {
            t.addSuppressed(failure);
            LOG.warn("{}: the error handler threw (the action's failure is suppressed on it)", this, t);
        }
    }

    /**
     * The settings of a {@link Debouncer}; see the class documentation for what they mean. Each
     * method sets one option and returns this builder.
     */
    public static final class Builder<T> {
        final long wait;
        final Action<? super T> action;
        String name = "debouncer";
        TimeSource time;
        long maxWait;
        boolean leading;
        boolean trailing = true;
        boolean flushOnClose = true;
        BiConsumer<? super T, ? super Throwable> onError;

        Builder(long wait, Action<? super T> action) {
            this.wait = wait;
            this.action = action;
        }

        /** Runs the action at once on a leading submit (default false). */
        public Builder<T> leading(boolean leading) {
            this.leading = leading;
            return this;
        }

        /** Runs the action with the last value once the burst is quiet (default true). */
        public Builder<T> trailing(boolean trailing) {
            this.trailing = trailing;
            return this;
        }

        /**
         * Under steady input, runs the action at least every {@code maxWait} (default: never).
         *
         * @throws NullPointerException if {@code maxWait} is null
         * @throws IllegalArgumentException if it is zero, negative or shorter than {@code wait}
         */
        public Builder<T> maxWait(Duration maxWait) {
            long m = TimerMath.positiveNanos(maxWait, "maxWait");
            if (m < wait) {
                throw new IllegalArgumentException("maxWait must not be shorter than wait (" + Duration.ofNanos(wait)
                        + "), was " + maxWait);
            }
            this.maxWait = m;
            return this;
        }

        /** Where a throwable escaping the action goes (default: logged at WARN). */
        public Builder<T> onError(BiConsumer<? super T, ? super Throwable> handler) {
            this.onError = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /** Whether {@link Debouncer#close()} runs a pending value (default true) or discards it. */
        public Builder<T> flushOnClose(boolean flushOnClose) {
            this.flushOnClose = flushOnClose;
            return this;
        }

        /** The time source (default: the current context's, read by {@link #build()}). */
        public Builder<T> timeSource(TimeSource time) {
            this.time = Objects.requireNonNull(time, "time");
            return this;
        }

        /** A name for logs and {@code toString}; the action's thread is {@code "weft-" + name} (default "debouncer"). */
        public Builder<T> name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * The debouncer.
         *
         * @throws IllegalArgumentException if both the leading and the trailing edge are off
         */
        public Debouncer<T> build() {
            if (!leading && !trailing) {
                throw new IllegalArgumentException("leading and trailing are both false: the action would never run");
            }
            return new Debouncer<>(this, maxWait, leading, trailing);
        }
    }
}
