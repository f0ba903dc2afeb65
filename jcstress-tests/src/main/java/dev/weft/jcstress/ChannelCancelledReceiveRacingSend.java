package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.Scope;
import dev.weft.chan.Channel;
import dev.weft.chan.Select;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LL_Result;

/**
 * The receiving half of {@link ChannelCancelledSendRacingReceive}: proves, for a {@code receive}
 * (and a select's receive clause) cancelled by its context at the moment a sender hands it an
 * element, {@code Channel}'s <em>"A call that gives up has done nothing. A call whose partner
 * completed it at the same moment [...] returns normally: the operation happened exactly
 * once"</em>, and {@code Select}'s <em>"A select that may wait behaves like every blocking call of
 * a {@code Channel}"</em>. An element that {@code trySend} reports as sent is received; one it
 * reports as not sent is not; the cancellation wakes the scope's owner without an interrupt.
 *
 * <p>Two tests. The receiver opens a scope, publishes it and waits on an empty rendezvous channel:
 * by {@code receive()} ({@link Receive}), or by a select over that channel and a second one that
 * never gets anything ({@link SelectReceive}). The other actor cancels the scope and at once
 * offers an element with {@code trySend}, which succeeds only if it can claim the waiting
 * receiver: its claim races the woken receiver's give-up. r1 = the receiver's outcome, r2 = what
 * {@code trySend} returned.
 */
public final class ChannelCancelledReceiveRacingSend {
    private ChannelCancelledReceiveRacingSend() {}

    /** A {@code receive()} on a rendezvous channel, cancelled as {@code trySend} offers it an element. */
    @JCStressTest
    @Outcome(id = "received 4, true", expect = ACCEPTABLE, desc = "the sender claimed the receiver first: it returns the element")
    @Outcome(id = "cancelled, false", expect = ACCEPTABLE, desc = "the cancellation won: nothing received, nothing sent")
    @Outcome(expect = FORBIDDEN, desc = "a sent element lost, an element received that was not sent, or the owner interrupted")
    @State
    public static class Receive {
        final Channel<Integer> channel = Channel.rendezvous();
        volatile Scope published;

        @Actor
        public void receiver(LL_Result r) {
            r.r1 = OwnerCall.inScope(scope -> published = scope, () -> "received " + channel.receive());
        }

        @Actor
        public void cancellerThenSender(LL_Result r) {
            Spin.until(() -> published).cancel();
            r.r2 = channel.trySend(4);
        }
    }

    /** A select over two rendezvous channels, cancelled as {@code trySend} offers an element to one of them. */
    @JCStressTest
    @Outcome(id = "received 4, true", expect = ACCEPTABLE, desc = "the sender claimed the select first: its clause fired")
    @Outcome(id = "cancelled, false", expect = ACCEPTABLE, desc = "the cancellation won: no clause fired, nothing sent")
    @Outcome(expect = FORBIDDEN, desc = "a sent element lost, a clause fired without an element, or the owner interrupted")
    @State
    public static class SelectReceive {
        final Channel<Integer> channel = Channel.rendezvous();
        final Channel<Integer> silent = Channel.rendezvous();
        volatile Scope published;

        @Actor
        public void selector(LL_Result r) {
            r.r1 = OwnerCall.inScope(scope -> published = scope, () -> Select.select(
                    channel.onReceive(v -> "received " + v),
                    silent.onReceive(v -> "received " + v + " from the silent channel")));
        }

        @Actor
        public void cancellerThenSender(LL_Result r) {
            Spin.until(() -> published).cancel();
            r.r2 = channel.trySend(4);
        }
    }
}
