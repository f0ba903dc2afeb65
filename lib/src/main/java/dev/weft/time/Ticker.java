package dev.weft.time;

import dev.weft.Context;
import dev.weft.chan.ReceiveChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Go's {@code time.Ticker}: a tick every period, delivered through a capacity-one slot.
 *
 * <pre>{@code
 * try (Ticker ticker = Ticker.every(Duration.ofSeconds(30))) {   // Go: t := time.NewTicker(30 * time.Second); defer t.Stop()
 *     while (true) {
 *         Instant tick = ticker.receive();                          // Go: tick := <-t.C
 *         sessions.evictIdleSince(tick.minus(IDLE));
 *     }
 * }                                                                 // cancellation or the deadline ends receive()
 * }</pre>
 *
 * <ul>
 *   <li><b>Fixed rate, ticks dropped for a slow reader.</b> Ticks are scheduled at creation (or
 *       {@link #reset}) + k × period. The slot holds one tick: a tick that fires while it is full
 *       is dropped, and the reader later gets the oldest one it missed. A timer thread that runs
 *       late skips the periods it missed rather than firing them in a burst.</li>
 *   <li><b>The value is the scheduled fire time</b>, on the time source's wall clock, not the time
 *       the slot was read: a reader that is late sees when the tick was due.</li>
 *   <li><b>No stale tick</b> (Go 1.23). After {@link #stop()} or {@link #reset} returns, a
 *       receive that starts never gets a tick scheduled before that call: the slot is emptied and
 *       the old schedule cancelled. A stopped ticker schedules nothing and keeps nothing alive
 *       ({@code ManualTime.pending()} drops by one).</li>
 *   <li><b>Blocking receive, woken by the context.</b> {@link #receive()} waits in
 *       {@link Context#current()}: its cancellation or deadline wakes it without an interrupt
 *       (on a scope's owner thread too) and it throws {@code CancelledException} or
 *       {@code DeadlineExceededException}; an interrupt throws {@link InterruptedException}. As in
 *       Go, {@code stop()} does not wake a blocked receiver (a later {@code reset} may still
 *       feed it).</li>
 *   <li><b>A channel for select.</b> {@link #channel()} is the slot as a receive-only
 *       {@link dev.weft.chan.Channel}, so a tick can be one clause of a
 *       {@link dev.weft.chan.Select}: Go's {@code case t := <-ticker.C:}.</li>
 *   <li><b>Time source.</b> {@link #every(Duration)} uses the current context's time source
 *       ({@code Context.current().timeSource()}, set by {@code Scope.Config.withTimeSource}), so
 *       code under a test scope with a {@link ManualTime} ticks in virtual time;
 *       {@link #every(Duration, TimeSource)} names it explicitly. On the system clock, all tickers
 *       share weft's one timer thread.</li>
 * </ul>
 *
 * <p>Memory consistency effects: actions in a thread prior to {@link #every} or {@link #reset}
 * happen-before a {@link #receive()} or {@link #tryReceive()} in another thread returns a tick of
 * the schedule that call started.
 */
public final class Ticker implements AutoCloseable {
    private final TimeSource time;
    private final TickSlot slot = new TickSlot();
    // Guarded by slot.lock:
    private long period;
    /** Bumped by stop and reset: a fire of an older generation is stale and does nothing. */
    private long generation;
    private TimeSource.Scheduled next;
    private boolean running;

    private Ticker(TimeSource time) {
        this.time = time;
    }

    /**
     * A ticker on the current context's time source: the first tick is due {@code period} from now
     * (Go's {@code time.NewTicker}).
     *
     * @throws NullPointerException if {@code period} is null
     * @throws IllegalArgumentException if {@code period} is zero or negative
     */
    public static Ticker every(Duration period) {
        return every(period, Context.current().timeSource());
    }

    /**
     * A ticker on {@code time}; see {@link #every(Duration)}.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code period} is zero or negative
     */
    public static Ticker every(Duration period, TimeSource time) {
        long p = TimerMath.positiveNanos(period, "period");
        Objects.requireNonNull(time, "time");
        Ticker ticker = new Ticker(time);
        ticker.slot.lock.lock();
        try {
            ticker.start(p);
        } finally {
            ticker.slot.lock.unlock();
        }
        return ticker;
    }

    /**
     * Takes the pending tick, or waits for the next one (Go's {@code <-t.C}).
     *
     * @return the tick's scheduled fire time
     * @throws dev.weft.CancelledException if the current context is or becomes cancelled first
     * @throws dev.weft.DeadlineExceededException if the current context's deadline passes first
     * @throws InterruptedException if the thread is interrupted while waiting (and the context is
     *     not cancelled)
     */
    public Instant receive() throws InterruptedException {
        return slot.receive();
    }

    /** Takes the pending tick without waiting; empty if there is none. */
    public Optional<Instant> tryReceive() {
        return slot.tryReceive();
    }

    /**
     * The ticker's slot as a receive-only channel (Go's {@code t.C}), to wait for a tick in a
     * {@link dev.weft.chan.Select} together with other channels:
     * {@code Select.select(ticker.channel().onReceive(tick -> flush()), jobs.onReceive(this::add))}.
     * It is the same slot as {@link #receive()}: a tick is taken by exactly one of them. The
     * channel is never closed, and after {@link #stop()} or {@link #reset} no receive or select
     * that starts gets a stale tick from it. Always the same instance.
     */
    public ReceiveChannel<Instant> channel() {
        return slot.view();
    }

    /**
     * Changes the period and restarts the schedule: the next tick is due {@code period} from now
     * (Go's {@code Ticker.Reset}). A pending tick is discarded. A stopped ticker starts again.
     *
     * @throws NullPointerException if {@code period} is null
     * @throws IllegalArgumentException if {@code period} is zero or negative
     */
    public void reset(Duration period) {
        long p = TimerMath.positiveNanos(period, "period");
        slot.lock.lock();
        try {
            halt();
            start(p);
        } finally {
            slot.lock.unlock();
        }
    }

    /**
     * Stops the ticker (Go's {@code Ticker.Stop}): no tick fires after it, a pending tick is
     * discarded, and nothing stays scheduled. Receivers already blocked stay blocked. Calling it
     * again does nothing.
     */
    public void stop() {
        slot.lock.lock();
        try {
            halt();
        } finally {
            slot.lock.unlock();
        }
    }

    /** {@link #stop()}, for try-with-resources (Go's {@code defer t.Stop()}). */
    @Override
    public void close() {
        stop();
    }

    /** Receivers blocked in {@link #receive()} right now (for tests). */
    int waitingReceivers() {
        return slot.waitingReceivers();
    }

    @Override
    public String toString() {
        slot.lock.lock();
        try {
            return "Ticker[" + (running ? "every " + Duration.ofNanos(period) : "stopped") + " on " + time + "]";
        } finally {
            slot.lock.unlock();
        }
    }

    // ---- under slot.lock ------------------------------------------------------------------------

    private void start(long p) {
        period = p;
        running = true;
        long gen = ++generation;
        arm(gen, TimerMath.saturatedAdd(time.nanoTime(), p));
    }

    private void halt() {
        generation++;
        running = false;
        if (next != null) {
            next.cancel();
            next = null;
        }
        slot.drain();
    }

    private void arm(long gen, long due) {
        TimeSource.Scheduled s = time.scheduleAt(due, () -> fire(gen, due));
        if (generation == gen) {
            next = s;
        }
    }

    /** The timer action: deliver the tick, schedule the next one. Runs on the time source's timer thread. */
    private void fire(long gen, long due) {
        slot.lock.lock();
        try {
            if (gen != generation) {
                return;
            }
            slot.offer(TimerMath.fireTime(time, due));
            long p = period;
            long now = time.nanoTime();
            long nextDue = TimerMath.saturatedAdd(due, p);
            if (nextDue - now <= 0) {
                // Go: skip the periods the timer thread missed instead of firing them in a burst.
                nextDue = TimerMath.saturatedAdd(nextDue, ((now - nextDue) / p + 1) * p);
            }
            if (nextDue - now > 0) { // else the clock has saturated: no later tick can ever be due
                arm(gen, nextDue);
            }
        } finally {
            slot.lock.unlock();
        }
    }
}
