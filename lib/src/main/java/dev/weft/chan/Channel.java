package dev.weft.chan;

import dev.weft.internal.CancelSignal;
import dev.weft.internal.SpinLock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A Go channel: a FIFO conduit between threads, bounded by default, that can be closed.
 *
 * <pre>{@code
 * Channel<Order> orders = Channel.buffered(64);     // make(chan Order, 64)
 * scope.fork(() -> {
 *     try {
 *         for (Order o : source) orders.send(o);     // ch <- o: waits while 64 are in flight
 *         orders.close();                           // close(ch): "no more values"
 *     } catch (Throwable t) {
 *         orders.fail(t);                           // the consumers get t after draining
 *         throw t;
 *     }
 * });
 * for (Order o : orders) ship(o);                   // for o := range ch
 * }</pre>
 *
 * <h2>Kinds</h2>
 * <ul>
 *   <li>{@link #buffered(int) buffered(n)}: up to {@code n} elements wait in the channel; a send
 *       waits while it is full. This is the clamp on how much is in flight.</li>
 *   <li>{@link #rendezvous()}: no buffer; a send waits until a receiver takes the element, and a
 *       receive until a sender offers one (Go's unbuffered {@code make(chan T)}).</li>
 *   <li>{@link #unbounded()}: the exception. A send never waits, so nothing limits how much a
 *       fast producer piles up in memory. Use it only where the number of elements is bounded by
 *       something else.</li>
 * </ul>
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li><b>Order.</b> Elements are received in the order their sends completed; in particular the
 *       elements of one sender arrive in the order it sent them. Waiting senders are served in
 *       arrival order, and so are waiting receivers.</li>
 *   <li><b>Exactly once.</b> A {@code send} that returns has put its element in the channel, and
 *       exactly one receive gets it. A {@code send} that throws has not sent it. A receive that
 *       throws took nothing.</li>
 *   <li><b>Close.</b> {@link #close()} ends the stream: later sends, and senders waiting on a full
 *       channel, throw {@link ChannelClosedException}; receivers drain what is buffered and then
 *       get {@link ChannelClosedException} (iteration ends). {@link #fail(Throwable)} is the error
 *       form: after draining, receivers get a {@link ChannelClosedException} caused by the
 *       failure (an {@link Error} is thrown as itself, never wrapped). Both are idempotent: the
 *       first wins.</li>
 *   <li><b>Cancellation.</b> Every blocking call ({@code send}, {@code receive}, iteration, a
 *       {@link Select} without a default) first checks the current context and the interrupt flag,
 *       then waits in the context: its cancellation or deadline wakes the call without an
 *       interrupt, on a scope's owner thread too, and the call throws
 *       {@link dev.weft.CancelledException} or {@link dev.weft.DeadlineExceededException}. An
 *       interrupt throws {@link InterruptedException}; if the context is cancelled as well, the
 *       cancellation wins and the interrupt flag stays set. A call that gives up has done nothing.
 *       A call whose partner completed it at the same moment (a receiver took the element of a
 *       send that was being cancelled) returns normally: the operation happened exactly once, and
 *       the cancellation is reported by the next blocking call. {@code trySend},
 *       {@code tryReceive} and a select with a default never wait and do not look at the
 *       context.</li>
 *   <li><b>Views.</b> {@link #receiveOnly()} and {@link #sendOnly()} are Go's {@code <-chan T}
 *       and {@code chan<- T}: hand them out so that a consumer cannot close the channel, or a
 *       producer cannot read from it.</li>
 *   <li>Elements are never null.</li>
 * </ul>
 *
 * <p>Memory consistency effects: actions in a thread prior to sending an element (by
 * {@code send}, {@code trySend} or a select's send clause) happen-before actions subsequent to
 * the receipt of that element (by {@code receive}, {@code tryReceive}, iteration or a select's
 * receive clause) in another thread. Actions in a thread prior to {@link #close()} or
 * {@link #fail(Throwable)} happen-before another thread observes the channel closed: a receive,
 * {@code tryReceive} or send that throws {@link ChannelClosedException}, an iteration that ends,
 * or {@link #isClosedForSend()}/{@link #isClosedForReceive()} returning true.
 *
 * @param <T> the element type
 */
public final class Channel<T> extends WaitQueues implements SendChannel<T>, ReceiveChannel<T> {
    /*
     * Implementation overview (ADR 0010). One lock guards the whole state: the ring buffer, the
     * FIFO queue of waiting senders (nodes holding their elements) and the FIFO queue of waiting
     * receivers (both fields of this object, inherited from WaitQueues). Invariants, under the
     * lock, counting only nodes whose owner is still WAITING: (1) if the buffer holds an element,
     * no receiver waits; (2) if the buffer has room, no sender waits; (3) after close, nobody
     * waits. An operation that can complete does so under the lock: it takes or fills the buffer,
     * or it *claims* the first waiting partner by a CAS on the partner's ClaimableParker and hands
     * the element over. A partner whose claim fails has given up (cancelled, interrupted, timed
     * out) or was claimed by another channel of its select; it is unlinked and the next one is
     * tried, so a partner that gave up is never handed anything and a lost select clause never
     * moves an element. An operation that cannot complete links a node into the queue and waits on
     * its parker; if it gives up, it wins the CAS first and then unlinks its node, so no partner
     * can complete it afterwards. The thread to wake is unparked after the lock is released.
     *
     * Select (see Select) takes the locks of all its channels in id order, checks its clauses in
     * a random order and completes the first ready one; if none is ready it links one node per
     * clause, all owned by one parker, and releases the locks. While it holds the locks no node of
     * it is linked anywhere, so it can never be claimed by two partners: every claim is a single
     * CAS on a waiter that is parked, never a pair of CASes.
     */

    /** What a receive returns internally for "closed and drained" (never an element: elements are non-null). */
    static final Object CLOSED = new Object();

    private static final int OPEN = 0;
    private static final int SHUT = 1;
    private static final int UNBOUNDED = Integer.MAX_VALUE;
    private static final int INITIAL_RING = 16;
    private static final AtomicLong IDS = new AtomicLong();

    /**
     * Polls before parking, for a rendezvous channel: a partner on another core often arrives
     * within this time, and parking a virtual thread costs microseconds. A buffered channel does
     * not spin: its partner is usually busy with other elements, not about to arrive.
     */
    private static final int SPINS = Runtime.getRuntime().availableProcessors() > 1 ? 128 : 0;
    private static final VarHandle LOCK;

    static {
        try {
            LOCK = MethodHandles.lookup().findVarHandle(Channel.class, "lock", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Orders the locks a select takes, so that two selects never deadlock. */
    final long id = IDS.getAndIncrement();
    /** The lock word of the {@link SpinLock} that guards everything below. */
    private volatile int lock;
    private final int capacity;
    private Object[] ring;
    private int head;
    private int count;
    /** Written under the lock; read without it by isClosedForSend. */
    private volatile int state = OPEN;
    /** The failure of fail(); written before state. */
    private Throwable failure;
    /** A partner claimed under the lock, to be woken once it is released; guarded by lock. */
    private Node toWake;
    private Views.ReceiveOnly<T> receiveView;
    private Views.SendOnly<T> sendView;

    private Channel(int capacity) {
        this.capacity = capacity;
        this.ring = capacity == 0 ? null : new Object[Math.min(capacity, INITIAL_RING)];
    }

    /**
     * A channel that buffers up to {@code capacity} elements: Go's {@code make(chan T, capacity)}.
     * {@code buffered(0)} is a {@link #rendezvous()} channel. The buffer grows on demand up to
     * its capacity, so a large capacity costs memory only when it is used.
     *
     * @throws IllegalArgumentException if {@code capacity} is negative
     */
    public static <T> Channel<T> buffered(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative, was " + capacity);
        }
        return new Channel<>(capacity);
    }

    /** A channel with no buffer: a send and a receive meet (Go's {@code make(chan T)}). */
    public static <T> Channel<T> rendezvous() {
        return new Channel<>(0);
    }

    /**
     * A channel whose sends never wait. This is the exception, not the default: nothing bounds
     * the memory a fast producer can fill, which is how a service ends up with a million queued
     * messages. Prefer {@link #buffered(int)}.
     */
    public static <T> Channel<T> unbounded() {
        return new Channel<>(UNBOUNDED);
    }

    // ---- sending ---------------------------------------------------------------------------

    @Override
    public void send(T value) throws InterruptedException {
        Objects.requireNonNull(value, "value");
        CancelSignal signal = Waits.checkBeforeWaiting("send");
        Node node = null;
        Node wake = null;
        boolean closed;
        acquire();
        try {
            closed = state != OPEN;
            if (!closed) {
                if (!offerLocked(value)) {
                    node = new Node(value);
                    enqueue(SENDERS, node);
                }
                wake = takeToWake();
            }
        } finally {
            release();
        }
        if (closed) {
            throw closedForSend(); // built after the release: nobody spins while its stack trace fills in
        }
        if (node == null) {
            wake(wake);
            return;
        }
        int outcome = node.await(signal, spins(), false, 0);
        if (outcome >= 0) {
            if (node.closed) {
                throw closedForSend();
            }
            return;
        }
        abandon(SENDERS, node);
        throw Waits.gaveUp(outcome, "send");
    }

    @Override
    public boolean trySend(T value) {
        Objects.requireNonNull(value, "value");
        boolean closed;
        boolean sent = false;
        Node wake = null;
        acquire();
        try {
            closed = state != OPEN;
            if (!closed) {
                sent = offerLocked(value);
                wake = takeToWake();
            }
        } finally {
            release();
        }
        if (closed) {
            throw closedForSend();
        }
        wake(wake);
        return sent;
    }

    // ---- receiving -------------------------------------------------------------------------

    @Override
    public T receive() throws InterruptedException {
        Object r = receiveOrClosed();
        if (r == CLOSED) {
            throw new ChannelClosedException("receive from a closed and drained " + this);
        }
        @SuppressWarnings("unchecked")
        T value = (T) r;
        return value;
    }

    /** Receives an element, or returns {@link #CLOSED} once closed and drained; throws a failure. */
    Object receiveOrClosed() throws InterruptedException {
        CancelSignal signal = Waits.checkBeforeWaiting("receive");
        Object e;
        Node node = null;
        Node wake;
        acquire();
        try {
            e = pollLocked();
            if (e == null) {
                if (state != OPEN) {
                    e = CLOSED;
                } else {
                    node = new Node(null);
                    enqueue(RECEIVERS, node);
                }
            }
            wake = takeToWake();
        } finally {
            release();
        }
        if (node == null) {
            wake(wake);
            return e == CLOSED ? closedForReceive() : e;
        }
        int outcome = node.await(signal, spins(), false, 0);
        if (outcome >= 0) {
            return node.closed ? closedForReceive() : node.item;
        }
        abandon(RECEIVERS, node);
        throw Waits.gaveUp(outcome, "receive");
    }

    @Override
    public Optional<T> tryReceive() {
        Object e;
        Node wake;
        acquire();
        try {
            e = pollLocked();
            if (e == null && state != OPEN) {
                e = CLOSED;
            }
            wake = takeToWake();
        } finally {
            release();
        }
        wake(wake);
        if (e == CLOSED) {
            closedForReceive(); // throws the failure of a failed channel
            throw new ChannelClosedException("tryReceive from a closed and drained " + this);
        }
        @SuppressWarnings("unchecked")
        T value = (T) e;
        return Optional.ofNullable(value);
    }

    // ---- closing ---------------------------------------------------------------------------

    @Override
    public void close() {
        shut(null);
    }

    @Override
    public boolean fail(Throwable cause) {
        Objects.requireNonNull(cause, "cause");
        return shut(cause);
    }

    private boolean shut(Throwable cause) {
        Node claimed;
        acquire();
        try {
            if (state != OPEN) {
                return false;
            }
            failure = cause;
            state = SHUT;
            // Invariant (3): nobody waits on a closed channel. Waiting senders lose their send;
            // waiting receivers (the buffer is empty, or they would not wait) see the close.
            claimed = claimAllClosed(detachAll(SENDERS), null);
            claimed = claimAllClosed(detachAll(RECEIVERS), claimed);
        } finally {
            release();
        }
        for (Node n = claimed; n != null; ) {
            Node next = n.after;
            n.after = null;
            n.owner.wakeIfParking();
            n = next;
        }
        return true;
    }

    /**
     * Claims every node of a detached chain for the close, and puts each one claimed in front of
     * {@code claimed}, the chain of those to wake; returns that chain.
     */
    private static Node claimAllClosed(Node chain, Node claimed) {
        for (Node n = chain; n != null; ) {
            Node next = n.after;
            n.after = null;
            n.closed = true;
            if (n.owner.tryClaim(n.index)) {
                n.after = claimed;
                claimed = n;
            }
            n = next;
        }
        return claimed;
    }

    @Override
    public boolean isClosedForSend() {
        return state != OPEN;
    }

    @Override
    public boolean isClosedForReceive() {
        if (state == OPEN) {
            return false;
        }
        acquire();
        try {
            return count == 0;
        } finally {
            release();
        }
    }

    // ---- views, iteration, clauses ---------------------------------------------------------

    /** A view that can only receive: Go's {@code <-chan T}. */
    public ReceiveChannel<T> receiveOnly() {
        Views.ReceiveOnly<T> v = receiveView;
        if (v == null) {
            receiveView = v = new Views.ReceiveOnly<>(this);
        }
        return v;
    }

    /** A view that can only send and close: Go's {@code chan<- T}. */
    public SendChannel<T> sendOnly() {
        Views.SendOnly<T> v = sendView;
        if (v == null) {
            sendView = v = new Views.SendOnly<>(this);
        }
        return v;
    }

    @Override
    public Iterator<T> iterator() {
        return new ChannelIterator<>(this);
    }

    @Override
    public Stream<T> stream() {
        return ChannelIterator.stream(this);
    }

    @Override
    public <R> Select.Clause<R> onReceive(Function<? super T, ? extends R> fn) {
        Objects.requireNonNull(fn, "fn");
        return new Clauses.Receive<>(this, fn, null);
    }

    @Override
    public <R> Select.Clause<R> onReceiveOrClosed(Function<? super T, ? extends R> fn, Supplier<? extends R> ifClosed) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(ifClosed, "ifClosed");
        return new Clauses.Receive<>(this, fn, ifClosed);
    }

    @Override
    public <R> Select.Clause<R> onSend(T value, Supplier<? extends R> fn) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(fn, "fn");
        return new Clauses.Send<>(this, value, fn);
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public int size() {
        acquire();
        try {
            return count;
        } finally {
            release();
        }
    }

    @Override
    public int waitingReceivers() {
        acquire();
        try {
            return queued(RECEIVERS);
        } finally {
            release();
        }
    }

    @Override
    public int waitingSenders() {
        acquire();
        try {
            return queued(SENDERS);
        } finally {
            release();
        }
    }

    @Override
    public String toString() {
        String kind = capacity == 0 ? "rendezvous" : capacity == UNBOUNDED ? "unbounded" : "buffered(" + capacity + ")";
        acquire();
        try {
            return "Channel[" + kind + ", " + count + " buffered, " + queued(SENDERS) + " senders and "
                    + queued(RECEIVERS) + " receivers waiting, "
                    + (state == OPEN ? "open" : failure != null ? "failed" : "closed") + "]";
        } finally {
            release();
        }
    }

    // ---- the operations under the lock (also used by Select) -------------------------------

    /**
     * Hands {@code item} to the first waiting receiver that can still be claimed, or buffers it.
     * The caller holds the lock and has checked that the channel is open.
     *
     * @return false if neither was possible (full, or a rendezvous channel with nobody waiting)
     */
    boolean offerLocked(Object item) {
        for (Node n; (n = dequeue(RECEIVERS)) != null; ) {
            n.item = item;
            if (n.owner.tryClaim(n.index)) {
                toWake = n;
                return true;
            }
            n.item = null;
        }
        if (count < capacity) {
            push(item);
            return true;
        }
        return false;
    }

    /**
     * Takes the next element: from the buffer (then moves the first claimable waiting sender's
     * element into the freed slot), or from the first claimable waiting sender. The caller holds
     * the lock.
     *
     * @return the element, or null if none is available (the caller then checks for closed)
     */
    Object pollLocked() {
        if (count > 0) {
            Object e = ring[head];
            ring[head] = null;
            head = head + 1 == ring.length ? 0 : head + 1;
            count--;
            for (Node n; (n = dequeue(SENDERS)) != null; ) {
                if (n.owner.tryClaim(n.index)) {
                    push(n.item);
                    toWake = n;
                    break;
                }
            }
            return e;
        }
        for (Node n; (n = dequeue(SENDERS)) != null; ) {
            if (n.owner.tryClaim(n.index)) {
                toWake = n;
                return n.item;
            }
        }
        return null;
    }

    /** The partner claimed by the last operation under the lock, if any; clears it. The caller holds the lock. */
    Node takeToWake() {
        Node n = toWake;
        toWake = null;
        return n;
    }

    private void push(Object item) {
        Object[] r = ring;
        if (count == r.length) {
            r = grow();
        }
        int tail = head + count;
        if (tail >= r.length) {
            tail -= r.length;
        }
        r[tail] = item;
        count++;
    }

    private Object[] grow() {
        Object[] old = ring;
        int size = (int) Math.min((long) capacity, Math.max(INITIAL_RING, 2L * old.length));
        if (size > Integer.MAX_VALUE - 8) {
            size = Integer.MAX_VALUE - 8;
        }
        if (size <= old.length) {
            throw new OutOfMemoryError("channel buffer cannot grow beyond " + old.length + " elements");
        }
        Object[] r = new Object[size];
        int firstPart = Math.min(count, old.length - head);
        System.arraycopy(old, head, r, 0, firstPart);
        System.arraycopy(old, 0, r, firstPart, count - firstPart);
        head = 0;
        ring = r;
        return r;
    }

    // ---- helpers ---------------------------------------------------------------------------

    /** How many times a waiter on this channel polls before it parks: {@link #SPINS} if rendezvous, else 0. */
    int spins() {
        return capacity == 0 ? SPINS : 0;
    }

    /** Takes the channel's lock (a {@link SpinLock}: the critical sections never block). */
    void acquire() {
        SpinLock.acquire(LOCK, this);
    }

    /** Releases the channel's lock. */
    void release() {
        SpinLock.release(LOCK, this);
    }

    /** Wakes {@code n}'s thread, if there is a node: a partner claimed under the lock, woken after it is released. */
    static void wake(Node n) {
        if (n != null) {
            n.owner.wakeIfParking();
        }
    }

    /** Unlinks the node of a waiter that gave up (unless a failed claim already did). */
    void abandon(boolean side, Node node) {
        acquire();
        try {
            remove(side, node);
        } finally {
            release();
        }
    }

    ChannelClosedException closedForSend() {
        return new ChannelClosedException("send to a closed " + describe(), failure);
    }

    /** For a receive on a closed, drained channel: {@link #CLOSED}, or throws the failure. The failure is read after state. */
    Object closedForReceive() {
        Throwable f = failure;
        if (f == null) {
            return CLOSED;
        }
        if (f instanceof Error e) {
            throw e;
        }
        throw new ChannelClosedException("receive from a failed " + describe() + ": " + f, f);
    }

    private String describe() {
        return capacity == 0 ? "rendezvous channel" : capacity == UNBOUNDED ? "unbounded channel" : "channel of capacity " + capacity;
    }
}
