package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.chan.Channel;
import dev.weft.chan.ChannelClosedException;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Proves {@code Channel}, "Memory consistency effects": <em>"Actions in a thread prior to
 * {@code close()} or {@code fail(Throwable)} happen-before another thread observes the channel
 * closed: a receive, {@code tryReceive} or send that throws {@code ChannelClosedException}, an
 * iteration that ends, or {@code isClosedForSend()}/{@code isClosedForReceive()} returning
 * true"</em>.
 *
 * <p>The closer writes a plain field and closes an empty channel. The observer looks three ways, in
 * order: {@code isClosedForSend()} (r1 = the field if true, -1 if not yet), {@code trySend} (r2 =
 * the field if it threw, -1 if it sent), then a for-each that ends only at the close (r3 = the
 * field after it ended; the observer drains what its trySend put in).
 */
@JCStressTest
@Outcome(id = {"1, 1, 1", "-1, 1, 1", "-1, -1, 1"}, expect = ACCEPTABLE,
        desc = "every observation of the close sees the write made before it")
@Outcome(expect = FORBIDDEN, desc = "the channel was seen closed but a write made before close() was missing")
@State
public class ChannelCloseHappensBeforeClosed {
    final Channel<Integer> channel = Channel.buffered(1);
    int plain;

    @Actor
    public void closer() {
        plain = 1;
        channel.close();
    }

    @Actor
    public void observer(III_Result r) {
        r.r1 = channel.isClosedForSend() ? plain : -1;
        try {
            channel.trySend(0);
            r.r2 = -1;
        } catch (ChannelClosedException e) {
            r.r2 = plain;
        }
        for (Integer ignored : channel) {
            // drains the element trySend may have put in; ends when the close is seen
        }
        r.r3 = plain;
    }
}
