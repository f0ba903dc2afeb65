package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.chan.Channel;
import dev.weft.chan.ChannelClosedException;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LL_Result;

/**
 * Proves {@code fail}: <em>"after draining, receivers get a {@code ChannelClosedException} caused
 * by the failure"</em>, for {@code fail} racing a receiver that receives twice from a channel
 * holding one element: the first receive always gets the element (the buffer is drained first,
 * even if the failure came before), and the second gets the failure itself as its cause (waiting
 * for it, if the failure came later), never a plain close or another cause.
 *
 * <p>r1, r2 = the two receives ("failed" = a {@code ChannelClosedException} caused by the failure).
 */
@JCStressTest
@Outcome(id = "3, failed", expect = ACCEPTABLE, desc = "the element first, then the failure")
@Outcome(expect = FORBIDDEN, desc = "the element lost, or a receive saw something other than the failure")
@State
public class ChannelFailRacingReceive {
    final Channel<Integer> channel = Channel.buffered(1);
    final IllegalStateException failure = new IllegalStateException("producer failed");

    public ChannelFailRacingReceive() {
        if (!channel.trySend(3)) {
            throw new AssertionError("a fresh channel of capacity 1 has room");
        }
    }

    @Actor
    public void failer() {
        channel.fail(failure);
    }

    @Actor
    public void receiver(LL_Result r) {
        r.r1 = receive();
        r.r2 = receive();
    }

    private String receive() {
        try {
            return String.valueOf(channel.receive());
        } catch (ChannelClosedException e) {
            return e.getCause() == failure ? "failed" : "closed, cause " + Outcomes.name(e.getCause());
        } catch (Throwable t) {
            return Outcomes.name(t);
        }
    }
}
