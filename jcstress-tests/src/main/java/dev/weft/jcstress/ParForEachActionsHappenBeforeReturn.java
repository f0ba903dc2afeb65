package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.Par;
import java.util.List;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Proves {@code Par}, "Memory consistency effects": <em>"Actions of every task, function or
 * action the call runs happen-before the call returns"</em>, for {@code forEach}, whose actions
 * return nothing: what they wrote is seen by the caller only through this guarantee.
 *
 * <p>The caller runs {@code forEach} over two boxes with a limit of 2; each action writes a plain
 * field of its box. After {@code forEach} returns, the caller reads both fields: r1, r2. -1 means
 * something threw.
 */
@JCStressTest
@Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "both actions' writes are visible after forEach returned")
@Outcome(expect = FORBIDDEN, desc = "an action's write was not visible after forEach returned, or something threw")
@State
public class ParForEachActionsHappenBeforeReturn {

    @Actor
    public void caller(II_Result r) {
        try {
            Box a = new Box();
            Box b = new Box();
            Par.forEach(List.of(a, b), 2, box -> box.value = box == a ? 1 : 2);
            r.r1 = a.value;
            r.r2 = b.value;
        } catch (Throwable t) {
            r.r1 = -1;
        }
    }
}
