package dev.weft.time;

import dev.weft.chan.Channel;
import dev.weft.chan.ReceiveChannel;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The capacity-one slot of a {@link Ticker} or of a {@link Timer} made by {@link Timer#after}: Go's
 * timer channel {@code t.C}, with its Go 1.23 rules. It is a real {@link Channel#buffered(int)
 * buffered(1)} channel, so the receive-only view that {@code channel()} hands out works in a
 * {@link dev.weft.chan.Select} like any other channel.
 *
 * <p>Implementation overview. The owner (ticker or timer) fires, stops and resets under
 * {@link #lock}, and the slot's two writes happen only there:
 * <ul>
 *   <li>{@link #offer} (a fire) is the channel's {@code trySend}: it hands the tick straight to the
 *       first waiting receiver (a plain {@code receive} or a select clause), or stores it in the
 *       empty buffer, or drops it when the buffer is full: a slow reader loses ticks and keeps the
 *       oldest one, as in Go. {@code trySend} never blocks and ignores the caller's context, so it
 *       is safe on a timer thread.</li>
 *   <li>{@link #drain} (stop or reset) takes the buffered tick, if any, with {@code tryReceive}.
 *       The owner cancels the old schedule under the same lock, so every tick delivered after it
 *       is of the new schedule: a receive that starts after a stop or reset has returned never
 *       gets a stale tick.</li>
 *   <li>Receivers never take the lock: the channel alone decides, atomically, whether a tick went
 *       to a receiver or stayed buffered for {@code drain} to discard. A tick handed to a receiver
 *       is its own from that moment: if it is cancelled or interrupted at the same instant, it
 *       still returns the tick (the channel's rule for a completed hand-off), so a tick is never
 *       lost and never received twice, and a stop that drains nothing after a hand-off is right
 *       to report it as received.</li>
 *   <li>The channel is never closed: Go does not close a stopped ticker's channel either (a
 *       receiver would see the close as a tick); it just stays empty.</li>
 * </ul>
 */
final class TickSlot {
    /** Guards the owner's schedule, and orders fires against stops and resets. */
    final ReentrantLock lock = new ReentrantLock();
    private final Channel<Instant> channel = Channel.buffered(1);
    /** Made once, so that every {@code channel()} call returns the same instance, from any thread. */
    private final ReceiveChannel<Instant> view = channel.receiveOnly();

    /**
     * Delivers {@code tick}: to the first waiting receiver, else into the empty slot, else nowhere.
     * The caller holds {@link #lock}.
     *
     * @return false if the tick was dropped because the slot was full
     */
    boolean offer(Instant tick) {
        return channel.trySend(tick);
    }

    /**
     * Discards the stored tick, if any. The caller holds {@link #lock}.
     *
     * @return true if a tick was discarded
     */
    boolean drain() {
        return channel.tryReceive().isPresent();
    }

    /** The stored tick, taken without waiting; empty if there is none. */
    Optional<Instant> tryReceive() {
        return channel.tryReceive();
    }

    /**
     * Takes the stored tick, or waits for the next one, inside the current context.
     *
     * @throws dev.weft.CancelledException if the current context is or becomes cancelled first
     * @throws dev.weft.DeadlineExceededException if its deadline passes first
     * @throws InterruptedException if the thread is interrupted while waiting (and the context is
     *     not cancelled)
     */
    Instant receive() throws InterruptedException {
        return channel.receive();
    }

    /** The receive-only view of the slot's channel, for {@code select}. */
    ReceiveChannel<Instant> view() {
        return view;
    }

    /** How many receives (and select clauses) wait for a tick right now (for tests). */
    int waitingReceivers() {
        return channel.waitingReceivers();
    }
}
