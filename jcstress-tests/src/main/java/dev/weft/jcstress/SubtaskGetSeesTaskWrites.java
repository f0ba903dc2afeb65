package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.Scope;
import dev.weft.ScopeFailedException;
import dev.weft.Subtask;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Proves {@code Subtask}, "Memory consistency effects": <em>"actions of the task happen-before
 * {@link Subtask#get()} or {@link Subtask#exception()} return"</em>.
 *
 * <p>In a scope that is not fail-fast, one task returns an object whose plain field it set after
 * construction, the other throws an exception whose plain field it set after construction. After
 * {@code join} (which throws), {@code get()} and {@code exception()} must return those objects with
 * the fields set: r1 = the value seen through {@code get()}, r2 = the payload seen through
 * {@code exception()}. -1 means something unexpected threw.
 */
@JCStressTest
@Outcome(id = "42, 7", expect = ACCEPTABLE, desc = "get() and exception() return the task's objects with every field the task wrote")
@Outcome(expect = FORBIDDEN, desc = "get() or exception() returned an object missing the task's writes, or something threw (-1)")
@State
public class SubtaskGetSeesTaskWrites {

    /** An exception with a plain field written after construction. */
    static final class PayloadException extends RuntimeException {
        int payload;

        PayloadException() {
            super("task failure", null, false, false);
        }
    }

    @Actor
    public void owner(II_Result r) {
        try (Scope scope = Scope.open(c -> c.withFailFast(false))) {
            Subtask<Box> value = scope.fork(() -> {
                Box b = new Box();
                b.value = 42;
                return b;
            });
            Subtask<Void> failure = scope.fork(() -> {
                PayloadException e = new PayloadException();
                e.payload = 7;
                throw e;
            });
            try {
                scope.join();
            } catch (ScopeFailedException expected) {
                // the failing task; its exception is read through Subtask.exception() below
            }
            r.r1 = value.get().value;
            r.r2 = ((PayloadException) failure.exception()).payload;
        } catch (Throwable t) {
            r.r1 = -1;
        }
    }
}
