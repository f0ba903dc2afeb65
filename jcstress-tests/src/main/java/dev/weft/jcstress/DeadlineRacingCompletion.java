package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.CancelledException;
import dev.weft.DeadlineExceededException;
import dev.weft.Scope;
import dev.weft.Subtask;
import dev.weft.time.ManualTime;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

/**
 * Proves, for a deadline racing a task's completion, {@code Scope.join()}: <em>"throws [...]
 * DeadlineExceededException when the deadline passed and cancelled a task"</em>, and otherwise
 * returns with the task's value; the subtask's state agrees with join.
 *
 * <p>The owner opens a scope with a 1 s timeout on a {@link ManualTime} and forks a task that
 * returns its result unless interrupted; another actor advances the manual clock by 2 s (firing
 * the deadline on its own thread). Outcome: {@code join=<ok|exception> state=<subtask>
 * value=<get()> cause=<the context's cause after join: DEE, or finished when join cancelled it>}.
 */
@JCStressTest
@Outcome(id = "join=ok state=SUCCESS value=42 cause=(DEE|finished)", expect = ACCEPTABLE,
        desc = "the task completed before the deadline cancelled it (the deadline may still fire before join returns)")
@Outcome(id = "join=DeadlineExceededException state=CANCELLED value=- cause=DEE", expect = ACCEPTABLE,
        desc = "the deadline fired first: the task never ran or was interrupted")
@Outcome(expect = FORBIDDEN, desc = "join and the subtask disagree, SUCCESS without the value, or the wrong exception")
@State
public class DeadlineRacingCompletion {
    final ManualTime time = new ManualTime();
    volatile Scope published;

    @Actor
    public void owner(L_Result r) {
        Subtask<Box> task = null;
        String join = "ok";
        String value = "-";
        String cause = "?";
        try (Scope scope = Scope.open(c -> c.withTimeSource(time).withTimeout(Duration.ofSeconds(1)))) {
            published = scope;
            task = scope.fork(() -> {
                Box b = new Box();
                b.value = 42;
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("interrupted before returning");
                }
                return b;
            });
            try {
                scope.join();
            } catch (CancelledException e) {
                join = Outcomes.name(e);
            }
            if (task.state() == Subtask.State.SUCCESS) {
                value = String.valueOf(task.get().value);
            }
            Throwable c = scope.context().cause().orElse(null);
            cause = c instanceof DeadlineExceededException ? "DEE"
                    : c instanceof CancelledException ? "finished" : Outcomes.name(c);
        } catch (Throwable t) {
            join = "unexpected " + Outcomes.name(t);
        }
        r.r1 = "join=" + join + " state=" + Outcomes.state(task) + " value=" + value + " cause=" + cause;
    }

    @Actor
    public void advancer() {
        Spin.until(() -> published);
        time.advance(Duration.ofSeconds(2));
    }
}
