package dev.weft.time;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * Runs an action at most once per period, however fast values are submitted: lodash's
 * {@code throttle}, in the three modes that RxJava and Kotlin Flow users know.
 *
 * <pre>{@code
 * Throttler<Progress> ui = Throttler.of(Duration.ofMillis(100), Throttler.Mode.LATEST, bar::show);
 * download.onProgress(ui::submit);    // thousands of updates: the bar repaints at most every 100 ms
 * }</pre>
 *
 * <p>A window opens with the first submit after an idle period and lasts one period; a submit made
 * once the window has ended opens the next one. (Windows follow the input, as in lodash, rather
 * than a free-running clock as in Kotlin's {@code sample}: an idle throttler schedules nothing.)
 * <ul>
 *   <li>{@link Mode#FIRST} (RxJava's {@code throttleFirst}; lodash {@code throttle} with
 *       {@code trailing: false}): the first value of a window runs at once; the others in the
 *       window are dropped.</li>
 *   <li>{@link Mode#LAST} (RxJava's {@code throttleLast}, Kotlin's {@code sample}; lodash
 *       {@code throttle} with {@code leading: false}): nothing runs at once; when the window ends,
 *       the last value submitted in it runs.</li>
 *   <li>{@link Mode#LATEST} (RxJava's {@code throttleLatest}; lodash's default {@code throttle}):
 *       the first value runs at once, and when the window ends the latest value submitted during it
 *       runs too (if there was one), so the last value of a burst is never lost.</li>
 * </ul>
 *
 * <p>A throttler is a {@link Debouncer} whose quiet period and {@code maxWait} are both the
 * period, with the edges the mode names (this is exactly how lodash builds {@code throttle}), so
 * it shares the debouncer's guarantees: runs never overlap (a run due while the action still runs
 * is deferred, the latest value winning), the action runs on a virtual thread of its own, failures
 * go to the handler or are logged at WARN, and {@link #close()} flushes a pending value and waits.
 *
 * <p>Memory consistency effects: actions in a thread prior to {@code submit(v)} happen-before the
 * action runs with {@code v} or with a value submitted after it. Each run of the action
 * happens-before the next run starts, and every run happens-before {@link #close()} returns.
 *
 * @param <T> the type of the submitted values
 */
public final class Throttler<T> implements AutoCloseable {

    /** Which values of a window run; see the class documentation. */
    public enum Mode {
        /** The first value of each window, at once. */
        FIRST,
        /** The last value of each window, when it ends. */
        LAST,
        /** The first value at once, then the latest one of the window when it ends. */
        LATEST
    }

    private final Debouncer<T> engine;
    private final Mode mode;

    private Throttler(Debouncer<T> engine, Mode mode) {
        this.engine = engine;
        this.mode = mode;
    }

    /**
     * A throttler on the current context's time source.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code period} is zero or negative
     */
    public static <T> Throttler<T> of(Duration period, Mode mode, Debouncer.Action<? super T> action) {
        return Throttler.<T>builder(period, mode, action).build();
    }

    /**
     * A builder: the current context's time source, failures logged, flush on close, until changed.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code period} is zero or negative
     */
    public static <T> Builder<T> builder(Duration period, Mode mode, Debouncer.Action<? super T> action) {
        TimerMath.positiveNanos(period, "period");
        Objects.requireNonNull(mode, "mode");
        return new Builder<>(Debouncer.<T>builder(period, action).name("throttler"), mode);
    }

    /**
     * Submits {@code value}; see the class documentation for when it runs.
     *
     * @throws NullPointerException if {@code value} is null
     * @throws IllegalStateException if the throttler is closed
     */
    public void submit(T value) {
        engine.submit(value);
    }

    /**
     * Runs the value waiting for the end of the window now, and ends the window.
     *
     * @return true if a value was waiting and has been handed to the action
     */
    public boolean flush() {
        return engine.flush();
    }

    /**
     * Discards the value waiting for the end of the window (and a deferred run), and ends the
     * window: the next submit opens a new one.
     *
     * @return true if it discarded a value that would otherwise have been run
     */
    public boolean cancel() {
        return engine.cancel();
    }

    /** Flushes (or cancels, if so built), refuses further submits and waits for the action; see {@link Debouncer#close()}. */
    @Override
    public void close() {
        engine.close();
    }

    /** True when no run is going or deferred (for tests). */
    boolean isIdle() {
        return engine.isIdle();
    }

    @Override
    public String toString() {
        return "Throttler[" + mode + ", " + engine + "]";
    }

    /** The settings of a {@link Throttler}; each method sets one option and returns this builder. */
    public static final class Builder<T> {
        private final Debouncer.Builder<T> settings;
        private final Mode mode;

        private Builder(Debouncer.Builder<T> settings, Mode mode) {
            this.settings = settings;
            this.mode = mode;
        }

        /** Where a throwable escaping the action goes (default: logged at WARN). */
        public Builder<T> onError(BiConsumer<? super T, ? super Throwable> handler) {
            settings.onError(handler);
            return this;
        }

        /** Whether {@link Throttler#close()} runs a value waiting for the end of the window (default true). */
        public Builder<T> flushOnClose(boolean flushOnClose) {
            settings.flushOnClose(flushOnClose);
            return this;
        }

        /** The time source (default: the current context's, read by {@link #build()}). */
        public Builder<T> timeSource(TimeSource time) {
            settings.timeSource(time);
            return this;
        }

        /** A name for logs and {@code toString}; the action's thread is {@code "weft-" + name} (default "throttler"). */
        public Builder<T> name(String name) {
            settings.name(name);
            return this;
        }

        /** The throttler. */
        public Throttler<T> build() {
            Debouncer<T> engine = new Debouncer<>(settings, settings.wait, mode != Mode.LAST, mode != Mode.FIRST);
            return new Throttler<>(engine, mode);
        }
    }
}
