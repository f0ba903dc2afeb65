package dev.weft;

import static dev.weft.TestSupport.await;
import static dev.weft.TestSupport.awaitBlocked;
import static dev.weft.TestSupport.awaitUninterruptibly;
import static dev.weft.TestSupport.blockUntilInterrupted;
import static dev.weft.TestSupport.onNewThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Owner confinement, and how join and close treat an interrupted owner. */
@ExtendWith(LeakCheckExtension.class)
class OwnershipTest {

    @Test
    void aTaskMayForkIntoItsScopeAndJoinWaitsForThoseForksToo() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Subtask<String>> inner = new AtomicReference<>();
        try (Scope scope = Scope.open()) {
            Subtask<String> outer = scope.fork(() -> {
                inner.set(scope.fork(() -> {
                    release.await();
                    return "grandchild";
                }));
                return "child";
            });
            // The child has returned, but the task it forked still runs: join must wait for it.
            TestSupport.awaitCondition(() -> outer.state() == Subtask.State.SUCCESS, "the child ended");
            release.countDown();
            scope.join();
            assertEquals("child", outer.get());
            assertEquals("grandchild", inner.get().get());
        }
    }

    @Test
    void aTaskOfANestedScopeMayForkIntoTheOuterScope() throws Exception {
        try (Scope outer = Scope.open()) {
            Subtask<Subtask<String>> viaNested = outer.fork(() -> {
                try (Scope nested = Scope.open()) {
                    Subtask<Subtask<String>> forked = nested.fork(() -> outer.fork(() -> "from the grandchild"));
                    nested.join();
                    return forked.get();
                }
            });
            outer.join();
            assertEquals("from the grandchild", viaNested.get().get());
        }
    }

    @Test
    void forkFromAnUnrelatedThreadIsAWrongThread() throws Exception {
        try (Scope scope = Scope.open()) {
            Throwable t = onNewThread("stranger", () -> scope.fork(() -> 1)).failure();
            assertInstanceOf(WrongThreadException.class, t);
            assertTrue(t.getMessage().contains("owner"), t.getMessage());
            scope.join();
        }
    }

    @Test
    @SuppressWarnings("try") // calls close() explicitly, from the wrong thread, on purpose
    void joinAndCloseFromAnUnrelatedThreadAreWrongThread() throws Exception {
        try (Scope scope = Scope.open()) {
            assertInstanceOf(WrongThreadException.class, onNewThread("stranger", () -> {
                scope.join();
                return null;
            }).failure());
            assertInstanceOf(WrongThreadException.class, onNewThread("stranger", () -> {
                scope.close();
                return null;
            }).failure());
            assertFalse(scope.isCancelled(), "a rejected close must not have cancelled the scope");
            scope.join();
        }
    }

    @Test
    void joinAndCloseFromATaskAreWrongThread() throws Exception {
        try (Scope scope = Scope.open()) {
            Subtask<Throwable> join = scope.fork(() -> assertThrows(WrongThreadException.class, scope::join));
            Subtask<Throwable> close = scope.fork(() -> assertThrows(WrongThreadException.class, scope::close));
            scope.join();
            assertInstanceOf(WrongThreadException.class, join.get());
            assertInstanceOf(WrongThreadException.class, close.get());
        }
    }

    @Test
    void forkFromAnOnCancelCallbackIsAWrongThread() throws Exception {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        try (Scope scope = Scope.open()) {
            scope.context().onCancel(() -> {
                try {
                    scope.fork(() -> 1);
                } catch (Throwable t) {
                    seen.set(t);
                } finally {
                    done.countDown();
                }
            });
            scope.cancel();
            await(done);
            scope.join();
        }
        assertInstanceOf(WrongThreadException.class, seen.get());
    }

    @Test
    void ownerInterruptedBeforeJoinGetsInterruptedExceptionAndTasksKeepRunning() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (Scope scope = Scope.open()) {
            Subtask<String> task = scope.fork(() -> {
                release.await();
                return "done";
            });
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, scope::join);
            assertFalse(Thread.currentThread().isInterrupted(), "join consumed the interrupt it reported");
            assertFalse(scope.isCancelled(), "an interrupted join does not cancel the scope");
            assertEquals(Subtask.State.RUNNING, task.state());
            release.countDown();
            scope.join(); // may be called again
            assertEquals("done", task.get());
        }
    }

    @Test
    void ownerInterruptedWhileBlockedInJoinGetsInterruptedExceptionAndMayJoinAgain() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean taskInterrupted = new AtomicBoolean();
        Thread owner = Thread.currentThread();
        try (Scope scope = Scope.open()) {
            Subtask<String> task = scope.fork(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    taskInterrupted.set(true);
                    throw e;
                }
                return "done";
            });
            TestSupport.Helper<Void> interrupter = onNewThread("interrupter", () -> {
                awaitBlocked(owner);
                owner.interrupt();
                return null;
            });
            assertThrows(InterruptedException.class, scope::join);
            interrupter.get();
            assertEquals(Subtask.State.RUNNING, task.state(), "the tasks keep running");
            release.countDown();
            scope.join();
            assertEquals("done", task.get());
            assertFalse(taskInterrupted.get(), "interrupting the owner must not interrupt the tasks");
        }
    }

    @Test
    void cancellationNeverInterruptsTheOwner() throws Exception {
        try (Scope scope = Scope.open()) {
            scope.fork(() -> {
                scope.cancel();
                return null;
            });
            scope.fork(() -> {
                throw new IllegalStateException("fail-fast cancels too");
            });
            assertThrows(RuntimeException.class, scope::join);
            assertFalse(Thread.currentThread().isInterrupted());
        }
    }

    @Test
    void closeWaitsForAStragglerThatCatchesTheInterruptAndKeepsWorking() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        Scope scope = Scope.open();
        Subtask<String> straggler = scope.fork(() -> {
            started.countDown();
            try {
                blockUntilInterrupted();
            } catch (InterruptedException e) {
                Thread.sleep(100); // a task that blocks a little longer after being cancelled
            }
            finished.set(true);
            return "late";
        });
        await(started);
        assertThrows(IllegalStateException.class, scope::close); // forked, never joined
        assertTrue(finished.get(), "close returned while a task was still running");
        assertEquals(Subtask.State.SUCCESS, straggler.state());
    }

    @Test
    void closeWaitsForEveryTaskEvenWhenTheOwnerIsAlreadyInterruptedAndKeepsTheFlag() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        Scope scope = Scope.open();
        scope.fork(() -> {
            started.countDown();
            try {
                blockUntilInterrupted();
            } catch (InterruptedException e) {
                Thread.sleep(100);
            }
            finished.set(true);
            return null;
        });
        await(started);
        Thread.currentThread().interrupt();
        assertThrows(IllegalStateException.class, scope::close); // forked, never joined
        assertTrue(Thread.interrupted(), "close must leave the interrupt flag set");
        assertTrue(finished.get(), "an interrupted close returned before its task ended");
    }

    @Test
    void closeInterruptedWhileWaitingKeepsWaitingAndReassertsTheFlag() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        Thread owner = Thread.currentThread();
        Scope scope = Scope.open();
        scope.fork(() -> {
            started.countDown();
            try {
                blockUntilInterrupted();
            } catch (InterruptedException e) {
                cancelled.countDown();
                awaitUninterruptibly(release);
            }
            finished.set(true);
            return null;
        });
        await(started);
        TestSupport.Helper<Void> interrupter = onNewThread("interrupter", () -> {
            await(cancelled);      // close has cancelled the scope ...
            awaitBlocked(owner);   // ... and waits for the task
            owner.interrupt();
            release.countDown();
            return null;
        });
        assertThrows(IllegalStateException.class, scope::close);
        assertTrue(Thread.interrupted(), "close must re-assert the interrupt it swallowed while waiting");
        interrupter.get();
        assertTrue(finished.get(), "an interrupted close returned before its task ended");
    }
}
