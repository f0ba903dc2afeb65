package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.CancelledException;
import dev.weft.Scope;
import dev.weft.Subtask;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LL_Result;

/**
 * Proves, for {@code cancel} racing a task's completion: {@code Subtask.State} (SUCCESS:
 * "Completed with a result"; CANCELLED: "Did not run because the scope was cancelled first, or
 * ended by the scope's cancellation"), {@code Subtask.get()} ("The result") and {@code Scope.join()}
 * ("throws [...] CancelledException when the scope was otherwise cancelled and a task was
 * cancelled with it"): after join the subtask is SUCCESS with the value and join returned, or
 * CANCELLED and join threw CancelledException, never a mix; a final state never changes.
 *
 * <p>The owner forks a task that builds its result (a plain field set after construction) and
 * returns it unless interrupted; another actor cancels the scope and then reads the subtask's state
 * (if the owner has published the subtask yet). After join the owner reads the state and
 * {@code get()}.
 *
 * <p>Outcome: r1 = {@code state=<after join> value=<get()> join=<ok|exception>} (the owner),
 * r2 = {@code seen=<state the canceller saw after its cancel returned, - if not yet published>}.
 */
@JCStressTest
@Outcome(id = "state=SUCCESS value=42 join=ok, seen=(-|RUNNING|SUCCESS)", expect = ACCEPTABLE,
        desc = "the task completed first: SUCCESS with the value")
@Outcome(id = "state=CANCELLED value=- join=CancelledException, seen=(-|RUNNING|CANCELLED)", expect = ACCEPTABLE,
        desc = "the cancellation came first: the task never ran or was interrupted")
@Outcome(expect = FORBIDDEN, desc = "SUCCESS without the value, a state that disagrees with join, or a final state that changed")
@State
public class CancelRacingCompletion {
    volatile Scope published;
    volatile Subtask<Box> subtask;

    @Actor
    public void owner(LL_Result r) {
        Subtask<Box> task = null;
        String join = "ok";
        String value = "-";
        try (Scope scope = Scope.open()) {
            published = scope;
            task = scope.fork(() -> {
                Box b = new Box();
                b.value = 42;
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("interrupted before returning");
                }
                return b;
            });
            subtask = task;
            try {
                scope.join();
            } catch (CancelledException e) {
                join = Outcomes.name(e);
            }
            try {
                value = String.valueOf(task.get().value);
            } catch (IllegalStateException noResult) {
                value = "-";
            }
        } catch (Throwable t) {
            join = "unexpected " + Outcomes.name(t);
        }
        r.r1 = "state=" + Outcomes.state(task) + " value=" + value + " join=" + join;
    }

    @Actor
    public void canceller(LL_Result r) {
        Spin.until(() -> published).cancel();
        r.r2 = "seen=" + Outcomes.state(subtask);
    }
}
