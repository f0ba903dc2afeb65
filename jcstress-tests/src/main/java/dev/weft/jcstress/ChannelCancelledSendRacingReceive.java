package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.Scope;
import dev.weft.chan.Channel;
import java.util.Optional;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LL_Result;

/**
 * Proves, for a {@code send} cancelled by its context at the moment a receiver takes its element:
 * <em>"A call that gives up has done nothing. A call whose partner completed it at the same moment
 * (a receiver took the element of a send that was being cancelled) returns normally: the operation
 * happened exactly once"</em>, and that the cancellation wakes the scope's owner without an
 * interrupt.
 *
 * <p>The sender opens a scope, publishes it and sends on a rendezvous channel (so it waits). The
 * other actor cancels the scope and at once tries to take the element: its claim races the woken
 * sender's give-up. r1 = the sender's outcome, r2 = what {@code tryReceive} got.
 */
@JCStressTest
@Outcome(id = "sent, 4", expect = ACCEPTABLE, desc = "the receiver took the element first: the send counts as sent")
@Outcome(id = "cancelled, none", expect = ACCEPTABLE, desc = "the cancellation won: nothing sent, nothing received")
@Outcome(expect = FORBIDDEN, desc = "an element received from a failed send, a sent element lost, or the owner interrupted")
@State
public class ChannelCancelledSendRacingReceive {
    final Channel<Integer> channel = Channel.rendezvous();
    volatile Scope published;

    @Actor
    public void sender(LL_Result r) {
        r.r1 = OwnerCall.inScope(scope -> published = scope, () -> {
            channel.send(4);
            return "sent";
        });
    }

    @Actor
    public void cancellerThenReceiver(LL_Result r) {
        Spin.until(() -> published).cancel();
        Optional<Integer> got = channel.tryReceive();
        r.r2 = got.map(String::valueOf).orElse("none");
    }
}
