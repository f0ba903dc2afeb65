package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.Scope;
import dev.weft.ScopeFailedException;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Proves {@code Scope}, "Memory consistency effects": <em>"Actions of every task happen-before
 * {@link Scope#join()} returns or throws"</em>, on the path where {@code join} throws.
 *
 * <p>In a scope that is not fail-fast (so both tasks always run), one task writes a plain field and
 * fails, the other writes a plain field and succeeds. {@code join} must throw
 * {@link ScopeFailedException} (r3 = 1) and the owner, in the catch block, must see both writes.
 * -1 means something unexpected threw.
 */
@JCStressTest
@Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "join threw ScopeFailedException after every task's writes, and sees them")
@Outcome(expect = FORBIDDEN, desc = "the owner missed a task's write after join threw, join did not throw, or something else threw (-1)")
@State
public class JoinThrowingSeesTaskWrites {
    int failed;
    int succeeded;

    @Actor
    public void owner(III_Result r) {
        try (Scope scope = Scope.open(c -> c.withFailFast(false))) {
            scope.fork(() -> {
                failed = 1;
                throw new IllegalStateException("task failure");
            });
            scope.fork(() -> {
                succeeded = 1;
            });
            try {
                scope.join();
            } catch (ScopeFailedException e) {
                r.r3 = 1;
            }
            r.r1 = failed;
            r.r2 = succeeded;
        } catch (Throwable t) {
            r.r1 = -1;
        }
    }
}
