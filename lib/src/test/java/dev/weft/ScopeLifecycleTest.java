package dev.weft;

import static dev.weft.TestSupport.await;
import static dev.weft.TestSupport.blockUntilInterrupted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** fork / join / close, subtask states and results, and the context a scope makes current. */
@ExtendWith(LeakCheckExtension.class)
class ScopeLifecycleTest {

    @Test
    void joinWaitsForEveryTaskAndResultsAreReadableAfterIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (Scope scope = Scope.open()) {
            Subtask<String> a = scope.fork(() -> {
                release.await();
                return "a";
            });
            Subtask<Integer> b = scope.fork(() -> 42);
            Subtask<Void> c = scope.fork(() -> { });
            assertEquals(Subtask.State.RUNNING, a.state());
            release.countDown();
            scope.join();
            assertEquals(Subtask.State.SUCCESS, a.state());
            assertEquals(Subtask.State.SUCCESS, b.state());
            assertEquals(Subtask.State.SUCCESS, c.state());
            assertEquals("a", a.get());
            assertEquals(42, b.get());
            assertNull(c.get());
        }
    }

    @Test
    void joinWithNoTasksReturnsAtOnce() throws Exception {
        try (Scope scope = Scope.open()) {
            scope.join();
            assertTrue(scope.isCancelled(), "after join the context is done, as after errgroup.Wait");
        }
    }

    @Test
    void contextIsDoneAfterJoinEvenWhenEveryTaskSucceeded() throws Exception {
        try (Scope scope = Scope.open()) {
            scope.fork(() -> 1);
            scope.fork(() -> 2);
            assertFalse(scope.context().isCancelled());
            scope.join();
            assertTrue(scope.context().isCancelled());
            Throwable cause = scope.context().cause().orElseThrow();
            assertInstanceOf(CancelledException.class, cause);
            assertThrows(CancelledException.class, () -> scope.context().throwIfCancelled());
        }
    }

    @Test
    void resultsAreOnlyReadableAfterJoin() throws Exception {
        try (Scope scope = Scope.open()) {
            Subtask<Integer> ok = scope.fork(() -> 1);
            Subtask<Integer> bad = scope.fork(() -> {
                throw new IllegalArgumentException("boom");
            });
            // States are readable at any time; results are not.
            assertThrows(IllegalStateException.class, ok::get);
            assertThrows(IllegalStateException.class, ok::exception);
            assertThrows(IllegalStateException.class, bad::get);
            assertThrows(IllegalStateException.class, bad::exception);
            assertThrows(ScopeFailedException.class, scope::join);
            assertEquals(1, ok.get());
            assertInstanceOf(IllegalArgumentException.class, bad.exception());
        }
    }

    @Test
    void getOfAFailedSubtaskThrowsWithTheFailureAsCauseAndExceptionOfASuccessThrows() throws Exception {
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        try (Scope scope = Scope.open(c -> c.withFailFast(false))) {
            Subtask<Integer> ok = scope.fork(() -> 1);
            Subtask<Integer> bad = scope.fork(() -> {
                throw boom;
            });
            assertThrows(ScopeFailedException.class, scope::join);
            assertEquals(Subtask.State.FAILED, bad.state());
            IllegalStateException e = assertThrows(IllegalStateException.class, bad::get);
            assertSame(boom, e.getCause());
            assertSame(boom, bad.exception());
            assertThrows(IllegalStateException.class, ok::exception);
        }
    }

    @Test
    void openingMakesTheScopeContextCurrentAndCloseRestoresThePreviousOne() throws Exception {
        Context before = Context.current();
        try (Scope scope = Scope.open()) {
            assertSame(scope.context(), Context.current());
            Subtask<Context> seen = scope.fork(Context::current);
            scope.join();
            assertSame(scope.context(), seen.get(), "tasks run with the scope's context current");
            assertSame(scope.context(), Context.current(), "join does not change the owner's context");
        }
        assertSame(before, Context.current());
    }

    @Test
    void joinTwiceIsAnIllegalState() throws Exception {
        try (Scope scope = Scope.open()) {
            scope.join();
            IllegalStateException e = assertThrows(IllegalStateException.class, scope::join);
            assertTrue(e.getMessage().contains("already been joined"), e.getMessage());
        }
    }

    @Test
    void forkAfterJoinIsAnIllegalState() throws Exception {
        try (Scope scope = Scope.open()) {
            scope.join();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> scope.fork(() -> 1));
            assertTrue(e.getMessage().contains("joined"), e.getMessage());
        }
    }

    @Test
    void forkAndJoinAfterCloseAreIllegalStatesAndNothingRuns() throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        Scope scope = Scope.open();
        scope.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> scope.fork(() -> ran.set(true)));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, scope::join);
        assertFalse(ran.get());
    }

    @Test
    void closeTwiceDoesNothingTheSecondTime() throws Exception {
        Context before = Context.current();
        Scope scope = Scope.open();
        scope.fork(() -> 1);
        scope.join();
        scope.close();
        scope.close();
        assertSame(before, Context.current());
    }

    @Test
    void closeCancelsTheScopeAndWaitsForEveryTask() throws Exception {
        CountDownLatch started = new CountDownLatch(2);
        AtomicInteger ended = new AtomicInteger();
        Scope scope = Scope.open();
        for (int i = 0; i < 2; i++) {
            scope.fork(() -> {
                started.countDown();
                try {
                    return blockUntilInterrupted();
                } finally {
                    ended.incrementAndGet();
                }
            });
        }
        await(started);
        // Never joined: close cancels, waits, then reports the missing join.
        assertThrows(IllegalStateException.class, scope::close);
        assertEquals(2, ended.get(), "close returned before every task ended");
        assertTrue(scope.isCancelled());
    }

    @Test
    void forkOfACheckedRunnableMayThrowACheckedException() throws Exception {
        try (Scope scope = Scope.open()) {
            Subtask<Void> task = scope.fork(() -> {
                throw new java.io.IOException("disk");
            });
            ScopeFailedException e = assertThrows(ScopeFailedException.class, scope::join);
            assertInstanceOf(java.io.IOException.class, e.getCause());
            assertEquals(Subtask.State.FAILED, task.state());
        }
    }

    @Test
    void tasksRunOnVirtualThreadsByDefault() throws Exception {
        try (Scope scope = Scope.open()) {
            Subtask<Boolean> virtual = scope.fork(() -> Thread.currentThread().isVirtual());
            scope.join();
            assertTrue(virtual.get());
        }
    }

    @Test
    void tasksRunOnThreadsOfTheConfiguredFactory() throws Exception {
        ConcurrentLinkedQueue<Thread> made = new ConcurrentLinkedQueue<>();
        ThreadFactory platform = Thread.ofPlatform().name("test-worker-", 0).factory();
        ThreadFactory recording = r -> {
            Thread t = platform.newThread(r);
            made.add(t);
            return t;
        };
        try (Scope scope = Scope.open(c -> c.withThreadFactory(recording))) {
            Subtask<Thread> a = scope.fork(Thread::currentThread);
            Subtask<Thread> b = scope.fork(Thread::currentThread);
            scope.join();
            assertEquals(List.of(a.get(), b.get()), List.copyOf(made), "one new thread per fork, from the factory");
            assertFalse(a.get().isVirtual());
            assertTrue(a.get().getName().startsWith("test-worker-"));
        }
    }

    @Test
    void theNameAppearsInMessagesAndToString() throws Exception {
        try (Scope scope = Scope.open(c -> c.withName("checkout"))) {
            assertTrue(scope.toString().contains("checkout"), scope.toString());
            assertTrue(scope.context().toString().contains("checkout"), scope.context().toString());
            scope.fork(() -> {
                throw new IllegalStateException("boom");
            });
            ScopeFailedException e = assertThrows(ScopeFailedException.class, scope::join);
            assertTrue(e.getMessage().contains("checkout"), e.getMessage());
        }
    }
}
