package dev.weft.chan;

import java.util.function.Supplier;

/**
 * The sending side of a {@link Channel}: Go's {@code chan<- T}. A consumer that should only feed a
 * channel gets this view ({@link Channel#sendOnly()}), which cannot be cast back to the channel.
 *
 * <p>Elements are never null. Blocking calls wait in the caller's
 * {@link dev.weft.Context#current() context}: its cancellation or deadline wakes them, without an
 * interrupt, and they throw {@link dev.weft.CancelledException} or
 * {@link dev.weft.DeadlineExceededException}. See {@link Channel} for the full contract.
 *
 * @param <T> the element type
 */
public sealed interface SendChannel<T> permits Channel, Views.SendOnly {

    /**
     * Sends {@code value}, waiting while the channel is full (or, for a rendezvous channel, until a
     * receiver takes it). When {@code send} returns, the element is in the channel (buffered or
     * handed to a receiver) exactly once; when it throws, the element was not sent.
     *
     * @throws NullPointerException if {@code value} is null
     * @throws ChannelClosedException if the channel is closed, before or while waiting (its cause
     *     is the failure of a {@link #fail failed} channel)
     * @throws dev.weft.CancelledException if the current context is or becomes cancelled first
     * @throws dev.weft.DeadlineExceededException if the current context's deadline passes first
     * @throws InterruptedException if the thread is interrupted before or while waiting (and the
     *     context is not cancelled)
     */
    void send(T value) throws InterruptedException;

    /**
     * Sends {@code value} if that needs no waiting: there is room in the buffer, or a receiver is
     * waiting. Never blocks and does not look at the context.
     *
     * @return true if sent; false if the channel is full (a rendezvous channel: no receiver waits)
     * @throws NullPointerException if {@code value} is null
     * @throws ChannelClosedException if the channel is closed
     */
    boolean trySend(T value);

    /**
     * Closes the channel: Go's {@code close(ch)}, "no more values". Receivers first drain what is
     * buffered, then see the channel closed. Senders blocked on a full channel, and sends made
     * afterwards, throw {@link ChannelClosedException}: their elements are not sent. A second
     * {@code close} (or a {@code close} after {@link #fail}) does nothing.
     */
    void close();

    /**
     * Closes the channel with an error: like {@link #close()}, but receivers that have drained the
     * buffer get {@code cause} (see {@link Channel}) instead of a plain end, so that a producer's
     * failure reaches its consumers.
     *
     * @return true if this call closed the channel; false if it was already closed, in which case
     *     {@code cause} is not recorded and stays the caller's to report
     * @throws NullPointerException if {@code cause} is null
     */
    boolean fail(Throwable cause);

    /** True once {@link #close} or {@link #fail} has been called. */
    boolean isClosedForSend();

    /** The capacity (Go's {@code cap(ch)}): 0 for a rendezvous channel, {@link Integer#MAX_VALUE} for an unbounded one. */
    int capacity();

    /** How many elements are buffered right now (Go's {@code len(ch)}); a snapshot. */
    int size();

    /**
     * How many sends are waiting for room or for a receiver right now: blocked {@code send} calls
     * and select send clauses. A snapshot for monitoring (how many producers are held back) and
     * for tests; a waiter whose element was taken no longer counts once the hand-off is done.
     */
    int waitingSenders();

    /**
     * A {@link Select} clause that sends {@code value} to this channel, then runs {@code fn} in the
     * selecting thread and makes its result the select's result. If the clause loses, nothing is
     * sent. A select that picks this clause on a closed channel throws
     * {@link ChannelClosedException} (Go panics). The clause can be reused across selects.
     *
     * @throws NullPointerException if {@code value} or {@code fn} is null
     */
    <R> Select.Clause<R> onSend(T value, Supplier<? extends R> fn);
}
