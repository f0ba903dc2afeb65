package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.chan.Channel;
import java.util.Optional;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Proves the same memory consistency effect for the non-blocking pair, {@code trySend} and
 * {@code tryReceive}, on a channel of capacity 1: a {@code tryReceive} that gets the element sees
 * every write made before the {@code trySend}.
 *
 * <p>r1 = 1 if {@code tryReceive} got the element (0 if it came too early), r2 = the plain field it
 * then read (-1 when it got nothing).
 */
@JCStressTest
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "got the element and sees the write made before trySend")
@Outcome(id = "0, -1", expect = ACCEPTABLE, desc = "tryReceive came before the trySend")
@Outcome(expect = FORBIDDEN, desc = "got the element but missed a write made before trySend")
@State
public class ChannelTrySendHappensBeforeTryReceive {
    final Channel<Integer> channel = Channel.buffered(1);
    int plain;

    @Actor
    public void sender() {
        plain = 1;
        if (!channel.trySend(1)) {
            throw new AssertionError("an empty channel of capacity 1 has room");
        }
    }

    @Actor
    public void receiver(II_Result r) {
        Optional<Integer> got = channel.tryReceive();
        r.r1 = got.isPresent() ? 1 : 0;
        r.r2 = got.isPresent() ? plain : -1;
    }
}
