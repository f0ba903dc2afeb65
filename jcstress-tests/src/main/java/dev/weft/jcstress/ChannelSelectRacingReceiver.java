package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.chan.Channel;
import dev.weft.chan.Select;
import java.util.Optional;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * Proves {@code Select}: <em>"Exactly one clause fires. A clause that loses leaves nothing behind:
 * no element is taken from its channel"</em>, for a select racing a competing receiver for one
 * buffered element. The select receives from the element's channel or from a second channel
 * nobody feeds; the competitor takes the element if it is still there ({@code tryReceive}), then
 * closes the element's channel so that a select that lost the element (and waits on both channels)
 * returns. Exactly one of them gets the element, and the select leaves no receiver behind on the
 * idle channel.
 *
 * <p>r1 = the select's result, r2 = the competitor's, r3 = the idle channel at the end.
 */
@JCStressTest
@Outcome(id = {"9, none, clean", "closed, 9, clean"}, expect = ACCEPTABLE, desc = "exactly one of them got the element")
@Outcome(expect = FORBIDDEN, desc = "the element received twice or lost, or the select left a clause behind")
@State
public class ChannelSelectRacingReceiver {
    final Channel<Integer> channel = Channel.buffered(1);
    final Channel<Integer> idle = Channel.rendezvous();

    public ChannelSelectRacingReceiver() {
        if (!channel.trySend(9)) {
            throw new AssertionError("a fresh channel of capacity 1 has room");
        }
    }

    @Actor
    public void selecting(LLL_Result r) {
        try {
            r.r1 = Select.select(channel.onReceiveOrClosed(String::valueOf, () -> "closed"), idle.onReceive(v -> "idle"));
        } catch (Throwable t) {
            r.r1 = Outcomes.name(t);
        }
    }

    @Actor
    public void competing(LLL_Result r) {
        Optional<Integer> got = channel.tryReceive();
        channel.close();
        r.r2 = got.map(String::valueOf).orElse("none");
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        r.r3 = idle.trySend(0) ? "left a receiver" : "clean";
    }
}
