package dev.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.time.ManualTime;
import dev.weft.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/** Every bad argument fails at once with a clear exception whose message names the argument. */
@ExtendWith(LeakCheckExtension.class)
class BadInputTest {
    private static final Context.Key<String> KEY = Context.key("k");

    private static <T extends Throwable> void assertRejects(Class<T> type, String argument, Executable call) {
        T e = assertThrows(type, call);
        assertTrue(e.getMessage() != null && e.getMessage().contains(argument),
                "the message should name '" + argument + "': " + e.getMessage());
    }

    @Test
    void nullTasksAreRejectedAndNothingIsForked() throws Exception {
        try (Scope scope = Scope.open()) {
            assertRejects(NullPointerException.class, "task", () -> scope.fork((Callable<Object>) null));
            assertRejects(NullPointerException.class, "task", () -> scope.fork((CheckedRunnable) null));
            scope.join();
        }
        // (close did not complain about a fork without join: nothing was forked)
    }

    @Test
    void aNullConfigurerOrAConfigurerReturningNullIsRejectedAndNoScopeIsOpened() {
        Context before = Context.current();
        assertRejects(NullPointerException.class, "configurer", () -> Scope.open(null));
        assertRejects(NullPointerException.class, "configurer", () -> Scope.open(c -> null));
        assertSame(before, Context.current());
    }

    @Test
    void aZeroOrNegativeTimeoutIsRejected() {
        assertRejects(IllegalArgumentException.class, "timeout", () -> Scope.open(c -> c.withTimeout(Duration.ZERO)));
        assertRejects(IllegalArgumentException.class, "timeout", () -> Scope.open(c -> c.withTimeout(Duration.ofNanos(-1))));
        assertRejects(IllegalArgumentException.class, "timeout", () -> Scope.withTimeout(Duration.ZERO, () -> 1));
        assertRejects(IllegalArgumentException.class, "timeout",
                () -> Scope.withTimeoutOrEmpty(Duration.ofSeconds(-1), () -> 1));
        assertSame(Context.ROOT, Context.current());
    }

    @Test
    void nullConfigValuesAreRejected() {
        assertRejects(NullPointerException.class, "timeout", () -> Scope.open(c -> c.withTimeout(null)));
        assertRejects(NullPointerException.class, "deadline", () -> Scope.open(c -> c.withDeadline(null)));
        assertRejects(NullPointerException.class, "name", () -> Scope.open(c -> c.withName(null)));
        assertRejects(NullPointerException.class, "factory", () -> Scope.open(c -> c.withThreadFactory(null)));
        assertRejects(NullPointerException.class, "key", () -> Scope.open(c -> c.with(null, "v")));
        assertRejects(NullPointerException.class, "value", () -> Scope.open(c -> c.with(KEY, null)));
        assertRejects(NullPointerException.class, "timeSource", () -> Scope.open(c -> c.withTimeSource(null)));
        assertSame(Context.ROOT, Context.current());
    }

    @Test
    void nullOneLinerArgumentsAreRejected() {
        assertRejects(NullPointerException.class, "timeout", () -> Scope.withTimeout(null, () -> 1));
        assertRejects(NullPointerException.class, "body", () -> Scope.withTimeout(Duration.ofSeconds(1), null));
        assertRejects(NullPointerException.class, "deadline", () -> Scope.withDeadline(null, () -> 1));
        assertRejects(NullPointerException.class, "body", () -> Scope.withDeadline(Instant.now(), null));
        assertRejects(NullPointerException.class, "body", () -> Scope.withTimeoutOrEmpty(Duration.ofSeconds(1), null));
        assertRejects(NullPointerException.class, "deadline", () -> Scope.withDeadlineOrEmpty(null, () -> 1));
        assertSame(Context.ROOT, Context.current());
    }

    @Test
    void aNullCauseIsRejectedAndDoesNotCancel() throws Exception {
        try (Scope scope = Scope.open()) {
            assertRejects(NullPointerException.class, "cause", () -> scope.cancel(null));
            assertTrue(!scope.isCancelled());
            scope.join();
        }
    }

    @Test
    void nullContextArgumentsAreRejected() throws Exception {
        assertRejects(NullPointerException.class, "name", () -> Context.key(null));
        assertRejects(NullPointerException.class, "key", () -> Context.current().get(null));
        assertRejects(NullPointerException.class, "callback", () -> Context.current().onCancel(null));
        try (Scope scope = Scope.open()) {
            assertRejects(NullPointerException.class, "callback", () -> scope.context().onCancel(null));
            assertRejects(NullPointerException.class, "key", () -> scope.context().get(null));
            scope.join();
        }
    }

    @Test
    void aThreadFactoryReturningNullIsReportedAndStartsNothing() throws Exception {
        ThreadFactory broken = r -> null;
        try (Scope scope = Scope.open(c -> c.withThreadFactory(broken))) {
            assertRejects(NullPointerException.class, "threadFactory", () -> scope.fork(() -> 1));
            scope.join();
        }
    }

    @Test
    void aThreadThatCannotBeStartedFailsOnlyThatForkAndLeavesTheScopeUsable() throws Exception {
        Thread[] first = new Thread[1];
        ThreadFactory reusing = r -> {
            if (first[0] == null) {
                first[0] = Thread.ofVirtual().unstarted(r);
            }
            return first[0]; // the second fork gets a thread that was already started
        };
        try (Scope scope = Scope.open(c -> c.withThreadFactory(reusing))) {
            Subtask<Integer> ok = scope.fork(() -> 1);
            assertThrows(IllegalThreadStateException.class, () -> scope.fork(() -> 2));
            scope.join(); // does not wait for the fork that never started
            assertEquals(1, ok.get());
        }
        // the leak check then proves the failed start was not counted as a live thread
    }

    @Test
    void rethrowCauseRejectsANullType() {
        ScopeFailedException e = new ScopeFailedException("m", new RuntimeException());
        assertRejects(NullPointerException.class, "type", () -> e.rethrowCause(null));
    }

    @Test
    void manualTimeRejectsNegativeAndNullAdvancesAndBadSchedules() {
        ManualTime time = new ManualTime();
        assertRejects(IllegalArgumentException.class, "amount", () -> time.advance(Duration.ofNanos(-1)));
        assertRejects(NullPointerException.class, "amount", () -> time.advance(null));
        assertRejects(NullPointerException.class, "delay", () -> time.schedule(null, () -> { }));
        assertRejects(NullPointerException.class, "action", () -> time.schedule(Duration.ZERO, null));
        assertRejects(NullPointerException.class, "start", () -> new ManualTime(null));
        assertEquals(0, time.nanoTime(), "a rejected advance does not move the clock");
        assertEquals(0, time.pending());
    }

    @Test
    void theSystemTimeSourceRejectsBadSchedules() {
        assertRejects(NullPointerException.class, "delay", () -> TimeSource.system().schedule(null, () -> { }));
        assertRejects(NullPointerException.class, "action", () -> TimeSource.system().schedule(Duration.ZERO, null));
    }

    @Test
    void forkAfterCloseIsRejectedWithAMessageSayingSo() {
        Scope scope = Scope.open(c -> c.withName("done"));
        scope.close();
        assertRejects(IllegalStateException.class, "closed", () -> scope.fork(() -> 1));
        assertRejects(IllegalStateException.class, "done", () -> scope.fork(() -> 1));
    }
}
