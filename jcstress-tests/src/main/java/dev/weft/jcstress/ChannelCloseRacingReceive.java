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
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * Proves "receivers drain what is buffered, then see closed" for {@code close} racing two
 * receives: the channel holds one element when the race starts. One actor receives; the other
 * closes and then receives. The element is received exactly once, whether the close comes before
 * or after the first receive; the other receive sees the channel closed (if it was waiting on the
 * empty channel, the close wakes it), never "closed" while the element is still buffered.
 *
 * <p>r1, r2 = what each receive got ("closed" for {@code ChannelClosedException}), r3 =
 * {@code isClosedForReceive()} at the end.
 */
@JCStressTest
@Outcome(id = {"5, closed, true", "closed, 5, true"}, expect = ACCEPTABLE, desc = "one receive drained the element, the other saw the close")
@Outcome(expect = FORBIDDEN, desc = "the element lost or duplicated, or the channel not closed for receive at the end")
@State
public class ChannelCloseRacingReceive {
    final Channel<Integer> channel = Channel.buffered(2);

    public ChannelCloseRacingReceive() {
        if (!channel.trySend(5)) {
            throw new AssertionError("a fresh channel of capacity 2 has room");
        }
    }

    @Actor
    public void receiver(LLL_Result r) {
        r.r1 = receive();
    }

    @Actor
    public void closerThenReceiver(LLL_Result r) {
        channel.close();
        r.r2 = receive();
    }

    private String receive() {
        try {
            return String.valueOf(channel.receive());
        } catch (ChannelClosedException e) {
            return "closed";
        } catch (Throwable t) {
            return Outcomes.name(t);
        }
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        r.r3 = String.valueOf(channel.isClosedForReceive());
    }
}
