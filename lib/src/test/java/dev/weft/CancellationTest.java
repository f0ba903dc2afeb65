package dev.weft;

import static dev.weft.TestSupport.await;
import static dev.weft.TestSupport.awaitCondition;
import static dev.weft.TestSupport.blockUntilInterrupted;
import static dev.weft.TestSupport.onNewThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** cancel() and cancel(cause): interrupts, the one cause, and forks after cancellation. */
@ExtendWith(LeakCheckExtension.class)
class CancellationTest {

    @Test
    void cancelInterruptsEveryUnfinishedTaskAndJoinThrowsCancelledException() throws Exception {
        int n = 5;
        CountDownLatch started = new CountDownLatch(n);
        CountDownLatch interrupted = new CountDownLatch(n);
        List<Subtask<Void>> tasks = new ArrayList<>();
        try (Scope scope = Scope.open(c -> c.withName("batch"))) {
            for (int i = 0; i < n; i++) {
                tasks.add(scope.fork(() -> {
                    started.countDown();
                    try {
                        return blockUntilInterrupted();
                    } catch (InterruptedException e) {
                        interrupted.countDown();
                        throw e;
                    }
                }));
            }
            Subtask<Integer> done = scope.fork(() -> 7);
            await(started);
            awaitCondition(() -> done.state() == Subtask.State.SUCCESS, "the quick task ended");
            scope.cancel();
            await(interrupted);
            CancelledException e = assertThrows(CancelledException.class, scope::join);
            assertFalse(e instanceof DeadlineExceededException);
            assertTrue(e.getMessage().contains("batch"), e.getMessage());
            for (Subtask<Void> t : tasks) {
                assertEquals(Subtask.State.CANCELLED, t.state());
            }
            assertEquals(7, done.get(), "a task that ended before the cancel keeps its result");
        }
    }

    @Test
    void cancelWithoutCauseRecordsACancelledExceptionAsTheCause() throws Exception {
        try (Scope scope = Scope.open(c -> c.withName("plain"))) {
            scope.cancel();
            Throwable cause = scope.context().cause().orElseThrow();
            CancelledException c = assertInstanceOf(CancelledException.class, cause);
            assertSame(c, c.cause(), "a cancellation with no other cause is its own cause");
            assertTrue(c.getMessage().contains("plain"), c.getMessage());
            scope.join();
        }
    }

    @Test
    void theFirstCauseWinsForever() throws Exception {
        RuntimeException first = new RuntimeException("first");
        try (Scope scope = Scope.open()) {
            scope.cancel(first);
            scope.cancel(new RuntimeException("second"));
            scope.cancel();
            assertSame(first, scope.context().cause().orElseThrow());
            scope.fork(() -> 1); // cancelled before it starts, so join reports the cancellation
            CancelledException e = assertThrows(CancelledException.class, scope::join);
            assertSame(first, e.cause());
            assertSame(first, e.getCause());
            assertSame(first, scope.context().cause().orElseThrow(), "join does not replace the cause");
        }
    }

    @Test
    void joinAfterCancelReturnsNormallyWhenNoTaskWasCancelled() throws Exception {
        try (Scope scope = Scope.open()) {
            Subtask<Integer> task = scope.fork(() -> 1);
            awaitCondition(() -> task.state() == Subtask.State.SUCCESS, "the task ended");
            scope.cancel();
            scope.join();
            assertEquals(1, task.get());
        }
    }

    @Test
    void forkAfterCancelIsCancelledAtOnceAndNeverRuns() throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        try (Scope scope = Scope.open()) {
            scope.cancel();
            Subtask<Boolean> task = scope.fork(() -> {
                ran.set(true);
                return true;
            });
            assertEquals(Subtask.State.CANCELLED, task.state(), "cancelled at fork time, not later");
            assertThrows(CancelledException.class, scope::join);
            assertThrows(IllegalStateException.class, task::get);
        }
        assertFalse(ran.get());
    }

    @Test
    void forkFromATaskAfterCancelIsCancelledAndNeverRuns() throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        try (Scope scope = Scope.open()) {
            Subtask<Subtask<Void>> parent = scope.fork(() -> {
                scope.cancel();
                return scope.fork(() -> ran.set(true));
            });
            // The child was cancelled with the scope, so join reports the cancellation.
            assertThrows(CancelledException.class, scope::join);
            assertEquals(Subtask.State.SUCCESS, parent.state());
            assertEquals(Subtask.State.CANCELLED, parent.get().state());
        }
        assertFalse(ran.get());
    }

    @Test
    void cancelMayBeCalledFromAnUnrelatedThread() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        try (Scope scope = Scope.open()) {
            Subtask<Void> task = scope.fork(() -> {
                started.countDown();
                return blockUntilInterrupted();
            });
            await(started);
            onNewThread("canceller", () -> {
                scope.cancel();
                return null;
            }).get();
            assertThrows(CancelledException.class, scope::join);
            assertEquals(Subtask.State.CANCELLED, task.state());
        }
    }

    @Test
    void aTaskThatCancelsItsOwnScopeIsNotInterruptedByItButSeesTheCancellation() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        try (Scope scope = Scope.open()) {
            Subtask<Void> sibling = scope.fork(() -> {
                started.countDown();
                return blockUntilInterrupted();
            });
            await(started);
            Subtask<Boolean> self = scope.fork(() -> {
                scope.cancel();
                assertTrue(Context.current().isCancelled());
                return Thread.currentThread().isInterrupted();
            });
            assertThrows(CancelledException.class, scope::join);
            assertFalse(self.get(), "the cancelling task was interrupted by its own cancel");
            assertEquals(Subtask.State.CANCELLED, sibling.state());
        }
    }

    @Test
    void aTaskThatIgnoresTheInterruptEndsAsASuccess() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        try (Scope scope = Scope.open()) {
            Subtask<String> stubborn = scope.fork(() -> {
                started.countDown();
                try {
                    blockUntilInterrupted();
                } catch (InterruptedException ignored) {
                    // ignores it and returns a value
                }
                return "anyway";
            });
            await(started);
            scope.cancel();
            scope.join();
            assertEquals("anyway", stubborn.get());
        }
    }

    /** Go: the cause is set once and no observer ever sees a different one, whoever cancels first. */
    @RepeatedTest(30)
    void concurrentCancelsWithDifferentCausesAreObservedAsOneCause() throws Exception {
        int cancellers = 4;
        int observers = 3;
        CyclicBarrier go = new CyclicBarrier(cancellers);
        CountDownLatch observing = new CountDownLatch(observers);
        AtomicReference<Throwable> seenByCallback = new AtomicReference<>();
        CountDownLatch callbackRan = new CountDownLatch(1);
        List<Throwable> causes = new ArrayList<>();
        List<Subtask<Throwable>> seen = new ArrayList<>();
        try (Scope scope = Scope.open()) {
            scope.context().onCancel(() -> {
                seenByCallback.set(scope.context().cause().orElse(null));
                callbackRan.countDown();
            });
            for (int i = 0; i < observers; i++) {
                seen.add(scope.fork(() -> {
                    observing.countDown();
                    try {
                        blockUntilInterrupted();
                    } catch (InterruptedException e) {
                        // interrupted by the cancellation: the cause must already be visible
                    }
                    Throwable a = Context.current().cause().orElseThrow();
                    Throwable b = Context.current().cause().orElseThrow();
                    assertSame(a, b);
                    return a;
                }));
            }
            await(observing);
            for (int i = 0; i < cancellers; i++) {
                RuntimeException cause = new RuntimeException("canceller " + i);
                causes.add(cause);
                seen.add(scope.fork(() -> {
                    go.await();
                    scope.cancel(cause);
                    return Context.current().cause().orElseThrow();
                }));
            }
            scope.join();
            Throwable winner = scope.context().cause().orElseThrow();
            assertTrue(causes.contains(winner), "the cause is one of the cancellers': " + winner);
            for (Subtask<Throwable> s : seen) {
                assertSame(winner, s.get());
            }
            await(callbackRan);
            assertSame(winner, seenByCallback.get());
        }
    }
}
