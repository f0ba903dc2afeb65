package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.chan.Channel;
import dev.weft.chan.Select;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * Proves {@code Select}'s <em>"Exactly one clause fires"</em> and "every element received exactly
 * once" when two selects meet on a rendezvous channel, each offering to send its own value and to
 * receive: one select sends, the other receives that value, and neither select ever meets itself
 * (its own send and receive clauses on the same channel), nor do both send or both receive.
 *
 * <p>r1, r2 = what each select did ("sent", or "got" and the value), r3 = what is left waiting on
 * the channel at the end ("clean" if neither a sender nor a receiver).
 */
@JCStressTest
@Outcome(id = {"sent, got 1, clean", "got 2, sent, clean"}, expect = ACCEPTABLE,
        desc = "one select sent, the other received exactly that value")
@Outcome(expect = FORBIDDEN, desc = "both sent, both received, a select met itself, or a clause was left behind")
@State
public class ChannelSelectMeetsSelect {
    final Channel<Integer> channel = Channel.rendezvous();

    @Actor
    public void select1(LLL_Result r) {
        r.r1 = sendOrReceive(1);
    }

    @Actor
    public void select2(LLL_Result r) {
        r.r2 = sendOrReceive(2);
    }

    private String sendOrReceive(int v) {
        try {
            return Select.select(channel.onSend(v, () -> "sent"), channel.onReceive(x -> "got " + x));
        } catch (Throwable t) {
            return Outcomes.name(t);
        }
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        boolean receiverLeft = channel.trySend(0);
        boolean senderLeft = channel.tryReceive().isPresent();
        r.r3 = receiverLeft || senderLeft ? "left a waiter" : "clean";
    }
}
