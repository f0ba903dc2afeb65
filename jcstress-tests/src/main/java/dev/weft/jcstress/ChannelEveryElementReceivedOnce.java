package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.chan.Channel;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Proves {@code Channel}'s "Exactly once": <em>"A {@code send} that returns has put its element in
 * the channel, and exactly one receive gets it"</em>, for two threads that send and receive
 * concurrently on a channel of capacity 2, with three elements, so that every path races: a send
 * into the buffer, a send that waits because the buffer is full and is moved into it by a receive,
 * a receive that empties the buffer.
 *
 * <p>Actor 1 sends 1 and 3, then receives once; actor 2 sends 2, then receives twice. r1 = 1 if the
 * three receives got exactly 1, 2 and 3 and nothing is left in the channel (0 otherwise, or if an
 * operation threw); r2 = the element actor 1 received.
 */
@JCStressTest
@Outcome(id = {"1, 1", "1, 2", "1, 3"}, expect = ACCEPTABLE, desc = "each element received exactly once")
@Outcome(expect = FORBIDDEN, desc = "an element lost, duplicated, left behind, or an operation threw")
@State
public class ChannelEveryElementReceivedOnce {
    final Channel<Integer> channel = Channel.buffered(2);
    volatile boolean threw;
    int first;
    int second;
    int third;

    @Actor
    public void actor1() {
        try {
            channel.send(1);
            channel.send(3);
            first = channel.receive();
        } catch (Throwable t) {
            threw = true;
        }
    }

    @Actor
    public void actor2() {
        try {
            channel.send(2);
            second = channel.receive();
            third = channel.receive();
        } catch (Throwable t) {
            threw = true;
        }
    }

    @Arbiter
    public void arbiter(II_Result r) {
        boolean exactlyOnce = !threw && channel.size() == 0 && first + second + third == 6
                && first * second * third == 6 && first != second;
        r.r1 = exactlyOnce ? 1 : 0;
        r.r2 = first;
    }
}
