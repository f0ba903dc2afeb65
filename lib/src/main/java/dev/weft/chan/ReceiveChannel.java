package dev.weft.chan;

import java.util.Iterator;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The receiving side of a {@link Channel}: Go's {@code <-chan T}. A producer hands this view out
 * ({@link Channel#receiveOnly()}), which cannot be cast back to the channel, so its consumers can
 * neither send nor close.
 *
 * <p>Blocking calls wait in the caller's {@link dev.weft.Context#current() context}: its
 * cancellation or deadline wakes them, without an interrupt, and they throw
 * {@link dev.weft.CancelledException} or {@link dev.weft.DeadlineExceededException}. See
 * {@link Channel} for the full contract.
 *
 * @param <T> the element type
 */
public sealed interface ReceiveChannel<T> extends Iterable<T> permits Channel, Views.ReceiveOnly {

    /**
     * Receives the next element, waiting until there is one.
     *
     * @throws ChannelClosedException if the channel is closed and drained (Go's {@code ok == false});
     *     for a {@link SendChannel#fail failed} channel its cause is the failure, and a failure
     *     that is an {@link Error} is thrown as itself
     * @throws dev.weft.CancelledException if the current context is or becomes cancelled first
     * @throws dev.weft.DeadlineExceededException if the current context's deadline passes first
     * @throws InterruptedException if the thread is interrupted before or while waiting (and the
     *     context is not cancelled)
     */
    T receive() throws InterruptedException;

    /**
     * Receives an element if one is available without waiting (buffered, or offered by a waiting
     * sender). Never blocks and does not look at the context.
     *
     * @return the element, or empty if none is available now
     * @throws ChannelClosedException if the channel is closed and drained, as for {@link #receive()}
     */
    Optional<T> tryReceive();

    /**
     * True once the channel is closed and every element sent before the close has been received:
     * {@link #receive()} would throw {@link ChannelClosedException}. Once true, it stays true.
     */
    boolean isClosedForReceive();

    /** How many elements are buffered right now (Go's {@code len(ch)}); a snapshot. */
    int size();

    /** The capacity (Go's {@code cap(ch)}): 0 for a rendezvous channel, {@link Integer#MAX_VALUE} for an unbounded one. */
    int capacity();

    /**
     * How many receives are waiting for an element right now: blocked {@code receive} calls,
     * iterations and select receive clauses (a select waiting on several clauses of this channel
     * counts once per clause). A snapshot for monitoring (how many workers of a pool are idle) and
     * for tests, like {@link java.util.concurrent.LinkedTransferQueue#getWaitingConsumerCount()};
     * a waiter handed an element no longer counts once the hand-off is done.
     */
    int waitingReceivers();

    /**
     * Go's {@code for v := range ch}: an iterator that receives until the channel is closed and
     * drained, then ends. On a failed channel it throws what {@link #receive()} throws, after the
     * buffered elements. {@code hasNext()} blocks; it is woken by the context's cancellation
     * ({@link dev.weft.CancelledException}). An interrupt while it waits sets the interrupt flag
     * again and throws a {@link dev.weft.CancelledException} whose cause is the
     * {@link InterruptedException} (an {@code Iterator} cannot throw checked exceptions).
     * {@code remove} is not supported.
     */
    @Override
    Iterator<T> iterator();

    /**
     * A sequential, ordered stream of the elements received until the channel is closed and
     * drained, with the same blocking and failure behaviour as {@link #iterator()}. Every element
     * the stream pulls is taken from the channel, also by short-circuiting operations such as
     * {@code findFirst}, which pull only what they need.
     */
    Stream<T> stream();

    /**
     * A {@link Select} clause that receives an element, then runs {@code fn} with it in the
     * selecting thread and makes its result the select's result. If the clause loses, no element
     * is taken. A closed and drained channel makes the clause ready, as in Go; a select that picks
     * it throws what {@link #receive()} throws. The clause can be reused across selects.
     *
     * @throws NullPointerException if {@code fn} is null
     */
    <R> Select.Clause<R> onReceive(Function<? super T, ? extends R> fn);

    /**
     * Like {@link #onReceive}, but a select that picks the clause on a closed and drained channel
     * returns {@code ifClosed.get()}: Go's {@code case v, ok := <-ch} with {@code ok == false}. A
     * {@link SendChannel#fail failed} channel still throws its failure, so it cannot be mistaken for
     * a normal end.
     *
     * @throws NullPointerException if {@code fn} or {@code ifClosed} is null
     */
    <R> Select.Clause<R> onReceiveOrClosed(Function<? super T, ? extends R> fn, Supplier<? extends R> ifClosed);
}
