package dev.weft.time;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TimeSource} that moves only when a test calls {@link #advance(Duration)}.
 *
 * <p>Use it as the time source of a whole scope, {@code Scope.open(c -> c.withTimeSource(time))},
 * and every deadline in that scope and its nested scopes becomes virtual: a test of a two-second
 * timeout runs in microseconds and never depends on how busy the machine is.
 *
 * <p>{@link #advance} runs every scheduled action whose due time falls inside the advanced
 * interval, in due-time order (ties in scheduling order), on the calling thread, with the clock
 * set to the action's due time while it runs. Actions scheduled by those actions run in the same
 * call if they fall due before its end. Concurrent calls to {@code advance} take turns.
 *
 * <p>Memory consistency effects: actions in a thread prior to {@link #schedule} happen-before the
 * scheduled action runs; actions of a scheduled action happen-before the {@code advance} call that
 * ran it returns.
 */
public final class ManualTime implements TimeSource {
    private static final Logger LOG = LoggerFactory.getLogger(ManualTime.class);
    private static final Instant DEFAULT_START = Instant.parse("2000-01-01T00:00:00Z");
    private static final Scheduled ALREADY_RAN = () -> false;

    private final Instant start;
    private final ReentrantLock lock = new ReentrantLock();
    private final ReentrantLock advancing = new ReentrantLock();
    private final PriorityQueue<Entry> queue = new PriorityQueue<>();
    private volatile long nanos;
    private long sequence;

    /** A manual clock whose wall time starts at 2000-01-01T00:00:00Z and whose nano reading starts at 0. */
    public ManualTime() {
        this(DEFAULT_START);
    }

    /**
     * A manual clock whose wall time starts at {@code start}.
     *
     * @throws NullPointerException if {@code start} is null
     */
    public ManualTime(Instant start) {
        this.start = Objects.requireNonNull(start, "start");
    }

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public Instant now() {
        return start.plusNanos(nanos);
    }

    /** How many scheduled actions have not run and were not cancelled. */
    public int pending() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Scheduled schedule(Duration delay, Runnable action) {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(action, "action");
        long d = Math.max(0, TimerMath.saturatedNanos(delay));
        lock.lock();
        try {
            long due = nanos + d < nanos ? Long.MAX_VALUE : nanos + d;
            Entry entry = new Entry(due, sequence++, action);
            queue.add(entry);
            return entry;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>If the clock has already reached {@code dueNanos}, the action runs at once on the calling
     * thread; otherwise the {@code advance} that reaches it runs it. The check and the queueing are
     * atomic with respect to {@code advance}, so a concurrent advance either runs the action or has
     * finished before this call looks at the clock.
     */
    @Override
    public Scheduled scheduleAt(long dueNanos, Runnable action) {
        Objects.requireNonNull(action, "action");
        lock.lock();
        try {
            if (dueNanos > nanos) {
                Entry entry = new Entry(dueNanos, sequence++, action);
                queue.add(entry);
                return entry;
            }
        } finally {
            lock.unlock();
        }
        try {
            action.run();
        } catch (Throwable t) {
            LOG.warn("ManualTime action {} threw", action, t);
        }
        return ALREADY_RAN;
    }

    /**
     * Moves the clock forward by {@code amount}, running due actions in order (see the class
     * documentation). {@code advance(Duration.ZERO)} runs the actions already due.
     *
     * @throws NullPointerException if {@code amount} is null
     * @throws IllegalArgumentException if {@code amount} is negative
     */
    public void advance(Duration amount) {
        Objects.requireNonNull(amount, "amount");
        if (amount.isNegative()) {
            throw new IllegalArgumentException("amount must not be negative, was " + amount);
        }
        advancing.lock();
        try {
            long target = nanos + TimerMath.saturatedNanos(amount);
            if (target < nanos) {
                target = Long.MAX_VALUE;
            }
            while (true) {
                Entry next;
                lock.lock();
                try {
                    next = queue.peek();
                    if (next == null || next.due > target) {
                        nanos = target;
                        return;
                    }
                    queue.poll();
                    if (next.due > nanos) {
                        nanos = next.due;
                    }
                } finally {
                    lock.unlock();
                }
                try {
                    next.action.run();
                } catch (Throwable t) {
                    LOG.warn("ManualTime action {} threw; time keeps advancing", next.action, t);
                }
            }
        } finally {
            advancing.unlock();
        }
    }

    @Override
    public String toString() {
        return "ManualTime[" + now() + ", pending=" + pending() + "]";
    }

    private final class Entry implements Comparable<Entry>, Scheduled {
        final long due;
        final long seq;
        final Runnable action;

        Entry(long due, long seq, Runnable action) {
            this.due = due;
            this.seq = seq;
            this.action = action;
        }

        @Override
        public int compareTo(Entry o) {
            int c = Long.compare(due, o.due);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }

        @Override
        public boolean cancel() {
            lock.lock();
            try {
                return queue.remove(this);
            } finally {
                lock.unlock();
            }
        }
    }
}
