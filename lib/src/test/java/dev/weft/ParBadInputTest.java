package dev.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/** Every bad argument to Par fails at once, before anything runs, with a message that names it. */
@ExtendWith(LeakCheckExtension.class)
class ParBadInputTest {
    private static final CheckedFunction<Object, Object> ID = x -> x;
    private static final CheckedConsumer<Object> NOTHING = x -> { };

    private static void rejects(Class<? extends Throwable> type, String message, Executable call) {
        assertEquals(message, assertThrows(type, call).getMessage());
        assertSame(Context.ROOT, Context.current(), "no scope was left open");
    }

    @Test
    void aLimitOfZeroOrLessIsRejectedByEveryOperation() {
        List<Object> items = List.of(1);
        rejects(IllegalArgumentException.class, "limit must be positive, was 0", () -> Par.map(items, 0, ID));
        rejects(IllegalArgumentException.class, "limit must be positive, was -3", () -> Par.map(items, -3, ID));
        rejects(IllegalArgumentException.class, "limit must be positive, was 0", () -> Par.forEach(items, 0, NOTHING));
        rejects(IllegalArgumentException.class, "limit must be positive, was 0",
                () -> Par.forEach(items.iterator(), 0, NOTHING));
        rejects(IllegalArgumentException.class, "limit must be positive, was 0",
                () -> Par.forEach(items.stream(), 0, NOTHING));
        rejects(IllegalArgumentException.class, "limit must be positive, was -1",
                () -> Par.mapOrdered(items, -1, ID, NOTHING));
        rejects(IllegalArgumentException.class, "limit must be positive, was 0",
                () -> Par.mapOrdered(items.iterator(), 0, ID, NOTHING));
        rejects(IllegalArgumentException.class, "limit must be positive, was 0",
                () -> Par.mapOrdered(items.stream(), 0, ID, NOTHING));
    }

    @Test
    void nullArgumentsAreNamed() {
        List<Object> items = List.of(1);
        rejects(NullPointerException.class, "items", () -> Par.map(null, 1, ID));
        rejects(NullPointerException.class, "fn", () -> Par.map(items, 1, null));
        rejects(NullPointerException.class, "source", () -> Par.forEach((Iterator<Object>) null, 1, NOTHING));
        rejects(NullPointerException.class, "source", () -> Par.forEach((Iterable<Object>) null, 1, NOTHING));
        rejects(NullPointerException.class, "source", () -> Par.forEach((Stream<Object>) null, 1, NOTHING));
        rejects(NullPointerException.class, "action", () -> Par.forEach(items, 1, null));
        rejects(NullPointerException.class, "source", () -> Par.mapOrdered((Iterator<Object>) null, 1, ID, NOTHING));
        rejects(NullPointerException.class, "source", () -> Par.mapOrdered((Iterable<Object>) null, 1, ID, NOTHING));
        rejects(NullPointerException.class, "source", () -> Par.mapOrdered((Stream<Object>) null, 1, ID, NOTHING));
        rejects(NullPointerException.class, "fn", () -> Par.mapOrdered(items, 1, null, NOTHING));
        rejects(NullPointerException.class, "sink", () -> Par.mapOrdered(items, 1, ID, null));
        rejects(NullPointerException.class, "tasks", () -> Par.all(null));
        rejects(NullPointerException.class, "tasks", () -> Par.race(null));
        rejects(NullPointerException.class, "configurer", () -> Par.with(null));
        Iterable<Object> broken = () -> null;
        rejects(NullPointerException.class, "source.iterator() returned null", () -> Par.forEach(broken, 1, NOTHING));
    }

    @Test
    void aNullTaskIsNamedByItsIndexAndNoTaskRuns() {
        AtomicBoolean ran = new AtomicBoolean();
        Collection<Callable<Object>> tasks = Arrays.asList(() -> ran.getAndSet(true), null);
        rejects(NullPointerException.class, "tasks[1] is null", () -> Par.all(tasks));
        rejects(NullPointerException.class, "tasks[1] is null", () -> Par.race(tasks));
        assertTrue(!ran.get(), "nothing was forked");
    }

    @Test
    void aRaceOfNoTasksIsRejected() {
        rejects(IllegalArgumentException.class, "tasks must not be empty: a race needs at least one task",
                () -> Par.race(List.<Callable<Object>>of()));
    }

    @Test
    void aConfigurerMayNotTakeOverTheLimitOrFailFastNorReturnNull() {
        List<Object> items = List.of(1);
        rejects(IllegalArgumentException.class,
                "the configurer set withLimit(4): Par sets the limit of its scope itself; pass it as the limit argument",
                () -> Par.with(c -> c.withLimit(4)).map(items, 2, ID));
        rejects(IllegalArgumentException.class,
                "the configurer set withFailFast(false): Par's operations are always fail-fast",
                () -> Par.with(c -> c.withFailFast(false)).forEach(items, 2, NOTHING));
        rejects(NullPointerException.class, "configurer returned null instead of a Scope.Config",
                () -> Par.with(c -> null).all(List.<Callable<Object>>of(() -> 1)));
    }
}
