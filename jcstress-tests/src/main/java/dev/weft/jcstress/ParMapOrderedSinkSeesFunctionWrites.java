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
 * Proves {@code Par}, "Memory consistency effects": <em>"In {@code mapOrdered}, actions of the
 * function for an item happen-before the sink is called with its result"</em>. Here the race is
 * direct: the sink runs on the caller's thread while the workers are still running, and takes each
 * result from the reorder buffer the moment a worker has put it there.
 *
 * <p>Two items, a limit of 2: each call of the function returns a new box whose plain field it
 * sets after construction. The sink (on the caller) reads the field of each box it receives: r1,
 * r2 in the order received (which is the input order). -1 means something threw, -2 that a result
 * came out of order.
 */
@JCStressTest
@Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "the sink saw each result with the fields the function wrote, in order")
@Outcome(expect = FORBIDDEN, desc = "the sink saw a result without the function's writes, out of order, or something threw")
@State
public class ParMapOrderedSinkSeesFunctionWrites {
    int received;

    @Actor
    public void caller(II_Result r) {
        try {
            Par.mapOrdered(List.of(1, 2), 2, i -> {
                Box b = new Box();
                b.value = i;
                return b;
            }, box -> {
                int v = box.value;
                if (received++ == 0) {
                    r.r1 = v;
                } else {
                    r.r2 = v == 0 ? 0 : (r.r1 == 1 ? v : -2);
                }
            });
        } catch (Throwable t) {
            r.r1 = -1;
        }
    }
}
