package dev.weft.time;

import dev.weft.Context;
import dev.weft.internal.CurrentSignal;
import dev.weft.internal.Parker;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The capacity-one slot of a {@link Ticker} or of a {@link Timer} made by {@link Timer#after}: Go's
 * timer channel {@code t.C}, with its Go 1.23 rules. This class is the only place that holds or
 * hands out ticks, so that a later change can back it by a capacity-1 {@code Channel} and expose a
 * receive-only view (see ADR 0014).
 *
 * <p>Implementation overview. One {@link ReentrantLock}, {@link #lock}, guards the value and an
 * intrusive FIFO queue of blocked receivers. The owner holds the same lock while it
 * fires, stops or resets, so "fire" and "stop" are atomic with respect to each other and to every
 * receive.
 * <ul>
 *   <li>{@link #offer} (a fire) hands the tick straight to the first blocked receiver, or stores
 *       it in the empty slot, or drops it when the slot is full: a slow reader loses ticks, and
 *       keeps the oldest one, as in Go.</li>
 *   <li>{@link #drain} (stop or reset) discards the stored tick. The owner cancels the old
 *       schedule under the same lock, so every tick delivered after it is of the new schedule: a
 *       receive that starts after a stop or reset has returned never gets a stale tick.</li>
 *   <li>A blocked receiver is a {@link Parker}: the context's cancellation or deadline only
 *       unparks it, and it settles the outcome itself under the lock. A tick handed to it is its
 *       own from that moment: if it is cancelled or interrupted at the same time, it still returns
 *       the tick (an interrupt is kept: the flag is set again). So a tick is never lost to a
 *       receiver that gives up, never received twice, and a stop that finds the slot empty after a
 *       hand-over is right to report it as received.</li>
 * </ul>
 */
final class TickSlot {
    /** Guards this slot and the owner's schedule. */
    final ReentrantLock lock = new ReentrantLock();
    private Instant value;
    private Receiver head;
    private Receiver tail;

    /**
     * Delivers {@code tick}: to the first blocked receiver, else into the empty slot, else nowhere.
     * The caller holds {@link #lock}.
     *
     * @return false if the tick was dropped because the slot was full
     */
    boolean offer(Instant tick) {
        Receiver r = head;
        if (r != null) {
            unlink(r);
            r.value = tick;
            r.done = true;
            r.wake();
            return true;
        }
        if (value == null) {
            value = tick;
            return true;
        }
        return false;
    }

    /**
     * Discards the stored tick, if any. The caller holds {@link #lock}.
     *
     * @return true if a tick was discarded
     */
    boolean drain() {
        boolean had = value != null;
        value = null;
        return had;
    }

    /** The stored tick, taken without waiting; empty if there is none. */
    Optional<Instant> tryReceive() {
        lock.lock();
        try {
            Instant v = value;
            value = null;
            return Optional.ofNullable(v);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the stored tick, or waits for the next one, inside the current context.
     *
     * @throws dev.weft.CancelledException if the current context is or becomes cancelled first
     * @throws dev.weft.DeadlineExceededException if its deadline passes first
     * @throws InterruptedException if the thread is interrupted while waiting (and the context is
     *     not cancelled)
     */
    Instant receive(Object owner) throws InterruptedException {
        Context ctx = Context.current();
        ctx.throwIfCancelled();
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before receive() on " + owner);
        }
        Receiver r;
        lock.lock();
        try {
            Instant v = value;
            if (v != null) {
                value = null;
                return v;
            }
            r = new Receiver();
            enqueue(r);
        } finally {
            lock.unlock();
        }
        r.arm(CurrentSignal.get());
        try {
            while (!r.done) {
                if (ctx.isCancelled()) {
                    if (!handedOver(r)) {
                        ctx.throwIfCancelled();
                    }
                    break; // the tick arrived at the same moment: it is ours
                }
                if (Thread.interrupted()) {
                    if (!handedOver(r)) {
                        throw new InterruptedException("interrupted in receive() on " + owner);
                    }
                    Thread.currentThread().interrupt(); // keep the interrupt for the caller
                    break;
                }
                LockSupport.park(this);
            }
            return r.value;
        } finally {
            r.disarm();
        }
    }

    /** How many receivers are blocked, waiting for a tick (for tests and {@code toString}). */
    int waitingReceivers() {
        lock.lock();
        try {
            int n = 0;
            for (Receiver r = head; r != null; r = r.next) {
                n++;
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A receiver that wants to give up settles it under the lock: it leaves the queue and returns
     * false, or returns true if a tick was handed to it meanwhile (it must then return the tick).
     */
    private boolean handedOver(Receiver r) {
        lock.lock();
        try {
            if (r.done) {
                return true;
            }
            unlink(r);
            return false;
        } finally {
            lock.unlock();
        }
    }

    private void enqueue(Receiver r) {
        r.prev = tail;
        if (tail == null) {
            head = r;
        } else {
            tail.next = r;
        }
        tail = r;
    }

    private void unlink(Receiver r) {
        if (r.prev == null) {
            head = r.next;
        } else {
            r.prev.next = r.next;
        }
        if (r.next == null) {
            tail = r.prev;
        } else {
            r.next.prev = r.prev;
        }
        r.prev = r.next = null;
    }

    /** A blocked receive; as a {@link Parker}, its context's cancellation only wakes it. */
    private static final class Receiver extends Parker {
        Receiver prev;
        Receiver next;
        Instant value;
        volatile boolean done;
    }
}
