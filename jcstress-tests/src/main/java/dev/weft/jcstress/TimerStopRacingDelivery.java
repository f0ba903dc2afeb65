package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.time.ManualTime;
import dev.weft.time.Timer;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

/**
 * Proves, for {@code Timer.after} (Go 1.23's timer channel): {@code stop()} <em>"@return true if
 * this call stopped it: the value had not been received"</em> and <em>"After {@code stop} [...]
 * returns, a receive that starts never gets a value of the earlier arming"</em>, with
 * {@code stop()} racing the fire and a receive.
 *
 * <p>A timer 1 s ahead on a {@link ManualTime}. One actor stops it, then tries to receive; the
 * other advances the clock by 1 s (the fire) and then tries to receive. The arbiter tries once more.
 * Exactly one of "stop returned true" and "someone received the value" holds, and nobody receives
 * after the stop. Outcome: {@code stop=<result> afterStop=<got> advancer=<got> arbiter=<got>}.
 */
@JCStressTest
@Outcome(id = "stop=true afterStop=0 advancer=0 arbiter=0", expect = ACCEPTABLE,
        desc = "stop came first, or discarded the fired value before anyone received it")
@Outcome(id = "stop=false afterStop=0 advancer=1 arbiter=0", expect = ACCEPTABLE,
        desc = "the value fired and was received before the stop, which reported it")
@Outcome(expect = FORBIDDEN, desc = "stop's result disagrees with the delivery, or a value was received after stop")
@State
public class TimerStopRacingDelivery {
    final ManualTime time = new ManualTime();
    final Timer timer = Timer.after(Duration.ofSeconds(1), time);
    boolean stopped;
    int afterStop;
    int advancer;

    @Actor
    public void stopper() {
        stopped = timer.stop();
        afterStop = Outcomes.bit(timer.tryReceive().isPresent());
    }

    @Actor
    public void advancer() {
        time.advance(Duration.ofSeconds(1));
        advancer = Outcomes.bit(timer.tryReceive().isPresent());
    }

    @Arbiter
    public void arbiter(L_Result r) {
        int arbiter = Outcomes.bit(timer.tryReceive().isPresent());
        r.r1 = "stop=" + stopped + " afterStop=" + afterStop + " advancer=" + advancer + " arbiter=" + arbiter;
    }
}
