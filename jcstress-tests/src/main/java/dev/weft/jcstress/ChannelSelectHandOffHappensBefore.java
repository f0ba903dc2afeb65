package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.chan.Channel;
import dev.weft.chan.Select;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Proves the memory consistency effect for a select's send clause and a select's receive clause
 * meeting on a rendezvous channel ({@code Select}: "those of the channel operation that fires";
 * the clause's function runs after it): whichever select waits is completed by the other, and the
 * receiving clause's function, and the code after the select, see every write made before the
 * sending select.
 *
 * <p>r1 = the plain field read inside the receive clause's function, r2 = the element's field read
 * after the select returned, r3 = 1 if something threw.
 */
@JCStressTest
@Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "the receiving select sees every write made before the sending one")
@Outcome(expect = FORBIDDEN, desc = "a write made before the sending select is missing")
@State
public class ChannelSelectHandOffHappensBefore {
    final Channel<Box> channel = Channel.rendezvous();
    final Channel<Box> idle = Channel.rendezvous();
    int plain;

    @Actor
    public void sender() {
        plain = 1;
        Box b = new Box();
        b.value = 1;
        try {
            Select.select(channel.onSend(b, () -> null), idle.onReceive(x -> null));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Actor
    public void receiver(III_Result r) {
        try {
            Box b = Select.select(channel.onReceive(x -> {
                r.r1 = plain;
                return x;
            }), idle.onReceive(x -> x));
            r.r2 = b.value;
        } catch (Throwable t) {
            r.r3 = 1;
        }
    }
}
