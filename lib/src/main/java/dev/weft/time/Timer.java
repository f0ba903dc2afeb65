package dev.weft.time;

import dev.weft.Context;
import dev.weft.chan.ReceiveChannel;
import dev.weft.internal.LiveThreads;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Go's {@code time.Timer}, with the Go 1.23 rules: a one-shot timer that either delivers its fire
 * time through a capacity-one slot ({@link #after}) or runs a function on its own virtual thread
 * ({@link #afterFunc}).
 *
 * <pre>{@code
 * Timer timeout = Timer.after(Duration.ofSeconds(5));     // Go: t := time.NewTimer(5 * time.Second)
 * if (!timeout.stop()) { ... }                            // Go: if !t.Stop() { ... }
 * Timer.after(Duration.ofMillis(10)).receive();           // Go: <-time.After(10 * time.Millisecond)
 * Timer flush = Timer.afterFunc(Duration.ofSeconds(1), buffer::flush);   // Go: time.AfterFunc(time.Second, buffer.Flush)
 * }</pre>
 *
 * <ul>
 *   <li><b>{@link #stop()}</b> returns true if the call stopped the timer: for {@code after}, if
 *       its value has not been received (a value that fired but sits unread in the slot is
 *       discarded, so the call still "prevented" it), for {@code afterFunc}, if the function had
 *       not been started. A second {@code stop} returns false. It never waits for a running
 *       function.</li>
 *   <li><b>{@link #reset(Duration)}</b> re-arms the timer {@code d} from now, and returns true if
 *       it was still active (the same test as {@code stop}). On an {@code afterFunc} timer it
 *       schedules the function again, even after it ran; a reset while the function runs can make
 *       two runs overlap, as in Go.</li>
 *   <li><b>No stale value.</b> After {@code stop} or {@code reset} returns, a receive that starts
 *       never gets a value of the earlier arming.</li>
 *   <li><b>Any duration.</b> A zero or negative duration fires at once, with the current time as
 *       its value ({@link ManualTime} fires it inside the call).</li>
 *   <li><b>Receiving.</b> {@link #receive()} waits in {@link Context#current()}: its cancellation
 *       or deadline wakes it (throwing {@code CancelledException} or
 *       {@code DeadlineExceededException}); an interrupt throws {@link InterruptedException}. A
 *       timer delivers one value per arming: once it is received, further receives wait for a
 *       {@code reset}. {@link #channel()} is the same slot as a receive-only
 *       {@link dev.weft.chan.Channel}, for a {@link dev.weft.chan.Select} clause (Go's
 *       {@code case <-t.C:}). An {@code afterFunc} timer has no slot: receiving from it, or asking
 *       for its channel, throws {@link IllegalStateException} (Go's {@code C} is nil there).</li>
 *   <li><b>The function</b> runs on a new virtual thread named {@code weft-afterFunc}, with the
 *       root context; a throwable escaping it is logged at WARN on this class's logger.</li>
 *   <li><b>Time source.</b> The factories without a {@link TimeSource} use the current
 *       context's ({@code Context.current().timeSource()}); the others name it. A stopped or fired
 *       timer leaves nothing scheduled.</li>
 * </ul>
 *
 * <p>Memory consistency effects: actions in a thread prior to {@link #after}, {@link #afterFunc}
 * or {@link #reset} happen-before the function of that arming starts, and happen-before a
 * {@link #receive()} or {@link #tryReceive()} in another thread returns the value of that arming.
 */
public final class Timer {
    private static final Logger LOG = LoggerFactory.getLogger(Timer.class);

    private final TimeSource time;
    /** The value slot of an {@code after} timer; null for {@code afterFunc}. */
    private final TickSlot slot;
    /** The function of an {@code afterFunc} timer; null for {@code after}. */
    private final Runnable fn;
    private final ReentrantLock lock;
    // Guarded by lock:
    private long generation;
    private boolean active;
    private TimeSource.Scheduled scheduled;

    private Timer(TimeSource time, Runnable fn) {
        this.time = time;
        this.fn = fn;
        this.slot = fn == null ? new TickSlot() : null;
        this.lock = slot != null ? slot.lock : new ReentrantLock();
    }

    /**
     * A timer on the current context's time source that delivers its fire time once {@code delay}
     * has passed (Go's {@code time.NewTimer}; {@code Timer.after(d).receive()} is Go's
     * {@code <-time.After(d)}).
     *
     * @throws NullPointerException if {@code delay} is null
     */
    public static Timer after(Duration delay) {
        return after(delay, Context.current().timeSource());
    }

    /**
     * {@link #after(Duration)} on {@code time}.
     *
     * @throws NullPointerException if an argument is null
     */
    public static Timer after(Duration delay, TimeSource time) {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(time, "time");
        return new Timer(time, null).start(delay);
    }

    /**
     * A timer on the current context's time source that runs {@code fn} on its own virtual thread
     * once {@code delay} has passed (Go's {@code time.AfterFunc}).
     *
     * @throws NullPointerException if an argument is null
     */
    public static Timer afterFunc(Duration delay, Runnable fn) {
        return afterFunc(delay, fn, Context.current().timeSource());
    }

    /**
     * {@link #afterFunc(Duration, Runnable)} on {@code time}.
     *
     * @throws NullPointerException if an argument is null
     */
    public static Timer afterFunc(Duration delay, Runnable fn, TimeSource time) {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(time, "time");
        return new Timer(time, fn).start(delay);
    }

    private Timer start(Duration delay) {
        lock.lock();
        try {
            arm(delay);
        } finally {
            lock.unlock();
        }
        return this;
    }

    /**
     * Stops the timer (Go 1.23's {@code Timer.Stop}).
     *
     * @return true if this call stopped it: the value had not been received, or the function had
     *     not been started; false if it had, or the timer was already stopped
     */
    public boolean stop() {
        lock.lock();
        try {
            return disarm();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Re-arms the timer to fire {@code delay} from now (Go 1.23's {@code Timer.Reset}). A value of
     * the earlier arming that was not received is discarded.
     *
     * @return true if the timer was still active (as {@link #stop()} would have returned)
     * @throws NullPointerException if {@code delay} is null
     */
    public boolean reset(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        lock.lock();
        try {
            boolean wasActive = disarm();
            arm(delay);
            return wasActive;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the value, or waits for it (Go's {@code <-t.C}).
     *
     * @return the scheduled fire time
     * @throws IllegalStateException if this is an {@code afterFunc} timer
     * @throws dev.weft.CancelledException if the current context is or becomes cancelled first
     * @throws dev.weft.DeadlineExceededException if the current context's deadline passes first
     * @throws InterruptedException if the thread is interrupted while waiting (and the context is
     *     not cancelled)
     */
    public Instant receive() throws InterruptedException {
        return slotOrThrow().receive();
    }

    /**
     * Takes the value without waiting; empty if it has not fired, or was received already.
     *
     * @throws IllegalStateException if this is an {@code afterFunc} timer
     */
    public Optional<Instant> tryReceive() {
        return slotOrThrow().tryReceive();
    }

    /**
     * The timer's slot as a receive-only channel (Go's {@code t.C}), to wait for the timer in a
     * {@link dev.weft.chan.Select} together with other channels:
     * {@code Select.select(reply.onReceive(r -> r), timer.channel().onReceive(t -> fallback()))}.
     * It is the same slot as {@link #receive()}: the value is taken by exactly one of them. The
     * channel is never closed, and after {@link #stop()} or {@link #reset} no receive or select
     * that starts gets a value of the earlier arming from it. Always the same instance.
     *
     * @throws IllegalStateException if this is an {@code afterFunc} timer
     */
    public ReceiveChannel<Instant> channel() {
        return slotOrThrow().view();
    }

    private TickSlot slotOrThrow() {
        if (slot == null) {
            throw new IllegalStateException("an afterFunc timer delivers no value: it runs " + fn);
        }
        return slot;
    }

    /** Receivers blocked in {@link #receive()} right now (for tests). */
    int waitingReceivers() {
        return slot == null ? 0 : slot.waitingReceivers();
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "Timer[" + (fn == null ? "after" : "afterFunc " + fn) + ", " + (active ? "active" : "inactive")
                    + " on " + time + "]";
        } finally {
            lock.unlock();
        }
    }

    // ---- under lock -----------------------------------------------------------------------------

    private boolean disarm() {
        boolean wasActive = active;
        active = false;
        generation++;
        if (scheduled != null) {
            scheduled.cancel();
            scheduled = null;
        }
        if (slot != null && slot.drain()) {
            wasActive = true; // fired, but nobody received it: this call prevents the delivery
        }
        return wasActive;
    }

    private void arm(Duration delay) {
        // Go clamps a negative duration to zero: the timer fires at once, with "now" as its value.
        long due = TimerMath.saturatedAdd(time.nanoTime(), Math.max(0, TimerMath.saturatedNanos(delay)));
        long gen = ++generation;
        active = true;
        // ManualTime runs a due action inside scheduleAt, on this thread: fire re-enters the lock.
        TimeSource.Scheduled s = time.scheduleAt(due, () -> fire(gen, due));
        if (generation == gen && active) {
            scheduled = s;
        }
    }

    /** The timer action. Runs on the time source's timer thread (or inside scheduleAt when already due). */
    private void fire(long gen, long due) {
        lock.lock();
        try {
            if (gen != generation || !active) {
                return;
            }
            active = false;
            scheduled = null;
            if (slot != null) {
                slot.offer(TimerMath.fireTime(time, due));
                return;
            }
        } finally {
            lock.unlock();
        }
        startFunction();
    }

    private void startFunction() {
        LiveThreads.started();
        try {
            Thread.ofVirtual().name("weft-afterFunc").start(() -> {
                try {
                    fn.run();
                } catch (Throwable t) {
                    LOG.warn("afterFunc function {} threw", fn, t);
                } finally {
                    LiveThreads.ended();
                }
            });
        } catch (Throwable t) {
            LiveThreads.ended();
            LOG.warn("could not start a thread for afterFunc function {}", fn, t);
        }
    }
}
