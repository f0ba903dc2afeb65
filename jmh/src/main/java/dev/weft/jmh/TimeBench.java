package dev.weft.jmh;

import dev.weft.internal.TimerQueue;
import dev.weft.time.Debouncer;
import dev.weft.time.TimeSource;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * weft's timer facility and debouncer against the JDK's {@link ScheduledThreadPoolExecutor} with
 * remove-on-cancel, which is what {@code TimeSource.system()} ran on before ADR 0013 (one core
 * thread, {@code setRemoveOnCancelPolicy(true)}). Average time per timer (ns; lower is better).
 *
 * <ul>
 *   <li>{@code bulk*}: schedule 1 000 000 timers with delays spread over 1 to 60 s (the same
 *       pseudo-random delays for every peer), then cancel every one of them. The score is per
 *       timer (schedule + cancel). weft's queue moves work off the caller onto its timer thread,
 *       so the weft variants end only once that thread is quiescent (it has taken every entry and
 *       parked): both peers have done all their work when the operation ends. STPE's
 *       remove-on-cancel leaves its queue empty; weft's lazy cancel leaves at most one batch
 *       (1024) of cancelled entries, to be purged later.</li>
 *   <li>{@code churn*}: schedule one timer (30 s) and cancel it at once, as a scope with a
 *       deadline that finishes early does. The score is one pair; weft's timer thread drops the
 *       cancelled entries in the background.</li>
 *   <li>{@code churnWeftTimeSource}: the same through the public {@code TimeSource.system()} (a
 *       {@code Duration} per call, the shared system queue) rather than a private
 *       {@link TimerQueue}.</li>
 *   <li>{@code debounceSubmit*}: one {@code submit} to a debouncer in the middle of a burst (quiet
 *       period one hour, so it never fires during the run), the same value every time: weft's
 *       {@link Debouncer} against the hand-written Java idiom, a lock plus
 *       {@code future.cancel(false); future = executor.schedule(...)} on every submit. Both record
 *       the value and restart the quiet period. {@code -prof gc} shows the allocation per submit;
 *       the target for weft is under 100 ns and no allocation. The {@code Contended} variants run
 *       two threads on one debouncer.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TimeBench {
    static final int TIMERS = 1_000_000;
    static final Runnable NOTHING = () -> { };
    static final Long VALUE = 42L;

    private long[] delays;
    private TimerQueue queue;
    private ScheduledThreadPoolExecutor stpe;
    private TimerQueue.Entry[] entries;
    private ScheduledFuture<?>[] futures;

    private Debouncer<Long> debouncer;
    private HandWrittenDebouncer<Long> handWritten;

    @Setup(Level.Trial)
    public void setUp() {
        Random random = new Random(42);
        delays = new long[TIMERS];
        for (int i = 0; i < TIMERS; i++) {
            delays[i] = TimeUnit.SECONDS.toNanos(1) + (long) (random.nextDouble() * TimeUnit.SECONDS.toNanos(59));
        }
        entries = new TimerQueue.Entry[TIMERS];
        futures = new ScheduledFuture<?>[TIMERS];
        queue = new TimerQueue("bench-timer");
        stpe = new ScheduledThreadPoolExecutor(1);
        stpe.setRemoveOnCancelPolicy(true);
        debouncer = Debouncer.<Long>builder(Duration.ofHours(1), v -> { }).flushOnClose(false).build();
        handWritten = new HandWrittenDebouncer<>(stpe, Duration.ofHours(1), v -> { });
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        debouncer.close();
        queue.close();
        stpe.shutdownNow();
    }

    /** weft's timer queue: 1 000 000 schedules, then 1 000 000 cancels, until its thread is quiescent. */
    @Benchmark
    @OperationsPerInvocation(TIMERS)
    public void bulkWeft() {
        TimerQueue q = queue;
        for (int i = 0; i < TIMERS; i++) {
            entries[i] = q.schedule(TimerQueue.entry(TimerQueue.dueIn(delays[i]), NOTHING));
        }
        for (int i = 0; i < TIMERS; i++) {
            entries[i].cancel();
            entries[i] = null;
        }
        while (!q.isQuiescent()) {
            LockSupport.parkNanos(10_000);
        }
    }

    /** {@link ScheduledThreadPoolExecutor} with remove-on-cancel: 1 000 000 schedules, then 1 000 000 cancels. */
    @Benchmark
    @OperationsPerInvocation(TIMERS)
    public void bulkStpe() {
        ScheduledThreadPoolExecutor e = stpe;
        for (int i = 0; i < TIMERS; i++) {
            futures[i] = e.schedule(NOTHING, delays[i], TimeUnit.NANOSECONDS);
        }
        for (int i = 0; i < TIMERS; i++) {
            futures[i].cancel(false);
            futures[i] = null;
        }
    }

    /** weft's timer queue: schedule one timer 30 s ahead and cancel it. */
    @Benchmark
    public boolean churnWeft() {
        return queue.schedule(TimerQueue.entry(TimerQueue.dueIn(30_000_000_000L), NOTHING)).cancel();
    }

    /** {@code TimeSource.system()}: schedule one timer 30 s ahead and cancel it. */
    @Benchmark
    public boolean churnWeftTimeSource() {
        return TimeSource.system().schedule(Duration.ofSeconds(30), NOTHING).cancel();
    }

    /** {@link ScheduledThreadPoolExecutor} with remove-on-cancel: schedule one timer 30 s ahead and cancel it. */
    @Benchmark
    public boolean churnStpe() {
        return stpe.schedule(NOTHING, 30, TimeUnit.SECONDS).cancel(false);
    }

    /** weft's {@link Debouncer#submit} in the middle of a burst, one thread. */
    @Benchmark
    public void debounceSubmitWeft() {
        debouncer.submit(VALUE);
    }

    /** The hand-written idiom: lock, record, cancel the pending future, schedule a new one. */
    @Benchmark
    public void debounceSubmitHandWritten() {
        handWritten.submit(VALUE);
    }

    /** weft's {@link Debouncer#submit}, two threads on one debouncer. */
    @Benchmark
    @Threads(2)
    public void debounceSubmitWeftContended() {
        debouncer.submit(VALUE);
    }

    /** The hand-written idiom, two threads on one debouncer. */
    @Benchmark
    @Threads(2)
    public void debounceSubmitHandWrittenContended() {
        handWritten.submit(VALUE);
    }

    /** How Java code usually debounces without a library: reschedule on every submit. */
    static final class HandWrittenDebouncer<T> {
        private final ScheduledThreadPoolExecutor executor;
        private final long waitNanos;
        private final java.util.function.Consumer<T> action;
        private final ReentrantLock lock = new ReentrantLock();
        private final Runnable fire = this::fire;
        private T latest;
        private ScheduledFuture<?> pending;

        HandWrittenDebouncer(ScheduledThreadPoolExecutor executor, Duration wait, java.util.function.Consumer<T> action) {
            this.executor = executor;
            this.waitNanos = wait.toNanos();
            this.action = action;
        }

        void submit(T value) {
            lock.lock();
            try {
                latest = value;
                if (pending != null) {
                    pending.cancel(false);
                }
                pending = executor.schedule(fire, waitNanos, TimeUnit.NANOSECONDS);
            } finally {
                lock.unlock();
            }
        }

        private void fire() {
            T v;
            lock.lock();
            try {
                v = latest;
                latest = null;
                pending = null;
            } finally {
                lock.unlock();
            }
            if (v != null) {
                action.accept(v);
            }
        }
    }
}
