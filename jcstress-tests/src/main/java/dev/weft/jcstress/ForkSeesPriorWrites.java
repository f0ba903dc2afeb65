package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.Scope;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * Proves {@code Scope}, "Memory consistency effects": <em>"actions in the owner prior to
 * {@link Scope#fork} happen-before the forked task starts."</em> It also covers a fork made by one
 * of the scope's own tasks ({@code Scope}, Lifecycle: "The owner may fork, and so may the scope's
 * own tasks").
 *
 * <p>The owner writes plain fields (one of them a reference to an object whose field is plain too)
 * and forks; the task reads them, writes another plain field and forks a second task, which reads
 * both generations of writes. r1..r4 are what the tasks saw; -1 means something threw.
 */
@JCStressTest
@Outcome(id = "1, 1, 1, 1", expect = ACCEPTABLE, desc = "every write made before a fork is seen by the forked task")
@Outcome(expect = FORBIDDEN, desc = "a forked task missed a write made before its fork, or something threw (-1)")
@State
public class ForkSeesPriorWrites {
    int a;
    Box box;
    int b;

    @Actor
    public void owner(IIII_Result r) {
        try (Scope scope = Scope.open()) {
            a = 1;
            Box written = new Box();
            written.value = 1;
            box = written;
            scope.fork(() -> {
                r.r1 = a;
                Box seen = box;
                r.r2 = seen == null ? 0 : seen.value;
                b = 1;
                scope.fork(() -> {
                    r.r3 = b;
                    r.r4 = a;
                });
            });
            scope.join();
        } catch (Throwable t) {
            r.r1 = -1;
        }
    }
}
