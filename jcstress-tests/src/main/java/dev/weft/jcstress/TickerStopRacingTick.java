package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.time.ManualTime;
import dev.weft.time.Ticker;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

/**
 * Proves {@code Ticker}: <em>"After {@code stop()} [...] returns, a receive that starts never gets a
 * tick scheduled before that call [...] A stopped ticker schedules nothing"</em>, with
 * {@code stop()} racing the tick (the {@code advance} that makes it due).
 *
 * <p>A ticker of period 1 s on a {@link ManualTime}. One actor stops it and then tries to receive;
 * the other advances the clock by 1 s (the tick fires there, unless the stop came first) and then
 * tries to receive: it may get the tick only if its receive came before the stop. The arbiter tries
 * once more and reads {@code pending()}. Outcome: {@code afterStop=<got> advancer=<got>
 * arbiter=<got> pending=<n>}.
 */
@JCStressTest
@Outcome(id = "afterStop=0 advancer=0 arbiter=0 pending=0", expect = ACCEPTABLE,
        desc = "the stop came first, or it discarded the tick before anyone received it")
@Outcome(id = "afterStop=0 advancer=1 arbiter=0 pending=0", expect = ACCEPTABLE,
        desc = "the tick fired and was received before the stop")
@Outcome(expect = FORBIDDEN, desc = "a tick was received after stop returned, or the stopped ticker left a timer scheduled")
@State
public class TickerStopRacingTick {
    final ManualTime time = new ManualTime();
    final Ticker ticker = Ticker.every(Duration.ofSeconds(1), time);
    int afterStop;
    int advancer;

    @Actor
    public void stopper() {
        ticker.stop();
        afterStop = Outcomes.bit(ticker.tryReceive().isPresent());
    }

    @Actor
    public void advancer() {
        time.advance(Duration.ofSeconds(1));
        advancer = Outcomes.bit(ticker.tryReceive().isPresent());
    }

    @Arbiter
    public void arbiter(L_Result r) {
        int arbiter = Outcomes.bit(ticker.tryReceive().isPresent());
        r.r1 = "afterStop=" + afterStop + " advancer=" + advancer + " arbiter=" + arbiter + " pending=" + time.pending();
    }
}
