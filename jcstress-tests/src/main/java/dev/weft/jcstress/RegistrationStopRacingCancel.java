package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.Context;
import dev.weft.Scope;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

/**
 * Proves {@code Context.Registration.stop()}: <em>"@return true if this call prevented the
 * callback; false if it has already been started or was already stopped"</em>, with {@code stop}
 * racing the cancellation: exactly one of {stop returned true, the callback ran}, never both,
 * never neither.
 *
 * <p>The owner registers a callback, publishes the scope, calls {@code stop()} and closes the
 * scope; another actor cancels the scope. If stop returned false the callback must run: the
 * arbiter waits for it (at most 10 s). If stop returned true the callback must never run: the
 * arbiter checks it has not, and because a callback runs on its own thread and could run after the
 * arbiter looked, a callback that finds its registration stopped also counts itself in a static
 * counter; any such late run turns every later outcome of the run FORBIDDEN.
 *
 * <p>Outcome: {@code stop=<true|false> runs=<count>}, plus {@code LATE-RUNS=n} if a callback ever
 * ran after its stop() returned true.
 */
@JCStressTest
@Outcome(id = "stop=true runs=0", expect = ACCEPTABLE, desc = "stop came first and prevented the callback")
@Outcome(id = "stop=false runs=1", expect = ACCEPTABLE, desc = "the cancellation came first and the callback ran, once")
@Outcome(expect = FORBIDDEN, desc = "both (stop true and the callback ran), neither (stop false and no run within 10 s), "
        + "or the callback ran twice")
@State
public class RegistrationStopRacingCancel {
    private static final AtomicLong LATE_RUNS = new AtomicLong();

    volatile Scope published;
    volatile boolean stopReturnedTrue;
    boolean stopped;
    final AtomicInteger runs = new AtomicInteger();
    final CountDownLatch ran = new CountDownLatch(1);

    @Actor
    public void owner() {
        try (Scope scope = Scope.open()) {
            Context.Registration registration = scope.context().onCancel(() -> {
                if (stopReturnedTrue) {
                    LATE_RUNS.incrementAndGet();
                }
                runs.incrementAndGet();
                ran.countDown();
            });
            published = scope;
            stopped = registration.stop();
            stopReturnedTrue = stopped;
        }
    }

    @Actor
    public void canceller() {
        Spin.until(() -> published).cancel();
    }

    @Arbiter
    public void arbiter(L_Result r) {
        if (!stopped) {
            try {
                ran.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long late = LATE_RUNS.get();
        r.r1 = "stop=" + stopped + " runs=" + runs.get() + (late == 0 ? "" : " LATE-RUNS=" + late);
    }
}
