package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.Scope;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Proves {@code Scope}, "Memory consistency effects": <em>"Actions of every task happen-before
 * {@link Scope#join()} returns"</em>, on the path where {@code join} returns normally.
 *
 * <p>Two tasks each write a plain field (one of them through a plain reference to an object with a
 * plain field); the owner reads them after {@code join} returns. r1..r3 are what the owner saw; -1
 * means something threw.
 */
@JCStressTest
@Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "join returned after every task's writes, and sees them")
@Outcome(expect = FORBIDDEN, desc = "the owner missed a task's write after join returned, or something threw (-1)")
@State
public class JoinSeesTaskWrites {
    int a;
    Box box;

    @Actor
    public void owner(III_Result r) {
        try (Scope scope = Scope.open()) {
            scope.fork(() -> {
                a = 1;
            });
            scope.fork(() -> {
                Box b = new Box();
                b.value = 1;
                box = b;
            });
            scope.join();
            r.r1 = a;
            Box seen = box;
            r.r2 = seen == null ? 0 : 1;
            r.r3 = seen == null ? 0 : seen.value;
        } catch (Throwable t) {
            r.r1 = -1;
        }
    }
}
