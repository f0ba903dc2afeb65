package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.Par;
import java.util.List;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Proves {@code Par}, "Memory consistency effects": <em>"actions in the calling thread prior to a
 * {@code Par} call happen-before every [...] function [...] it runs starts"</em> and <em>"the
 * results {@code map} [...] return[s] are fully visible to the caller"</em>: the result slots the
 * workers write (plain array stores, no lock) are seen by the caller after {@code map} returns.
 *
 * <p>The caller writes a plain field, then maps two items with a limit of 2 (so two workers write
 * their slots concurrently). Each call of the function reads that field and returns a new box
 * whose plain field it sets after construction. r1, r2 = the fields the caller reads through the
 * returned list; r3 = what the functions saw of the caller's write (1 if both saw it). -1 means
 * something threw.
 */
@JCStressTest
@Outcome(id = "10, 11, 1", expect = ACCEPTABLE, desc = "the caller sees both results with every field the workers wrote")
@Outcome(expect = FORBIDDEN, desc = "a result slot or a field of a result was not visible after map returned, "
        + "a function missed the caller's prior write, or something threw")
@State
public class ParMapResultsVisibleAfterReturn {
    int prior;

    @Actor
    public void caller(III_Result r) {
        try {
            prior = 10;
            List<Box> results = Par.map(List.of(0, 1), 2, i -> {
                Box b = new Box();
                b.value = prior == 10 ? 10 + i : -100;
                return b;
            });
            r.r1 = results.get(0).value;
            r.r2 = results.get(1).value;
            r.r3 = results.get(0).value >= 0 && results.get(1).value >= 0 ? 1 : 0;
        } catch (Throwable t) {
            r.r1 = -1;
        }
    }
}
