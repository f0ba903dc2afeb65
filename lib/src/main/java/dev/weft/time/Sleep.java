package dev.weft.time;

import dev.weft.CancelledException;
import dev.weft.Context;
import dev.weft.DeadlineExceededException;
import dev.weft.internal.CancelSignal;
import dev.weft.internal.CurrentSignal;
import dev.weft.internal.Parker;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * Go's {@code time.Sleep} inside a context: a sleep on the current context's
 * {@linkplain Context#timeSource() time source} that ends early when the context is cancelled or
 * its deadline passes.
 *
 * <pre>{@code
 * // Go:  select { case <-time.After(d): case <-ctx.Done(): return ctx.Err() }
 * Sleep.sleep(Duration.ofMillis(200));
 * }</pre>
 *
 * <ul>
 *   <li><b>The context's clock.</b> The sleep is measured on {@code Context.current().timeSource()}:
 *       the system clock by default, or the {@link ManualTime} of a scope opened with
 *       {@code withTimeSource(manualTime)}, where it ends when a test's
 *       {@link ManualTime#advance advance} reaches its end, and never in real time.</li>
 *   <li><b>Cancellation and deadlines.</b> When the current context is cancelled (by its scope, a
 *       failing sibling, a parent or its deadline) the sleeping thread wakes at once, without an
 *       interrupt, on a scope's owner thread too, and the call throws
 *       {@link CancelledException}, or {@link DeadlineExceededException} when the cause is a
 *       passed deadline. A sleep in a context that is already cancelled throws at once, whatever
 *       its duration. So no sleep outlives the current deadline.</li>
 *   <li><b>Interrupts.</b> An interrupt throws {@link InterruptedException} and clears the
 *       interrupt flag, as {@link Thread#sleep} does, unless the context is cancelled too: then
 *       the cancellation is reported and the flag stays set (a cancelled task is also
 *       interrupted by its scope).</li>
 *   <li><b>A sleep whose time has come returns.</b> The end of the sleep is checked first: a sleep
 *       that has reached its end returns normally even if its context is cancelled at that same
 *       moment; the next weft call sees the cancellation. A zero or negative duration returns
 *       at once (after the cancellation and interrupt checks), as Go's {@code time.Sleep} and
 *       {@link Thread#sleep(Duration)} do.</li>
 * </ul>
 *
 * <p>{@link Retry} waits between attempts and {@link RateLimiter} waits for its tokens with this
 * same sleep. The reasons for its shape are in {@code docs/adr/0016-context-aware-sleep.md}.
 *
 * <p>Memory consistency effects: actions in a thread prior to cancelling a context happen-before
 * a sleep in that context throws the resulting {@link CancelledException}. On {@link ManualTime},
 * actions in a thread prior to an {@code advance} that reaches a sleep's end happen-before that
 * sleep returns.
 */
public final class Sleep {
    private Sleep() {}

    /**
     * Sleeps for {@code duration} on the current context's time source; see the class
     * documentation.
     *
     * @throws NullPointerException if {@code duration} is null
     * @throws CancelledException if the current context is or becomes cancelled first
     * @throws DeadlineExceededException if the current context's deadline passes first
     * @throws InterruptedException if the thread is interrupted (and the context is not cancelled)
     */
    public static void sleep(Duration duration) throws InterruptedException {
        Objects.requireNonNull(duration, "duration");
        TimeSource time = Context.current().timeSource();
        until(time, TimerMath.saturatedAdd(time.nanoTime(), TimerMath.saturatedNanos(duration)));
    }

    /**
     * Sleeps until the current context's time source reads {@code dueNanos} on its
     * {@link TimeSource#nanoTime() nanoTime()} clock: an absolute end, so a loop that sleeps until
     * {@code start + k * period} does not drift, and time that passes between reading the clock and
     * calling this method is not slept again. A due time already reached returns at once (after
     * the cancellation and interrupt checks). Otherwise as {@link #sleep(Duration)}.
     *
     * @throws CancelledException if the current context is or becomes cancelled first
     * @throws DeadlineExceededException if the current context's deadline passes first
     * @throws InterruptedException if the thread is interrupted (and the context is not cancelled)
     */
    public static void sleepUntil(long dueNanos) throws InterruptedException {
        until(Context.current().timeSource(), dueNanos);
    }

    /**
     * The one waiting mechanism of this package: parks until {@code time} reads {@code dueNanos},
     * woken by the current context's cancellation.
     *
     * <p>Implementation overview. The waiter is a {@link Parker} armed on the current context's
     * signal, so a cancellation only unparks it. On the system clock the wait is a timed park
     * (cheaper than a hop through the timer thread). On any other source the wake-up is scheduled
     * with {@link TimeSource#scheduleAt} at the absolute due time, so an {@code advance} racing
     * this call either runs the wake-up or finished before {@code scheduleAt} looked at the clock
     * (and then it runs at once); the wake-up is cancelled when the sleep ends some other way, so
     * {@link ManualTime#pending()} does not count it afterwards. The loop checks, in order: the
     * due time (or the fired wake-up), the cancellation, the interrupt. A cancellation that fires
     * between the check and the park unparks the thread first, so the park returns at once.
     */
    static void until(TimeSource time, long dueNanos) throws InterruptedException {
        Context ctx = Context.current();
        ctx.throwIfCancelled();
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before sleeping");
        }
        if (left(time, dueNanos) <= 0) {
            return;
        }
        Sleeper sleeper = new Sleeper();
        CancelSignal signal = CurrentSignal.get();
        sleeper.arm(signal);
        boolean system = time == TimeSource.system();
        TimeSource.Scheduled wakeUp = null;
        try {
            if (!system) {
                wakeUp = time.scheduleAt(dueNanos, sleeper::fire);
            }
            while (true) {
                long left = left(time, dueNanos);
                if (left <= 0 || sleeper.fired) {
                    return;
                }
                if (signal != null && signal.isCancelled()) {
                    ctx.throwIfCancelled();
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while sleeping");
                }
                if (system) {
                    LockSupport.parkNanos(sleeper, left);
                } else {
                    LockSupport.park(sleeper);
                }
            }
        } finally {
            sleeper.disarm();
            if (wakeUp != null) {
                wakeUp.cancel();
            }
        }
    }

    /**
     * Nanoseconds from now until {@code dueNanos} on {@code time}; {@code Long.MAX_VALUE} ("never")
     * for a due time saturated at {@code Long.MAX_VALUE}, whose difference from a negative reading
     * would overflow.
     */
    private static long left(TimeSource time, long dueNanos) {
        return dueNanos == Long.MAX_VALUE ? Long.MAX_VALUE : dueNanos - time.nanoTime();
    }

    /** A sleeping thread: woken by its context's cancellation (as a {@link Parker}) or by its scheduled wake-up. */
    private static final class Sleeper extends Parker {
        volatile boolean fired;

        void fire() {
            fired = true;
            wake();
        }
    }
}
