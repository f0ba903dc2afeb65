package dev.weft.chan;

import dev.weft.Context;
import dev.weft.internal.CancelSignal;
import dev.weft.internal.ClaimableParker;
import dev.weft.time.TimeSource;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Go's {@code select}: waits until one of several channel operations can proceed, performs exactly
 * that one, and returns the result of its clause.
 *
 * <pre>{@code
 * String what = Select.select(
 *         orders.onReceive(o -> "order " + o.id()),          // case o := <-orders:
 *         audit.onSend(entry, () -> "audited"),              // case audit <- entry:
 *         Select.onTimeout(Duration.ofSeconds(1), () -> "idle"));   // case <-time.After(time.Second):
 * }</pre>
 *
 * <ul>
 *   <li><b>Exactly one clause fires.</b> A clause that loses leaves nothing behind: no element is
 *       taken from its channel, and no value is sent.</li>
 *   <li><b>Not biased.</b> When several clauses are ready, the one that fires is chosen uniformly
 *       at random among them, as in Go; it is never "the first one listed".</li>
 *   <li><b>Closed channels.</b> A receive clause on a closed and drained channel is ready (as in
 *       Go): {@code onReceive} then makes the select throw {@link ChannelClosedException} (or the
 *       failure of a failed channel), {@code onReceiveOrClosed} returns its {@code ifClosed} value.
 *       A send clause on a closed channel is ready too, and makes the select throw
 *       {@link ChannelClosedException}, where Go panics.</li>
 *   <li><b>Go's nil channel</b> (a disabled case) is a clause left out: build the clauses in a
 *       list and call {@link #select(List)}.</li>
 *   <li><b>{@link #orDefault}</b> fires when no channel clause is ready at once: the select never
 *       waits, and does not look at the context. At most one default is allowed.</li>
 *   <li><b>{@link #onTimeout}</b> fires when its time has passed since the select started, on the
 *       current context's {@link TimeSource} (so a test's {@code ManualTime} drives it). With
 *       several timeouts the earliest fires.</li>
 *   <li><b>Cancellation.</b> A select that may wait behaves like every blocking call of a
 *       {@link Channel}: a cancelled context throws at once; while waiting, the context's
 *       cancellation or deadline wakes it (on a scope's owner thread too) and it throws
 *       {@link dev.weft.CancelledException} or {@link dev.weft.DeadlineExceededException}; an
 *       interrupt throws {@link InterruptedException}. Go's {@code case <-ctx.Done()} needs no
 *       clause.</li>
 *   <li>The clause's function runs in the selecting thread, after the operation has completed;
 *       what it throws is thrown by {@code select}.</li>
 * </ul>
 *
 * <p>Clauses are immutable and can be built once and reused by many selects.
 *
 * <p>Memory consistency effects: those of the channel operation that fires (see {@link Channel});
 * the clause's function runs after that operation, in the selecting thread.
 */
public final class Select {
    /*
     * Implementation overview. Like Go's selectgo: lock every channel of the select in a global
     * order (their ids), so two selects never deadlock; check the channel clauses in a random
     * permutation and complete the first that is ready, under those locks; if none is ready (and
     * there is no default), link one node per channel clause into its channel's queue, all owned by
     * one ClaimableParker, release the locks and wait. A select that may wait first tries its
     * clauses one lock at a time, in the same random order: most selects find a clause ready, and
     * then take one lock instead of all of them. Whoever claims the parker first (a partner
     * on one of the channels, a close, the timeout, or the waiter itself when it gives up) settles
     * which clause fired; every other claim fails, so those partners move on and nothing else
     * happens. After waking, the select unlinks its other nodes, one channel at a time. Because no
     * node of a select is linked while it holds its locks, a select is only ever claimed as a
     * parked waiter, by one CAS: two partners never have to be claimed at once.
     */

    private static final Object NOTHING = new Object();

    private Select() {}

    /** A case of a select: built by {@code onReceive}, {@code onSend}, {@link #onTimeout} or {@link #orDefault}. */
    public sealed interface Clause<R> permits Clauses.Receive, Clauses.Send, Clauses.Timeout, Clauses.Default {}

    /**
     * Waits until one of {@code clauses} can fire, fires exactly that one, and returns its result.
     *
     * @throws IllegalArgumentException if there are no clauses, or more than one default
     * @throws NullPointerException if {@code clauses} or one of its elements is null
     * @throws ChannelClosedException if the clause that fired is a send to a closed channel or a
     *     receive ({@code onReceive}) from a closed and drained one
     * @throws dev.weft.CancelledException if the select may wait and the current context is or
     *     becomes cancelled first
     * @throws dev.weft.DeadlineExceededException if it may wait and the context's deadline passes first
     * @throws InterruptedException if it may wait and the thread is interrupted before or while it
     *     waits (and the context is not cancelled)
     */
    @SafeVarargs
    public static <R> R select(Clause<? extends R>... clauses) throws InterruptedException {
        Objects.requireNonNull(clauses, "clauses");
        return run(clauses);
    }

    /**
     * {@link #select(Clause[])} over a list, for a set of cases built at run time (Go's nil channel:
     * a disabled case is one left out of the list).
     */
    public static <R> R select(List<? extends Clause<? extends R>> clauses) throws InterruptedException {
        Objects.requireNonNull(clauses, "clauses");
        return run(clauses.toArray(new Clause<?>[0]));
    }

    /**
     * A clause that fires when {@code timeout} has passed since the select started, measured on the
     * current context's time source: Go's {@code case <-time.After(d)}. {@code Duration.ZERO} fires
     * as soon as no channel clause is ready.
     *
     * @throws NullPointerException if {@code timeout} or {@code fn} is null
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public static <R> Clause<R> onTimeout(Duration timeout, Supplier<? extends R> fn) {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(fn, "fn");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, was " + timeout);
        }
        long nanos;
        try {
            nanos = timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            nanos = Long.MAX_VALUE;
        }
        return new Clauses.Timeout<>(timeout, nanos, fn);
    }

    /**
     * A clause that fires when no channel clause is ready at once: Go's {@code default}. A select
     * with it never waits.
     *
     * @throws NullPointerException if {@code fn} is null
     */
    public static <R> Clause<R> orDefault(Supplier<? extends R> fn) {
        Objects.requireNonNull(fn, "fn");
        return new Clauses.Default<>(fn);
    }

    // ---- the algorithm ---------------------------------------------------------------------

    private static <R> R run(Clause<?>[] clauses) throws InterruptedException {
        int n = clauses.length;
        if (n == 0) {
            throw new IllegalArgumentException("select needs at least one clause");
        }
        int channelClauses = 0;
        Clauses.Default<?> dflt = null;
        Clauses.Timeout<?> timeout = null;
        for (int i = 0; i < n; i++) {
            Clause<?> c = clauses[i];
            if (c == null) {
                throw new NullPointerException("clauses[" + i + "]");
            } else if (c instanceof Clauses.Default<?> d) {
                if (dflt != null) {
                    throw new IllegalArgumentException("select allows at most one default clause, clauses["
                            + i + "] is a second one");
                }
                dflt = d;
            } else if (c instanceof Clauses.Timeout<?> t) {
                if (timeout == null || t.nanos < timeout.nanos) {
                    timeout = t;
                }
            } else {
                channelClauses++;
            }
        }
        CancelSignal signal = dflt == null ? Waits.checkBeforeWaiting("select") : null;
        TimeSource time = null;
        long due = 0;
        if (timeout != null && dflt == null) {
            time = Context.current().timeSource();
            long now = time.nanoTime();
            due = now + timeout.nanos;
            if (due < now) {
                due = Long.MAX_VALUE;
            }
        }

        int[] order = channelOrder(clauses, channelClauses);
        boolean mayWait = dflt == null && (timeout == null || timeout.nanos > 0);
        Attempt attempt = new Attempt(clauses);
        if (mayWait && order.length > 1) {
            // Optimistic pass: each clause under its own lock. Nothing of this select is linked
            // anywhere yet, so completing one clause under one lock is as atomic as under all of
            // them; only "none is ready" needs all the locks at once, which the next pass takes.
            for (int i : order) {
                Channel<?> ch = channelOf(clauses[i]);
                ch.acquire();
                try {
                    attempt.tryLocked(i);
                } finally {
                    ch.release();
                }
                if (attempt.fired >= 0) {
                    Channel.wake(attempt.wake);
                    return complete(clauses[attempt.fired], attempt.received, attempt.sendClosed);
                }
            }
        }
        Channel<?>[] locked = lockOrder(clauses, order);
        ClaimableParker parker = null;
        Node[] nodes = null;
        for (Channel<?> ch : locked) {
            ch.acquire();
        }
        try {
            for (int i : order) {
                if (attempt.tryLocked(i)) {
                    break;
                }
            }
            if (attempt.fired < 0 && mayWait && order.length > 0) {
                parker = new ClaimableParker();
                nodes = new Node[n];
                for (int i : order) {
                    Clause<?> c = clauses[i];
                    if (c instanceof Clauses.Receive<?, ?> r) {
                        Node node = new Node(parker, i, null);
                        nodes[i] = node;
                        r.channel.enqueue(WaitQueues.RECEIVERS, node);
                    } else if (c instanceof Clauses.Send<?, ?> s) {
                        Node node = new Node(parker, i, s.value);
                        nodes[i] = node;
                        s.channel.enqueue(WaitQueues.SENDERS, node);
                    }
                }
            }
        } finally {
            for (int k = locked.length - 1; k >= 0; k--) {
                locked[k].release();
            }
        }
        Channel.wake(attempt.wake);
        if (attempt.fired >= 0) {
            return complete(clauses[attempt.fired], attempt.received, attempt.sendClosed);
        }
        if (dflt != null) {
            return result(dflt.fn);
        }
        if (!mayWait) {
            return result(timeout.fn); // a zero timeout: nothing was ready
        }
        if (parker == null) {
            parker = new ClaimableParker(); // only timeouts: a cancellable sleep
        }
        return await(clauses, nodes, parker, signal, timeout, time, due);
    }

    /** One select's attempt to complete a channel clause without waiting, under that channel's lock. */
    private static final class Attempt {
        private final Clause<?>[] clauses;
        /** The clause that fired, or -1. */
        int fired = -1;
        /** What a receive clause received: an element or {@link Channel#CLOSED}. */
        Object received = NOTHING;
        /** The partner to wake once the locks are released. */
        Node wake;
        /** The clause that fired is a send to a closed channel: the select throws, once the locks are released. */
        boolean sendClosed;

        Attempt(Clause<?>[] clauses) {
            this.clauses = clauses;
        }

        /**
         * Completes clause {@code i} if it is ready; the caller holds its channel's lock.
         *
         * @return true if it fired (a send clause on a closed channel fires too, with {@link #sendClosed})
         */
        boolean tryLocked(int i) {
            Clause<?> c = clauses[i];
            if (c instanceof Clauses.Receive<?, ?> r) {
                Object e = r.channel.pollLocked();
                if (e == null && r.channel.isClosedForSend()) {
                    e = Channel.CLOSED;
                }
                if (e != null) {
                    fired = i;
                    received = e;
                    wake = r.channel.takeToWake();
                    return true;
                }
            } else {
                Clauses.Send<?, ?> s = (Clauses.Send<?, ?>) c;
                if (s.channel.isClosedForSend()) {
                    fired = i;
                    sendClosed = true;
                    return true;
                }
                if (s.channel.offerLocked(s.value)) {
                    fired = i;
                    wake = s.channel.takeToWake();
                    return true;
                }
            }
            return false;
        }
    }

    private static Channel<?> channelOf(Clause<?> c) {
        return c instanceof Clauses.Receive<?, ?> r ? r.channel : ((Clauses.Send<?, ?>) c).channel;
    }

    private static <R> R await(Clause<?>[] clauses, Node[] nodes, ClaimableParker parker, CancelSignal signal,
            Clauses.Timeout<?> timeout, TimeSource time, long due) throws InterruptedException {
        boolean onSystemClock = timeout != null && time == TimeSource.system();
        TimeSource.Scheduled timer = null;
        if (timeout != null && !onSystemClock) {
            ClaimableParker p = parker;
            try {
                timer = time.scheduleAt(due, () -> {
                    if (p.tryClaim(ClaimableParker.TIMED_OUT)) {
                        p.wakeIfParking();
                    }
                });
            } catch (RuntimeException | Error e) {
                // A time source that cannot schedule: withdraw, unless a partner completed this
                // select meanwhile (then its result stands, and await returns it at once).
                if (parker.tryClaim(ClaimableParker.CANCELLED)) {
                    unlinkAll(clauses, nodes, -1);
                    throw e;
                }
            }
        }
        int outcome;
        try {
            outcome = parker.await(signal, timeout == null ? spins(clauses) : 0, onSystemClock, due);
        } finally {
            if (timer != null) {
                timer.cancel();
            }
            unlinkAll(clauses, nodes, parker.state());
        }
        if (outcome >= 0) {
            Node node = nodes[outcome];
            return complete(clauses[outcome], node.closed ? Channel.CLOSED : node.item, node.closed);
        }
        if (outcome == ClaimableParker.TIMED_OUT) {
            return result(timeout.fn);
        }
        throw Waits.gaveUp(outcome, "select");
    }

    /** The result of clause {@code c}, which fired with {@code received} (a receive) or {@code closed} (a send). */
    @SuppressWarnings("unchecked")
    private static <R> R complete(Clause<?> c, Object received, boolean closed) {
        if (c instanceof Clauses.Receive<?, ?> r) {
            return (R) r.complete(received);
        }
        Clauses.Send<?, ?> s = (Clauses.Send<?, ?>) c;
        if (closed) {
            throw s.channel.closedForSend();
        }
        return (R) s.fn.get();
    }

    @SuppressWarnings("unchecked")
    private static <R> R result(Supplier<?> fn) {
        return (R) fn.get();
    }

    /** Unlinks every node of a select except the winner's (which its claimer unlinked). */
    private static void unlinkAll(Clause<?>[] clauses, Node[] nodes, int winner) {
        if (nodes != null) {
            for (int i = 0; i < nodes.length; i++) {
                if (nodes[i] != null && i != winner) {
                    unlink(clauses[i], nodes[i]);
                }
            }
        }
    }

    private static void unlink(Clause<?> c, Node node) {
        if (c instanceof Clauses.Receive<?, ?> r) {
            r.channel.abandon(WaitQueues.RECEIVERS, node);
        } else {
            ((Clauses.Send<?, ?>) c).channel.abandon(WaitQueues.SENDERS, node);
        }
    }

    /** How long the select polls before it parks: as its most eager channel does ({@link Channel#spins()}). */
    private static int spins(Clause<?>[] clauses) {
        int spins = 0;
        for (Clause<?> c : clauses) {
            if (c instanceof Clauses.Receive || c instanceof Clauses.Send) {
                spins = Math.max(spins, channelOf(c).spins());
            }
        }
        return spins;
    }

    /** The indexes of the channel clauses, in a uniformly random order (Go's pollorder). */
    private static int[] channelOrder(Clause<?>[] clauses, int channelClauses) {
        int[] order = new int[channelClauses];
        int k = 0;
        for (int i = 0; i < clauses.length; i++) {
            if (clauses[i] instanceof Clauses.Receive || clauses[i] instanceof Clauses.Send) {
                order[k++] = i;
            }
        }
        if (k > 1) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = k - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    /** The distinct channels of the clauses, sorted by id: the order in which to lock them (Go's lockorder). */
    private static Channel<?>[] lockOrder(Clause<?>[] clauses, int[] order) {
        Channel<?>[] chans = new Channel<?>[order.length];
        int k = 0;
        for (int i : order) {
            Channel<?> ch = channelOf(clauses[i]);
            int j = k;
            boolean dup = false;
            for (int m = 0; m < k; m++) {
                if (chans[m] == ch) {
                    dup = true;
                    break;
                }
            }
            if (dup) {
                continue;
            }
            while (j > 0 && chans[j - 1].id > ch.id) {
                chans[j] = chans[j - 1];
                j--;
            }
            chans[j] = ch;
            k++;
        }
        if (k < chans.length) {
            Channel<?>[] shorter = new Channel<?>[k];
            System.arraycopy(chans, 0, shorter, 0, k);
            return shorter;
        }
        return chans;
    }
}
