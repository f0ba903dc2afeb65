package dev.weft.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One-shot timers on one timer thread: the facility behind {@code TimeSource.system()}, shared by
 * every scope deadline, ticker, timer and debouncer of the JVM (no thread per timer).
 *
 * <p>Implementation overview (the decision and the measurements are in ADR 0013).
 * <ul>
 *   <li><b>Scheduling is a push.</b> {@link #schedule} pushes the entry on a Treiber stack,
 *       {@code incoming}, with one CAS. The caller never touches the heap and takes no lock.</li>
 *   <li><b>The timer thread owns a binary min-heap</b> ordered by due time (compared by
 *       subtraction, so the {@code System.nanoTime} origin does not matter; every due time is
 *       clamped to at most {@link #MAX_DELAY} ahead, so any two live due times differ by less
 *       than 2^63), ties in scheduling order. The due times sit in a parallel {@code long[]}, so
 *       sifting a heap of a million entries does not touch the entries themselves. The thread
 *       takes the whole stack with one {@code getAndSet(null)}, reverses it (FIFO), drops the
 *       entries already cancelled and inserts the others. Only the timer thread reads or writes
 *       the heap.</li>
 *   <li><b>Exactly one of fire and cancel wins.</b> An entry's {@code state} moves once, by CAS,
 *       from PENDING to FIRED (the timer thread, just before it runs the action) or to CANCELLED
 *       ({@link Entry#cancel()}). So {@code cancel()} returns true exactly when the action will
 *       never run.</li>
 *   <li><b>Cancelling is O(1) and lazy.</b> A cancelled entry stays where it is; its action is
 *       cleared at once, so a cancelled timer keeps nothing of its owner alive. The timer thread
 *       drops it when it reaches the top of the heap, or in a purge: when the cancelled entries
 *       outnumber half the heap and a batch, the heap is compacted and rebuilt in O(n). The
 *       thread checks this before it parks (after publishing its mode, like the wake-up
 *       protocol below), and a cancel that brings the count to a multiple of {@value #BATCH}
 *       wakes a parked thread. Each purge removes at least half the heap, so it costs O(1)
 *       amortised per cancel, and a parked thread holds at most twice the timers that were live
 *       when it parked, plus {@value #BATCH} (fewer than {@value #BATCH} of those can have been
 *       cancelled since without waking it): memory is O(live timers), not O(timers ever
 *       scheduled).</li>
 *   <li><b>The wake-up protocol.</b> The timer thread, before parking, publishes what it sleeps
 *       for: {@code wakeAt} then {@code mode} (TIMED until {@code wakeAt}, or IDLE with an empty
 *       heap), and then re-reads {@code incoming} and the purge condition; if anything arrived
 *       or a purge is due, it does not park. A
 *       scheduler pushes, then reads {@code mode}: if the thread sleeps past the new due time
 *       (IDLE, or TIMED with {@code wakeAt} later than it), or if this push makes the stack
 *       {@value #BATCH} deep, it CASes {@code mode} to AWAKE and, if that CAS wins, unparks the
 *       thread. Push/read on one side and publish/re-read on the other are all volatile or CAS
 *       accesses, so they fall in one total order and at least one side sees the other: either
 *       the thread sees the push before parking, or the scheduler sees the sleep and wakes it (an
 *       unpark before the park makes the park return at once). So a timer never waits behind a
 *       later one, and the stack is drained at least every {@value #BATCH} pushes. Only one of
 *       several concurrent schedulers unparks (the CAS), and while the thread is awake nobody
 *       unparks it.</li>
 *   <li><b>Actions run on the timer thread</b> and must be short (weft's own actions only flag,
 *       unpark, fill a slot or start a virtual thread; user code runs on a thread of its own).
 *       A throwable escaping an action is logged at WARN and the thread carries on.</li>
 * </ul>
 *
 * <p>Memory consistency effects: actions in a thread prior to {@link #schedule} happen-before the
 * scheduled action runs (the push is a CAS, the timer thread's take a volatile read of the same
 * variable).
 */
public final class TimerQueue implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TimerQueue.class);

    /** The longest delay kept exactly; longer ones are clamped to it (about 36 years). */
    public static final long MAX_DELAY = Long.MAX_VALUE >> 3;

    /** Pushes between forced drains, and cancels between purge checks. A power of two. */
    static final int BATCH = 1024;

    private static final int PENDING = 0;
    private static final int FIRED = 1;
    private static final int CANCELLED = 2;

    private static final int AWAKE = 0;
    private static final int TIMED = 1;
    private static final int IDLE = 2;

    private static final VarHandle INCOMING;
    private static final VarHandle MODE;
    private static final VarHandle CANCELS;
    private static final VarHandle STATE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            INCOMING = l.findVarHandle(TimerQueue.class, "incoming", Entry.class);
            MODE = l.findVarHandle(TimerQueue.class, "mode", int.class);
            CANCELS = l.findVarHandle(TimerQueue.class, "cancels", int.class);
            STATE = l.findVarHandle(Entry.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Thread thread;
    /** The Treiber stack of entries not yet taken by the timer thread. */
    private volatile Entry incoming;
    /** AWAKE, TIMED or IDLE: what the timer thread is doing (see the overview). */
    private volatile int mode;
    /** The due time the thread sleeps until; valid when {@code mode} is TIMED. */
    private volatile long wakeAt;
    /** Cancels not yet accounted for by the timer thread (may dip below zero briefly). */
    private volatile int cancels;
    /** Entries in the heap, published by the timer thread after each round (for monitoring). */
    private volatile int published;
    private volatile boolean closed;

    // ---- owned by the timer thread -----------------------------------------------------------
    private Entry[] heap = new Entry[64];
    /** {@code dues[i] == heap[i].due}: sifting compares these without touching the entries. */
    private long[] dues = new long[64];
    private int size;
    private long nextSeq;

    /**
     * A timer of this queue; extend it to make the handle and the entry one object. An entry is
     * scheduled at most once.
     */
    public static class Entry {
        final long due;
        Runnable action;
        volatile int state;
        TimerQueue queue;
        Entry next;
        long seq;
        /** Entries in {@code incoming} from this one down, this one included. */
        int depth;

        /**
         * An entry that will run {@code action} once the queue's clock reaches {@code dueNanos} (a
         * {@link System#nanoTime()} reading).
         *
         * @throws NullPointerException if {@code action} is null
         */
        protected Entry(long dueNanos, Runnable action) {
            this.due = dueNanos;
            this.action = Objects.requireNonNull(action, "action");
        }

        /** The due time, a {@link System#nanoTime()} reading. */
        public final long due() {
            return due;
        }

        /**
         * Prevents the action from running, if it has not started yet.
         *
         * @return true if this call prevented it; false if it has already run, is running, or
         *     was cancelled before
         */
        public final boolean cancel() {
            if (!STATE.compareAndSet(this, PENDING, CANCELLED)) {
                return false;
            }
            action = null;
            TimerQueue q = queue;
            if (q != null) {
                q.cancelled();
            }
            return true;
        }

        @Override
        public String toString() {
            int s = state;
            return "TimerQueue.Entry[due=" + due + ", " + (s == PENDING ? "pending" : s == FIRED ? "fired" : "cancelled") + "]";
        }
    }

    /** Starts a queue whose timer thread (a daemon platform thread) is called {@code threadName}. */
    public TimerQueue(String threadName) {
        Objects.requireNonNull(threadName, "threadName");
        thread = Thread.ofPlatform().name(threadName).daemon(true).unstarted(this::loop);
        thread.start();
    }

    /** A plain entry for {@link #schedule}: runs {@code action} at {@code dueNanos}. */
    public static Entry entry(long dueNanos, Runnable action) {
        return new Entry(dueNanos, action);
    }

    /** The due time for {@code delayNanos} from now, clamped to [now, now + {@link #MAX_DELAY}]. */
    public static long dueIn(long delayNanos) {
        return System.nanoTime() + Math.min(Math.max(0, delayNanos), MAX_DELAY);
    }

    /**
     * Schedules {@code entry}: its action runs on the timer thread once {@code System.nanoTime()}
     * has reached its due time, unless it is cancelled first.
     *
     * @return {@code entry}
     * @throws IllegalStateException if the entry was scheduled before, or this queue is closed
     */
    public <E extends Entry> E schedule(E entry) {
        if (entry.queue != null || entry.state != PENDING) {
            throw new IllegalStateException(entry + " has already been scheduled or cancelled");
        }
        if (closed) {
            throw new IllegalStateException("timer queue " + thread.getName() + " is closed");
        }
        entry.queue = this;
        Entry h;
        do {
            h = incoming;
            entry.next = h;
            entry.depth = h == null ? 1 : h.depth + 1;
        } while (!INCOMING.compareAndSet(this, h, entry));
        int m = mode;
        if (m != AWAKE && (m == IDLE || entry.due - wakeAt < 0 || (entry.depth & (BATCH - 1)) == 0)) {
            wake(m);
        }
        return entry;
    }

    private void cancelled() {
        int c = (int) CANCELS.getAndAdd(this, 1) + 1;
        if ((c & (BATCH - 1)) == 0) {
            int m = mode;
            if (m != AWAKE) {
                wake(m);
            }
        }
    }

    private void wake(int seen) {
        if (MODE.compareAndSet(this, seen, AWAKE)) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * True when the timer thread has taken every scheduled entry and is parked: it has nothing to
     * do until the next due time or the next schedule. For tests and benchmarks.
     */
    public boolean isQuiescent() {
        return incoming == null && mode != AWAKE;
    }

    /** Entries the timer thread holds (pending, or cancelled and not yet dropped), as of its last round. */
    public int heldEntries() {
        return published;
    }

    /**
     * Stops the timer thread and waits for it to end; pending actions never run. For queues made
     * by tests and benchmarks: the shared system queue is never closed.
     */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "TimerQueue[" + thread.getName() + ", held=" + published + "]";
    }

    // ---- the timer thread ----------------------------------------------------------------------

    private void loop() {
        while (!closed) {
            Thread.interrupted(); // an interrupt must not turn the parks below into a spin
            mode = AWAKE;
            int dropped = drain();
            long now = System.nanoTime();
            int ran = 0;
            while (size > 0) {
                Entry top = heap[0];
                if (dues[0] - now > 0 && top.state == PENDING) {
                    break;
                }
                removeTop();
                if (STATE.compareAndSet(top, PENDING, FIRED)) {
                    Runnable action = top.action;
                    top.action = null;
                    run(action);
                    if ((++ran & 63) == 0) {
                        now = System.nanoTime();
                        dropped += drain(); // a long run of due actions must not delay earlier new timers
                    }
                } else {
                    dropped++;
                }
            }
            if (dropped != 0) {
                CANCELS.getAndAdd(this, -dropped);
            }
            if (needsPurge()) {
                purge();
            }
            published = size;
            long due = 0;
            if (size == 0) {
                mode = IDLE;
            } else {
                due = dues[0];
                wakeAt = due;
                mode = TIMED;
            }
            // Re-read after publishing the mode: a schedule or a cancel that saw AWAKE did not wake
            // us, so what it did must be seen here (the Dekker pair of the overview).
            if (incoming != null || closed || needsPurge()) {
                continue;
            }
            if (size == 0) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, due - System.nanoTime());
            }
        }
        mode = AWAKE;
    }

    /**
     * Whether the cancelled entries held outnumber half the heap (and a batch). {@code cancels}
     * never overestimates them (a cancel counts itself after its CAS; the thread subtracts what it
     * dropped), and with {@code incoming} empty they are all in the heap, so a purge then drops at
     * least that many: this never makes the thread spin.
     */
    private boolean needsPurge() {
        int c = cancels;
        return c >= BATCH && c > size / 2;
    }

    private static void run(Runnable action) {
        try {
            action.run();
        } catch (Throwable t) {
            LOG.warn("weft timer action {} threw; the timer keeps running", action, t);
        }
    }

    /** Moves {@code incoming} into the heap, in scheduling order; returns how many cancelled entries it dropped. */
    private int drain() {
        Entry stack = (Entry) INCOMING.getAndSet(this, (Entry) null);
        Entry fifo = null;
        while (stack != null) {
            Entry next = stack.next;
            stack.next = fifo;
            fifo = stack;
            stack = next;
        }
        int dropped = 0;
        while (fifo != null) {
            Entry next = fifo.next;
            fifo.next = null;
            if (fifo.state == PENDING) {
                fifo.seq = nextSeq++;
                add(fifo);
            } else {
                dropped++;
            }
            fifo = next;
        }
        return dropped;
    }

    /** Drops every cancelled entry from the heap and rebuilds it (Floyd's heapify, O(n)). */
    private void purge() {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            Entry e = heap[i];
            if (e.state == PENDING) {
                heap[kept++] = e;
            }
        }
        int dropped = size - kept;
        Arrays.fill(heap, kept, size, null);
        size = kept;
        if (heap.length > 64 && size < heap.length / 4) {
            heap = Arrays.copyOf(heap, Math.max(64, size * 2));
            dues = new long[heap.length];
        }
        for (int i = 0; i < size; i++) {
            dues[i] = heap[i].due;
        }
        for (int i = (size >>> 1) - 1; i >= 0; i--) {
            siftDown(i, heap[i]);
        }
        CANCELS.getAndAdd(this, -dropped);
    }

    /** Whether {@code a} (due {@code aDue}) runs before {@code b} (due {@code bDue}): earlier due, then earlier schedule. */
    private static boolean before(long aDue, Entry a, long bDue, Entry b) {
        long d = aDue - bDue;
        return d < 0 || (d == 0 && a.seq < b.seq);
    }

    private void add(Entry e) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
            dues = Arrays.copyOf(dues, size * 2);
        }
        long due = e.due;
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            long parentDue = dues[parent];
            if (!before(due, e, parentDue, heap[parent])) {
                break;
            }
            heap[i] = heap[parent];
            dues[i] = parentDue;
            i = parent;
        }
        heap[i] = e;
        dues[i] = due;
    }

    private void removeTop() {
        int last = --size;
        Entry moved = heap[last];
        heap[last] = null;
        if (last > 0) {
            siftDown(0, moved);
        }
    }

    private void siftDown(int i, Entry e) {
        long due = e.due;
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            long childDue = dues[child];
            int right = child + 1;
            if (right < size && before(dues[right], heap[right], childDue, heap[child])) {
                child = right;
                childDue = dues[right];
            }
            if (!before(childDue, heap[child], due, e)) {
                break;
            }
            heap[i] = heap[child];
            dues[i] = childDue;
            i = child;
        }
        heap[i] = e;
        dues[i] = due;
    }
}
