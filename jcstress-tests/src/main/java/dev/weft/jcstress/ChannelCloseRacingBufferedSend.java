package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.chan.Channel;
import dev.weft.chan.ChannelClosedException;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LL_Result;

/**
 * Proves "receivers drain what is buffered, then see closed", "later sends, and senders waiting on
 * a full channel, throw" and "a send that throws has not sent it" for {@code close} racing two
 * sends on a channel of capacity 1: the first send is buffered unless the close came first; the
 * second finds the buffer full and waits until the close makes it throw. Nobody receives until the
 * arbiter drains the channel.
 *
 * <p>r1 = the sender's outcomes, r2 = what the arbiter drained before the channel reported closed.
 */
@JCStressTest
@Outcome(id = "sent closed, drained 1", expect = ACCEPTABLE, desc = "the first send got in before the close; the second waited and threw")
@Outcome(id = "closed, drained nothing", expect = ACCEPTABLE, desc = "the close came first: the first send threw")
@Outcome(expect = FORBIDDEN, desc = "a returned send's element missing, a failed send's element present, or both sends returned")
@State
public class ChannelCloseRacingBufferedSend {
    final Channel<Integer> channel = Channel.buffered(1);

    @Actor
    public void sender(LL_Result r) {
        String outcome = "";
        try {
            channel.send(1);
            outcome = "sent ";
            channel.send(2);
            outcome += "sent";
        } catch (ChannelClosedException e) {
            outcome += "closed";
        } catch (Throwable t) {
            outcome += Outcomes.name(t);
        }
        r.r1 = outcome;
    }

    @Actor
    public void closer() {
        channel.close();
    }

    @Arbiter
    public void arbiter(LL_Result r) {
        StringBuilder drained = new StringBuilder();
        for (Integer v : channel) {
            drained.append(' ').append(v);
        }
        r.r2 = drained.isEmpty() ? "drained nothing" : "drained" + drained;
    }
}
