package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.chan.Channel;
import dev.weft.chan.Select;
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
 * Proves {@code Ticker.channel()}: <em>"after {@code stop()} [...] no receive or select that starts
 * gets a stale tick from it"</em>, and that a tick is taken exactly once, when the tick is handed to
 * a {@link Select} that waits on the ticker's channel while {@code stop()} races the fire.
 *
 * <p>A ticker of period 1 s on a {@link ManualTime}. The selector waits in a select on the ticker's
 * channel and on {@code done}. The other actor advances the clock by 1 s (the tick fires: it goes
 * to the select if the select already waits, else into the slot), stops the ticker, then selects
 * on the ticker's channel with a default (it must find nothing), and only then sends on
 * {@code done}. So the selector gets the tick only if the tick was handed to it before the stop;
 * a tick buffered before the select started is discarded by the stop, and the selector ends on
 * {@code done}. Outcome: {@code selector=<clause> afterStop=<clause> done=<left in done> pending=<n>}.
 */
@JCStressTest
@Outcome(id = "selector=tick afterStop=none done=1 pending=0", expect = ACCEPTABLE,
        desc = "the tick fired while the select waited, and was handed to it before the stop")
@Outcome(id = "selector=done afterStop=none done=0 pending=0", expect = ACCEPTABLE,
        desc = "the select started after the fire; the stop discarded the buffered tick")
@Outcome(expect = FORBIDDEN, desc = "a tick was seen after stop returned, taken twice, or lost with a timer left scheduled")
@State
public class TickerStopRacingSelect {
    final ManualTime time = new ManualTime();
    final Ticker ticker = Ticker.every(Duration.ofSeconds(1), time);
    final Channel<String> done = Channel.buffered(1);
    String selector;
    String afterStop;

    @Actor
    public void selector() {
        try {
            selector = Select.select(ticker.channel().onReceive(t -> "tick"), done.onReceive(d -> "done"));
        } catch (Throwable t) {
            selector = "unexpected " + Outcomes.name(t);
        }
    }

    @Actor
    public void advanceThenStop() {
        time.advance(Duration.ofSeconds(1));
        ticker.stop();
        try {
            afterStop = Select.select(ticker.channel().onReceive(t -> "tick"), Select.orDefault(() -> "none"));
        } catch (Throwable t) {
            afterStop = "unexpected " + Outcomes.name(t);
        }
        done.trySend("done");
    }

    @Arbiter
    public void arbiter(L_Result r) {
        r.r1 = "selector=" + selector + " afterStop=" + afterStop + " done=" + done.size() + " pending=" + time.pending();
    }
}
