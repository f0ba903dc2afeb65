package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.time.ManualTime;
import dev.weft.time.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Proves {@code Timer}, "Memory consistency effects": <em>"actions in a thread prior to
 * {@code after}, {@code afterFunc} or {@code reset} happen-before [...] a {@code receive()} or
 * {@code tryReceive()} in another thread returns the value of that arming"</em>, for the value of
 * an {@code after} timer. ({@code TimerStopRacingFire} proves the same for the function of an
 * {@code afterFunc} timer.)
 *
 * <p>The timer is armed an hour ahead and stopped, so publishing it orders nothing that matters.
 * One actor raises a volatile "ready" flag first, then writes a plain field and resets the timer
 * to 1 s. The other waits for the flag, advances the clock by 1 s and tries to receive: if the
 * reset came before the advance, the value was delivered there and the receiver must see the
 * write. If the advance came first, the new arming is due at 2 s and nothing is received.
 * r1 = got the value, r2 = the field as seen after it (or -1).
 */
@JCStressTest
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the receiver got the value of the new arming and saw the write made before reset")
@Outcome(id = "0, -1", expect = ACCEPTABLE, desc = "the advance came before the reset: the new arming was not due yet")
@Outcome(expect = FORBIDDEN, desc = "the receiver got the value of the new arming but missed a write made before reset")
@State
public class TimerResetHappensBeforeReceive {
    final ManualTime time = new ManualTime();
    final Timer timer = Timer.after(Duration.ofHours(1), time);
    volatile boolean ready;
    int written;

    public TimerResetHappensBeforeReceive() {
        timer.stop();
    }

    @Actor
    public void resetter() {
        ready = true;
        written = 1;
        timer.reset(Duration.ofSeconds(1));
    }

    @Actor
    public void receiver(II_Result r) {
        Spin.until(() -> ready);
        time.advance(Duration.ofSeconds(1));
        Optional<Instant> value = timer.tryReceive();
        r.r1 = Outcomes.bit(value.isPresent());
        r.r2 = value.isPresent() ? written : -1;
        timer.stop();
    }
}
