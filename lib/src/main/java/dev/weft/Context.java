package dev.weft;

import dev.weft.internal.CancelSignal;
import dev.weft.internal.CurrentSignal;
import dev.weft.internal.LiveThreads;
import dev.weft.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Go's {@code context.Context}, implicit and thread-confined: the cancellation, deadline, values
 * and time source in effect for the current thread.
 *
 * <p>Opening a {@link Scope} makes its context current on the owner thread until the scope
 * closes; the scope's tasks run with it as their current context. A scope opened while another
 * context is current becomes its child: it inherits the earlier deadline, the parent's
 * cancellation (propagated before the parent's {@code cancel} returns), the values and the time
 * source. Cancelling a child never touches its parent. Outside every scope, {@link #current()}
 * is the root context, which is never cancelled and has no deadline.
 *
 * <p>Go's explicit {@code ctx} parameter maps to {@code Context.current()}:
 * {@code ctx.Done()}/{@code ctx.Err()} to {@link #isCancelled()}/{@link #throwIfCancelled()},
 * {@code context.Cause} to {@link #cause()}, {@code ctx.Deadline()} to {@link #deadline()},
 * {@code ctx.Value(k)} to {@link #get(Key)} and {@code context.AfterFunc} to
 * {@link #onCancel(Runnable)}.
 *
 * <p>Memory consistency effects: actions in a thread prior to cancelling a context (by
 * {@link Scope#cancel}, a failing task, a passed deadline or a cancelled parent) happen-before
 * another thread's {@link #isCancelled()} returns true or its {@link #cause()} returns the cause,
 * and happen-before an {@link #onCancel} callback runs.
 */
public final class Context {
    private static final Logger LOG = LoggerFactory.getLogger(Context.class);
    private static final ThreadLocal<Context> CURRENT = new ThreadLocal<>();
    private static final Object[] NO_VALUES = {};
    static final long NO_DEADLINE = Long.MAX_VALUE;

    static final Context ROOT = new Context(null, null, null, TimeSource.system(), NO_DEADLINE, null, NO_VALUES);

    static {
        // Lets the blocking calls of dev.weft.chan and dev.weft.time wait on the current context.
        CurrentSignal.install(() -> {
            Context c = CURRENT.get();
            return c == null ? null : c.signal;
        });
    }

    final Context parent;
    final Scope scope;
    final CancelSignal signal;
    final TimeSource timeSource;
    /** Effective deadline on {@link #timeSource}'s nano clock, or {@link #NO_DEADLINE}. */
    final long deadlineNanos;
    /** Effective deadline on the wall clock, or null. */
    final Instant deadline;
    /** Keys and values set at this level: k0, v0, k1, v1, ... */
    private final Object[] values;

    Context(Context parent, Scope scope, CancelSignal signal, TimeSource timeSource,
            long deadlineNanos, Instant deadline, Object[] values) {
        this.parent = parent;
        this.scope = scope;
        this.signal = signal;
        this.timeSource = timeSource;
        this.deadlineNanos = deadlineNanos;
        this.deadline = deadline;
        this.values = values;
    }

    /** The current thread's context: never null; the root context outside every scope. */
    public static Context current() {
        Context c = CURRENT.get();
        return c == null ? ROOT : c;
    }

    static Context currentOrNull() {
        return CURRENT.get();
    }

    static void setCurrent(Context context) {
        if (context == ROOT) {
            CURRENT.remove();
        } else {
            CURRENT.set(context);
        }
    }

    /**
     * A new key for context values, compared by identity (two keys with the same name are
     * different keys).
     *
     * @throws NullPointerException if {@code name} is null
     */
    public static <T> Key<T> key(String name) {
        return new Key<>(Objects.requireNonNull(name, "name"));
    }

    /** The deadline, the earliest of this context's and its ancestors'; empty if there is none. */
    public Optional<Instant> deadline() {
        Instant best = deadline;
        for (Context c = parent; c != null; c = c.parent) {
            if (c.deadline != null && (best == null || c.deadline.isBefore(best))) {
                best = c.deadline;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The time left until the deadline (zero once it has passed), measured on this context's time
     * source; empty if there is no deadline.
     */
    public Optional<Duration> remaining() {
        long best = Long.MAX_VALUE;
        boolean any = false;
        for (Context c = this; c != null; c = c.parent) {
            if (c.deadlineNanos != NO_DEADLINE) {
                best = Math.min(best, Math.max(0, c.deadlineNanos - c.timeSource.nanoTime()));
                any = true;
            }
        }
        return any ? Optional.of(Duration.ofNanos(best)) : Optional.empty();
    }

    /** True once this context is cancelled: by its scope, a failure, its deadline or its parent. */
    public boolean isCancelled() {
        return signal != null && signal.isCancelled();
    }

    /**
     * Why this context was cancelled (Go's {@code context.Cause}): the first failure of a
     * fail-fast scope, a {@link DeadlineExceededException}, the cause given to
     * {@link Scope#cancel(Throwable)}, or a {@link CancelledException}. Empty while not cancelled.
     * Set once: it never changes after it is first observed.
     */
    public Optional<Throwable> cause() {
        return signal == null ? Optional.empty() : Optional.ofNullable(signal.cause());
    }

    /**
     * Throws if this context is cancelled: a {@link DeadlineExceededException} when the cause is a
     * passed deadline, a {@link CancelledException} otherwise, with the cause as its
     * {@link CancelledException#cause() cause}.
     */
    public void throwIfCancelled() {
        Throwable c = signal == null ? null : signal.cause();
        if (c != null) {
            throw CancelledException.of(c);
        }
    }

    /**
     * Go's {@code context.AfterFunc}: runs {@code callback} once, on its own virtual thread, when
     * this context is cancelled, or at once (on its own thread) if it already is. A throwable
     * escaping the callback is logged at WARN. On the root context the callback never runs.
     *
     * @return a registration whose {@link Registration#stop()} prevents the callback
     * @throws NullPointerException if {@code callback} is null
     */
    public Registration onCancel(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        if (signal == null) {
            AtomicBoolean stopped = new AtomicBoolean();
            return () -> stopped.compareAndSet(false, true);
        }
        Callback cb = new Callback(signal, callback);
        if (!signal.add(cb)) {
            cb.cancelled(signal.cause());
        }
        return cb;
    }

    /** The value of {@code key} in this context or the nearest ancestor that has one. */
    public <T> Optional<T> get(Key<T> key) {
        Objects.requireNonNull(key, "key");
        for (Context c = this; c != null; c = c.parent) {
            Object[] v = c.values;
            for (int i = v.length - 2; i >= 0; i -= 2) {
                if (v[i] == key) {
                    @SuppressWarnings("unchecked")
                    T value = (T) v[i + 1];
                    return Optional.of(value);
                }
            }
        }
        return Optional.empty();
    }

    /** The time source of this context: the one its scope was opened with, or its parent's. */
    public TimeSource timeSource() {
        return timeSource;
    }

    @Override
    public String toString() {
        if (scope == null) {
            return "Context[root]";
        }
        return "Context[" + scope.describe() + (deadline != null ? ", deadline=" + deadline : "")
                + (isCancelled() ? ", cancelled" : "") + "]";
    }

    /** A key for {@link Context#get}; see {@link Context#key(String)}. */
    public static final class Key<T> {
        private final String name;

        private Key(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        @Override
        public String toString() {
            return "Key[" + name + "]";
        }
    }

    /** The handle of an {@link #onCancel} callback. */
    @FunctionalInterface
    public interface Registration {
        /**
         * Prevents the callback from running, like the {@code stop} function of Go's
         * {@code context.AfterFunc}.
         *
         * @return true if this call prevented the callback; false if it has already been started
         *     or was already stopped
         */
        boolean stop();
    }

    private static final class Callback extends CancelSignal.Listener implements Registration {
        private final CancelSignal signal;
        private final Runnable callback;

        Callback(CancelSignal signal, Runnable callback) {
            this.signal = signal;
            this.callback = callback;
        }

        @Override
        protected void cancelled(Throwable cause) {
            LiveThreads.started();
            try {
                Thread.ofVirtual().name("weft-onCancel").start(() -> {
                    try {
                        callback.run();
                    } catch (Throwable t) {
                        LOG.warn("onCancel callback {} threw", callback, t);
                    } finally {
                        LiveThreads.ended();
                    }
                });
            } catch (Throwable t) {
                LiveThreads.ended();
                LOG.warn("could not start a thread for onCancel callback {}", callback, t);
            }
        }

        @Override
        public boolean stop() {
            return signal.remove(this);
        }
    }
}
