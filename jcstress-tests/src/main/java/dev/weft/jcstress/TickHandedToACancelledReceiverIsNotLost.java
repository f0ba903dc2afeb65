package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.Scope;
import dev.weft.time.ManualTime;
import dev.weft.time.Timer;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LI_Result;

/**
 * Proves the rule of the tick slot behind {@code Ticker} and {@code Timer.after} (ADR 0014,
 * decision 7): <em>"A tick handed to a receiver is its own from that moment: if its context is
 * cancelled [...] at the same time, {@code receive()} still returns the tick"</em>, so a tick is
 * neither lost nor received twice, and that the cancellation wakes the scope's owner without an
 * interrupt.
 *
 * <p>A timer 1 s ahead on a {@link ManualTime}. The owner opens a scope, publishes it and blocks
 * in {@code receive()}; the other actor cancels the scope and then advances the clock (the fire
 * hands the value to the owner if it still waits, or fills the slot), so the cancellation's
 * wake-up and the hand-over race inside the receiver. The arbiter
 * then looks in the slot. The value is received exactly once: by the owner, or left in the slot.
 * r1 = the owner's outcome, r2 = a value left in the slot (1) or not (0).
 */
@JCStressTest
@Outcome(id = "received, 0", expect = ACCEPTABLE, desc = "the value reached the owner before, or as, the cancellation did")
@Outcome(id = "cancelled, 1", expect = ACCEPTABLE, desc = "the cancellation came first; the value was left in the slot")
@Outcome(expect = FORBIDDEN, desc = "the value was lost or delivered twice, the owner was interrupted, or it never woke")
@State
public class TickHandedToACancelledReceiverIsNotLost {
    final ManualTime time = new ManualTime();
    final Timer timer = Timer.after(Duration.ofSeconds(1), time);
    volatile Scope published;

    @Actor
    public void owner(LI_Result r) {
        r.r1 = OwnerCall.inScope(scope -> published = scope, () -> {
            timer.receive();
            return "received";
        });
    }

    @Actor
    public void cancelThenFire() {
        Spin.until(() -> published).cancel();
        time.advance(Duration.ofSeconds(1));
    }

    @Arbiter
    public void arbiter(LI_Result r) {
        r.r2 = Outcomes.bit(timer.tryReceive().isPresent());
    }
}
