package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.chan.Channel;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Proves {@code Channel}, "Memory consistency effects": <em>"actions in a thread prior to sending
 * an element (by {@code send}, ...) happen-before actions subsequent to the receipt of that
 * element (by {@code receive}, ...) in another thread"</em>, for the blocking pair on a channel
 * of capacity 1: the element goes through the buffer when the send comes first, and is handed to
 * the waiting receiver when the receive comes first.
 *
 * <p>The sender writes a plain field and an object with a plain field, then sends that object; the
 * receiver reads both after the receive. r1 = the plain field, r2 = the received object's field,
 * r3 = 1 if something threw.
 */
@JCStressTest
@Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "the receiver sees every write made before the send")
@Outcome(expect = FORBIDDEN, desc = "a write made before the send is missing after the receive")
@State
public class ChannelSendHappensBeforeReceive {
    final Channel<Box> channel = Channel.buffered(1);
    int plain;

    @Actor
    public void sender() {
        plain = 1;
        Box b = new Box();
        b.value = 1;
        try {
            channel.send(b);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Actor
    public void receiver(III_Result r) {
        try {
            Box b = channel.receive();
            r.r1 = plain;
            r.r2 = b.value;
        } catch (Throwable t) {
            r.r3 = 1;
        }
    }
}
