package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.CancelledException;
import dev.weft.Scope;
import dev.weft.time.Sleep;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

/**
 * Proves {@code Sleep}, "Memory consistency effects": <em>"actions in a thread prior to
 * cancelling a context happen-before a sleep in that context throws the resulting
 * {@code CancelledException}"</em>, and that the cancellation wakes a sleeping scope owner
 * without an interrupt, whether it comes before the sleep starts or while it sleeps.
 *
 * <p>The owner opens a scope, publishes it and sleeps for a day on the system clock. The canceller
 * writes a plain field and cancels the scope. The owner reads the field after the sleep throws.
 */
@JCStressTest
@Outcome(id = "cancelled, x=1", expect = ACCEPTABLE, desc = "the sleep threw and saw the write made before the cancel")
@Outcome(expect = FORBIDDEN, desc = "the sleep missed a write made before the cancel, returned, or the owner was interrupted")
@State
public class SleepWokenByCancelSeesPriorWrites {
    volatile Scope published;
    int written;

    @Actor
    public void owner(L_Result r) {
        r.r1 = OwnerCall.inScope(scope -> published = scope, () -> {
            Sleep.sleep(Duration.ofDays(1));
            return "slept";
        }, () -> "cancelled, x=" + written);
    }

    @Actor
    public void canceller() {
        Scope scope = Spin.until(() -> published);
        written = 1;
        scope.cancel();
    }
}
