package dev.weft;

import static dev.weft.TestSupport.await;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.time.ManualTime;
import dev.weft.time.TimeSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.MDC;

/** Context: the root, values, MDC, deadline/cause accessors and onCancel (Go's AfterFunc). */
@ExtendWith(LeakCheckExtension.class)
class ContextTest {
    private static final Context.Key<String> TENANT = Context.key("tenant");

    /** Threads that do NOT inherit inheritable thread locals, so only weft can carry the MDC across. */
    private static final ThreadFactory NO_INHERITANCE = Thread.ofVirtual().inheritInheritableThreadLocals(false).factory();

    @Test
    void outsideEveryScopeTheCurrentContextIsTheRootWhichIsNeverCancelled() {
        Context root = Context.current();
        assertNotNull(root);
        assertSame(root, Context.current());
        assertFalse(root.isCancelled());
        assertEquals(Optional.empty(), root.cause());
        assertEquals(Optional.empty(), root.deadline());
        assertEquals(Optional.empty(), root.remaining());
        assertEquals(Optional.empty(), root.get(TENANT));
        assertSame(TimeSource.system(), root.timeSource());
        assertDoesNotThrow(root::throwIfCancelled);
        assertEquals("Context[root]", root.toString());
    }

    @Test
    void onTheRootContextACallbackNeverRunsAndStopReportsThatOnce() {
        AtomicInteger runs = new AtomicInteger();
        Context.Registration r = Context.current().onCancel(runs::incrementAndGet);
        assertTrue(r.stop());
        assertFalse(r.stop());
        assertEquals(0, runs.get());
    }

    @Test
    void keysAreComparedByIdentityNotByName() throws Exception {
        Context.Key<String> a = Context.key("same");
        Context.Key<String> b = Context.key("same");
        assertEquals("same", a.name());
        try (Scope scope = Scope.open(c -> c.with(a, "A"))) {
            assertEquals(Optional.of("A"), Context.current().get(a));
            assertEquals(Optional.empty(), Context.current().get(b));
            scope.join();
        }
    }

    @Test
    void theLastValueSetForAKeyInOneConfigWins() throws Exception {
        try (Scope scope = Scope.open(c -> c.with(TENANT, "x").with(TENANT, "y"))) {
            assertEquals(Optional.of("y"), scope.context().get(TENANT));
            scope.join();
        }
    }

    @Test
    void valuesFlowIntoForksAndForksOfForks() throws Exception {
        try (Scope scope = Scope.open(c -> c.with(TENANT, "acme"))) {
            Subtask<Subtask<Optional<String>>> nested = scope.fork(() -> scope.fork(() -> Context.current().get(TENANT)));
            Subtask<Optional<String>> direct = scope.fork(() -> Context.current().get(TENANT));
            scope.join();
            assertEquals(Optional.of("acme"), direct.get());
            assertEquals(Optional.of("acme"), nested.get().get());
        }
        assertEquals(Optional.empty(), Context.current().get(TENANT), "values end with the scope");
    }

    @Test
    void theTestsRunWithAWorkingMdc() {
        MDC.put("probe", "1");
        try {
            assertEquals("1", MDC.get("probe"), "no MDC adapter: the MDC tests below would prove nothing");
        } finally {
            MDC.clear();
        }
    }

    @Test
    void theMdcAtForkTimeFlowsIntoTheTaskEvenOnThreadsThatInheritNothing() throws Exception {
        MDC.put("request", "r-1");
        try (Scope scope = Scope.open(c -> c.withThreadFactory(NO_INHERITANCE))) {
            CountDownLatch forked = new CountDownLatch(1);
            Subtask<String> task = scope.fork(() -> {
                forked.await();
                return MDC.get("request");
            });
            Subtask<Subtask<Map<String, String>>> grandchild = scope.fork(() -> scope.fork(MDC::getCopyOfContextMap));
            MDC.put("request", "r-2"); // a later change on the owner does not reach running tasks
            forked.countDown();
            scope.join();
            assertEquals("r-1", task.get());
            assertEquals(Map.of("request", "r-1"), grandchild.get().get(), "a task's forks carry its MDC on");
        } finally {
            MDC.clear();
        }
    }

    @Test
    void throwIfCancelledThrowsCancelledExceptionWithTheCause() throws Exception {
        RuntimeException why = new RuntimeException("why");
        try (Scope scope = Scope.open()) {
            assertDoesNotThrow(() -> Context.current().throwIfCancelled());
            scope.cancel(why);
            CancelledException e = assertThrows(CancelledException.class, () -> Context.current().throwIfCancelled());
            assertFalse(e instanceof DeadlineExceededException);
            assertSame(why, e.cause());
            assertEquals(Optional.of(why), Context.current().cause());
            scope.join();
        }
    }

    @Test
    void throwIfCancelledThrowsDeadlineExceededAfterTheDeadline() throws Exception {
        ManualTime time = new ManualTime();
        try (Scope scope = Scope.open(c -> c.withTimeSource(time).withTimeout(Duration.ofSeconds(3)))) {
            Context ctx = Context.current();
            assertEquals(Optional.of(time.now().plusSeconds(3)), ctx.deadline());
            assertEquals(Optional.of(Duration.ofSeconds(3)), ctx.remaining());
            time.advance(Duration.ofSeconds(2));
            assertEquals(Optional.of(Duration.ofSeconds(1)), ctx.remaining());
            assertFalse(ctx.isCancelled());
            time.advance(Duration.ofSeconds(2));
            assertEquals(Optional.of(Duration.ZERO), ctx.remaining(), "zero, never negative, once passed");
            assertTrue(ctx.isCancelled());
            DeadlineExceededException e = assertThrows(DeadlineExceededException.class, ctx::throwIfCancelled);
            assertSame(ctx.cause().orElseThrow(), e.cause());
            scope.join();
        }
    }

    @Test
    void onCancelRunsOnceOnItsOwnVirtualThreadNotTheCancellers() throws Exception {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch ran = new CountDownLatch(1);
        try (Scope scope = Scope.open()) {
            scope.context().onCancel(() -> {
                ranOn.set(Thread.currentThread());
                runs.incrementAndGet();
                ran.countDown();
            });
            scope.cancel();
            scope.cancel(new RuntimeException("again"));
            await(ran);
            scope.join();
        }
        assertEquals(0, LeakCheckExtension.awaitNoLiveThreads(TestSupport.WAIT), "callback threads ended");
        assertEquals(1, runs.get(), "runs exactly once");
        assertNotSame(Thread.currentThread(), ranOn.get());
        assertTrue(ranOn.get().isVirtual());
    }

    @Test
    void onCancelRunsAtOnceOnItsOwnThreadWhenAlreadyCancelled() throws Exception {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(1);
        try (Scope scope = Scope.open()) {
            scope.cancel();
            Context.Registration r = scope.context().onCancel(() -> {
                ranOn.set(Thread.currentThread());
                ran.countDown();
            });
            await(ran);
            assertFalse(r.stop(), "too late to prevent it");
            scope.join();
        }
        assertNotSame(Thread.currentThread(), ranOn.get());
    }

    @Test
    void joinCancelsTheContextSoItsCallbacksRunEvenWhenEveryTaskSucceeded() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        try (Scope scope = Scope.open()) {
            scope.context().onCancel(ran::countDown);
            scope.fork(() -> 1);
            scope.join();
            await(ran);
        }
    }

    @Test
    void stopReturnsTrueOnlyWhenItPreventedTheCallback() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        try (Scope scope = Scope.open()) {
            Context.Registration stopped = scope.context().onCancel(runs::incrementAndGet);
            assertTrue(stopped.stop());
            assertFalse(stopped.stop(), "a second stop prevents nothing more");
            CountDownLatch ran = new CountDownLatch(1);
            Context.Registration kept = scope.context().onCancel(ran::countDown);
            scope.cancel();
            await(ran);
            assertFalse(kept.stop(), "the callback was already started");
            scope.join();
        }
        assertEquals(0, LeakCheckExtension.awaitNoLiveThreads(TestSupport.WAIT));
        assertEquals(0, runs.get(), "a stopped callback never runs");
    }

    @Test
    void aThrowingCallbackIsLoggedAndBreaksNothing() throws Exception {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        CountDownLatch otherRan = new CountDownLatch(1);
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            try (Scope scope = Scope.open()) {
                scope.context().onCancel(() -> {
                    throw new IllegalStateException("callback exploded");
                });
                scope.context().onCancel(otherRan::countDown);
                scope.cancel();
                await(otherRan);
                scope.join();
            }
            assertEquals(0, LeakCheckExtension.awaitNoLiveThreads(TestSupport.WAIT), "the callback's thread ended");
        } finally {
            System.setErr(originalErr);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("WARN") && log.contains("callback exploded"), "expected a WARN log, got: " + log);
    }

    @Test
    void callbacksOfANestedScopeRunWhenTheParentIsCancelled() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        AtomicReference<Throwable> cause = new AtomicReference<>();
        RuntimeException why = new RuntimeException("parent");
        try (Scope outer = Scope.open()) {
            try (Scope inner = Scope.open()) {
                inner.context().onCancel(() -> {
                    cause.set(inner.context().cause().orElse(null));
                    ran.countDown();
                });
                outer.cancel(why);
                await(ran);
                inner.join();
            }
            outer.join();
        }
        assertSame(why, cause.get());
    }

    @Test
    void theTimeSourceIsTheSystemOneUnlessAScopeSaysOtherwise() throws Exception {
        ManualTime time = new ManualTime();
        try (Scope plain = Scope.open()) {
            assertSame(TimeSource.system(), plain.context().timeSource());
            try (Scope manual = Scope.open(c -> c.withTimeSource(time))) {
                assertSame(time, Context.current().timeSource());
                Subtask<TimeSource> inTask = manual.fork(() -> Context.current().timeSource());
                manual.join();
                assertSame(time, inTask.get());
            }
            plain.join();
        }
        assertNotEquals(time, Context.current().timeSource());
    }

    @Test
    void aCancelledContextsCauseIsTheOneGivenAndIsACancelledExceptionOtherwise() throws Exception {
        try (Scope scope = Scope.open()) {
            assertEquals(Optional.empty(), scope.context().cause());
            scope.cancel();
            assertInstanceOf(CancelledException.class, scope.context().cause().orElseThrow());
            scope.join();
        }
    }
}
