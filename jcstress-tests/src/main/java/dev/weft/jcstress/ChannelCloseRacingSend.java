package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.chan.Channel;
import dev.weft.chan.ChannelClosedException;
import java.util.Optional;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LL_Result;

/**
 * Proves, for {@code close} racing a waiting {@code send} on a rendezvous channel: <em>"A
 * {@code send} that returns has put its element in the channel, and exactly one receive gets it. A
 * {@code send} that throws has not sent it"</em>, and that a sender waiting at the close throws
 * {@code ChannelClosedException}. The element is either received or the send throws: never lost,
 * never duplicated.
 *
 * <p>The sender sends (it waits: nobody receives yet). The other actor takes the element if the
 * sender is already waiting ({@code tryReceive}), then closes. r1 = the sender's outcome, r2 = what
 * {@code tryReceive} got.
 */
@JCStressTest
@Outcome(id = "sent, 7", expect = ACCEPTABLE, desc = "the waiting sender was met before the close")
@Outcome(id = "closed, none", expect = ACCEPTABLE, desc = "the close came first, or found the sender waiting: the send threw")
@Outcome(expect = FORBIDDEN, desc = "a returned send's element lost, or a failed send's element received")
@State
public class ChannelCloseRacingSend {
    final Channel<Integer> channel = Channel.rendezvous();

    @Actor
    public void sender(LL_Result r) {
        try {
            channel.send(7);
            r.r1 = "sent";
        } catch (ChannelClosedException e) {
            r.r1 = "closed";
        } catch (Throwable t) {
            r.r1 = Outcomes.name(t);
        }
    }

    @Actor
    public void takerThenCloser(LL_Result r) {
        Optional<Integer> got = channel.tryReceive();
        channel.close();
        r.r2 = got.map(String::valueOf).orElse("none");
    }
}
