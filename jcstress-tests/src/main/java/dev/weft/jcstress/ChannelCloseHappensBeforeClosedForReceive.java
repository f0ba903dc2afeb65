package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.chan.Channel;
import dev.weft.chan.ChannelClosedException;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Proves the rest of {@code Channel}'s close sentence ({@link ChannelCloseHappensBeforeClosed}
 * covers {@code isClosedForSend}, a throwing {@code trySend} and the end of an iteration): actions
 * prior to {@code close()} happen-before another thread's {@code isClosedForReceive()} returns
 * true, and before its {@code tryReceive()} throws {@code ChannelClosedException}, on an empty
 * channel, without any other synchronization between the two.
 *
 * <p>r1 = the plain field if {@code isClosedForReceive()} was true, -1 if not yet; r2 = the field
 * if {@code tryReceive()} then threw, -1 if it returned empty.
 */
@JCStressTest
@Outcome(id = {"1, 1", "-1, 1", "-1, -1"}, expect = ACCEPTABLE, desc = "every observation of the close sees the write made before it")
@Outcome(expect = FORBIDDEN, desc = "the channel was seen closed but a write made before close() was missing")
@State
public class ChannelCloseHappensBeforeClosedForReceive {
    final Channel<Integer> channel = Channel.buffered(1);
    int plain;

    @Actor
    public void closer() {
        plain = 1;
        channel.close();
    }

    @Actor
    public void observer(II_Result r) {
        r.r1 = channel.isClosedForReceive() ? plain : -1;
        try {
            channel.tryReceive();
            r.r2 = -1;
        } catch (ChannelClosedException e) {
            r.r2 = plain;
        }
    }
}
