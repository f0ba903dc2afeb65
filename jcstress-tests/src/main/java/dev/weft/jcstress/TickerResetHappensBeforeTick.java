package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.time.ManualTime;
import dev.weft.time.Ticker;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Proves {@code Ticker}, "Memory consistency effects": <em>"actions in a thread prior to
 * {@code every} or {@code reset} happen-before a {@code receive()} or {@code tryReceive()} in
 * another thread returns a tick of the schedule that call started"</em>.
 *
 * <p>The ticker is created stopped (so publishing it orders nothing that matters). One actor raises
 * a volatile "ready" flag first, then writes a plain field and resets the ticker to 1 s. The other
 * waits for the flag, advances the clock by 1 s and tries to receive: if the reset came before the
 * advance, the tick fired there and the receiver must see the write. If the advance ran first, the
 * tick is due at 2 s and nothing is received. r1 = got a tick, r2 = the field as seen after it (or
 * -1).
 */
@JCStressTest
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the receiver got a tick of the new schedule and saw the write made before reset")
@Outcome(id = "0, -1", expect = ACCEPTABLE, desc = "the advance came before the reset: no tick was due yet")
@Outcome(expect = FORBIDDEN, desc = "the receiver got a tick of the new schedule but missed a write made before reset")
@State
public class TickerResetHappensBeforeTick {
    final ManualTime time = new ManualTime();
    final Ticker ticker = Ticker.every(Duration.ofHours(1), time);
    volatile boolean ready;
    int written;

    public TickerResetHappensBeforeTick() {
        ticker.stop();
    }

    @Actor
    public void resetter() {
        ready = true;
        written = 1;
        ticker.reset(Duration.ofSeconds(1));
    }

    @Actor
    public void receiver(II_Result r) {
        Spin.until(() -> ready);
        time.advance(Duration.ofSeconds(1));
        Optional<Instant> tick = ticker.tryReceive();
        r.r1 = Outcomes.bit(tick.isPresent());
        r.r2 = tick.isPresent() ? written : -1;
        ticker.stop();
    }
}
