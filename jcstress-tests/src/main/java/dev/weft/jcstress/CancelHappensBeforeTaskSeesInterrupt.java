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
import org.openjdk.jcstress.infra.results.L_Result;

/**
 * Proves {@code Scope}, "Memory consistency effects": <em>"Actions prior to a cancellation
 * happen-before a cancelled task observes its interrupt."</em>
 *
 * <p>The owner forks a task that blocks until interrupted; another actor writes a plain field and
 * then cancels the scope. When the task catches its InterruptedException it reads the field: it
 * must see the write. The task may also never run (the cancellation came before it started). In
 * both cases the subtask is CANCELLED and join throws CancelledException.
 *
 * <p>Outcome: {@code ran sawWrite state join}.
 */
@JCStressTest
@Outcome(id = "ran=1 sawWrite=1 state=CANCELLED join=CancelledException", expect = ACCEPTABLE,
        desc = "the task observed its interrupt and saw the canceller's prior write")
@Outcome(id = "ran=0 sawWrite=- state=CANCELLED join=CancelledException", expect = ACCEPTABLE,
        desc = "the cancellation came before the task started: it never ran")
@Outcome(expect = FORBIDDEN, desc = "the interrupted task missed a write made before the cancel, or the state or join disagree")
@State
public class CancelHappensBeforeTaskSeesInterrupt {
    volatile Scope published;
    int written;
    int ran;
    String sawWrite = "-";

    @Actor
    public void owner(L_Result r) {
        Subtask<Void> task = null;
        String join = "ok";
        try (Scope scope = Scope.open()) {
            published = scope;
            task = scope.fork(() -> {
                ran = 1;
                try {
                    Tasks.blockUntilInterrupted();
                } catch (InterruptedException e) {
                    sawWrite = String.valueOf(written);
                    throw e;
                }
            });
            try {
                scope.join();
            } catch (CancelledException e) {
                join = Outcomes.name(e);
            }
        } catch (Throwable t) {
            join = "unexpected " + Outcomes.name(t);
        }
        r.r1 = "ran=" + ran + " sawWrite=" + sawWrite + " state=" + Outcomes.state(task) + " join=" + join;
    }

    @Actor
    public void canceller() {
        Scope scope = Spin.until(() -> published);
        written = 1;
        scope.cancel();
    }
}
