package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.chan.Channel;
import dev.weft.chan.ChannelClosedException;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * Proves the blocking half of {@code Channel}'s close sentence ({@link ChannelCloseHappensBeforeClosed}
 * and {@link ChannelCloseHappensBeforeClosedForReceive} cover the calls that never wait):
 * <em>"Actions in a thread prior to {@code close()} [...] happen-before another thread observes
 * the channel closed: a receive [...] or send that throws {@code ChannelClosedException}"</em>,
 * when that receive or send was already waiting, or starts waiting, as the close comes.
 *
 * <p>Two tests, one per direction. The closer writes a plain field, then closes the channel: an
 * empty rendezvous channel that {@link Receive}'s other actor waits to receive from, or a full
 * {@code buffered(1)} channel that {@link Send}'s other actor waits to send to. Whether the call
 * starts before the close (and is woken by it) or after it (and throws at once), it must throw
 * and see the write. r1 = the field as seen after the call threw (-1 if it completed, which
 * cannot happen; -2 if it was interrupted).
 */
public class ChannelCloseHappensBeforeBlockedCallsThrow {
    private ChannelCloseHappensBeforeBlockedCallsThrow() {}

    /** A {@code receive()} on an empty rendezvous channel, racing its {@code close()}. */
    @JCStressTest
    @Outcome(id = "1", expect = ACCEPTABLE, desc = "receive threw ChannelClosedException and saw the write made before close()")
    @Outcome(expect = FORBIDDEN, desc = "receive returned, or missed a write made before close()")
    @State
    public static class Receive {
        final Channel<Integer> channel = Channel.rendezvous();
        int plain;

        @Actor
        public void closer() {
            plain = 1;
            channel.close();
        }

        @Actor
        public void receiver(I_Result r) {
            try {
                channel.receive();
                r.r1 = -1;
            } catch (ChannelClosedException e) {
                r.r1 = plain;
            } catch (InterruptedException e) {
                r.r1 = -2;
            }
        }
    }

    /** A {@code send} on a full {@code buffered(1)} channel, racing its {@code close()}. */
    @JCStressTest
    @Outcome(id = "1", expect = ACCEPTABLE, desc = "send threw ChannelClosedException and saw the write made before close()")
    @Outcome(expect = FORBIDDEN, desc = "send completed, or missed a write made before close()")
    @State
    public static class Send {
        final Channel<Integer> channel = Channel.buffered(1);
        int plain;

        public Send() {
            channel.trySend(0);
        }

        @Actor
        public void closer() {
            plain = 1;
            channel.close();
        }

        @Actor
        public void sender(I_Result r) {
            try {
                channel.send(1);
                r.r1 = -1;
            } catch (ChannelClosedException e) {
                r.r1 = plain;
            } catch (InterruptedException e) {
                r.r1 = -2;
            }
        }
    }
}
