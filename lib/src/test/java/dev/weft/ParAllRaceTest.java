package dev.weft;

import static dev.weft.ParMapTest.thrownBy;
import static dev.weft.TestSupport.await;
import static dev.weft.TestSupport.awaitCondition;
import static dev.weft.TestSupport.blockUntilInterrupted;
import static dev.weft.TestSupport.onNewThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Par.all (Jox's par) and Par.race (Jox's race): ordering, fail-fast, first success, losers ended before return. */
@ExtendWith(LeakCheckExtension.class)
class ParAllRaceTest {

    /** Jox's testParRunsComputationsInParallel: the second task ends first, the results keep the input order. */
    @Test
    void allRunsTheTasksAtOnceAndReturnsTheResultsInInputOrder() throws Exception {
        List<String> trail = new CopyOnWriteArrayList<>();
        CountDownLatch bDone = new CountDownLatch(1);
        List<Integer> result = Par.all(List.<Callable<Integer>>of(() -> {
            await(bDone); // cannot finish unless b runs at the same time
            trail.add("a");
            return 1;
        }, () -> {
            trail.add("b");
            bDone.countDown();
            return 2;
        }));
        trail.add("done");
        assertEquals(List.of(1, 2), result);
        assertEquals(List.of("b", "a", "done"), trail);
    }

    /** Jox's testParInterruptsOtherComputationsIfOneFails. */
    @Test
    void allFailsFastTheOthersAreInterruptedAndHaveEndedWhenItThrows() throws Exception {
        List<String> trail = new CopyOnWriteArrayList<>();
        Exception boom = new Exception("boom");
        ScopeFailedException e = assertThrows(ScopeFailedException.class, () -> Par.all(List.<Callable<Object>>of(() -> {
            try {
                return blockUntilInterrupted();
            } finally {
                trail.add("interrupted");
            }
        }, () -> {
            trail.add("exception");
            throw boom;
        })));
        trail.add("catch");
        assertSame(boom, e.getCause());
        assertEquals(List.of("exception", "interrupted", "catch"), trail);
        assertTrue(e.getMessage().contains("Par.all"), e.getMessage());
    }

    @Test
    void allOfNothingIsAnEmptyListAndNullResultsAreKept() throws Exception {
        assertEquals(List.of(), Par.all(List.<Callable<String>>of()));
        assertEquals(Arrays.asList("x", null), Par.all(List.<Callable<String>>of(() -> "x", () -> null)));
    }

    @Test
    void raceReturnsTheFirstSuccessAndTheLosersHaveBeenInterruptedAndEndedBeforeItReturns() throws Exception {
        AtomicBoolean loserEnded = new AtomicBoolean();
        AtomicBoolean loserInterrupted = new AtomicBoolean();
        String winner = Par.race(List.<Callable<String>>of(() -> {
            try {
                return blockUntilInterrupted() + "never";
            } catch (InterruptedException e) {
                loserInterrupted.set(true);
                throw e;
            } finally {
                loserEnded.set(true);
            }
        }, () -> "fast"));
        assertEquals("fast", winner);
        assertTrue(loserInterrupted.get(), "the loser was interrupted");
        assertTrue(loserEnded.get(), "the loser had ended when race returned");
    }

    @Test
    void failuresAreIgnoredWhenATaskSucceedsEvenAfterThem() throws Exception {
        AtomicReference<Thread> failing = new AtomicReference<>();
        String winner = Par.race(List.<Callable<String>>of(() -> {
            failing.set(Thread.currentThread());
            throw new IllegalStateException("503 from replica a");
        }, () -> {
            awaitCondition(() -> failing.get() != null, "replica a runs");
            failing.get().join(); // a has failed and ended: its failure came first
            return "replica b";
        }, () -> {
            throw new IllegalStateException("503 from replica c");
        }));
        assertEquals("replica b", winner);
    }

    @Test
    void whenEveryTaskFailsTheFirstFailureIsTheCauseAndTheOthersAreSuppressedInOrder() throws Exception {
        List<Exception> failures = List.of(new Exception("first"), new Exception("second"), new Exception("third"));
        List<Thread> threads = new CopyOnWriteArrayList<>(Arrays.asList(new Thread[3]));
        List<Callable<String>> tasks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int n = i;
            tasks.add(() -> {
                threads.set(n, Thread.currentThread());
                if (n > 0) {
                    awaitCondition(() -> threads.get(n - 1) != null, "the previous task runs");
                    threads.get(n - 1).join(); // fail only after the previous task has failed and ended
                }
                throw failures.get(n);
            });
        }
        ScopeFailedException e = assertThrows(ScopeFailedException.class, () -> Par.race(tasks));
        assertSame(failures.get(0), e.getCause());
        assertEquals(List.of(failures.get(1), failures.get(2)), Arrays.asList(e.getSuppressed()));
    }

    @Test
    void anErrorIsNeverIgnoredEvenWhenAnotherTaskWon() throws Exception {
        AssertionError bug = new AssertionError("bug in the loser");
        CountDownLatch loserWaiting = new CountDownLatch(1);
        assertSame(bug, assertThrows(AssertionError.class, () -> Par.race(List.<Callable<String>>of(() -> {
            loserWaiting.countDown();
            try {
                return blockUntilInterrupted() + "never";
            } catch (InterruptedException e) {
                throw bug; // fails with an Error while being cancelled as a loser
            }
        }, () -> {
            await(loserWaiting);
            return "winner";
        }))));

        OutOfMemoryError oom = new OutOfMemoryError("simulated");
        AtomicBoolean otherInterrupted = new AtomicBoolean();
        assertSame(oom, assertThrows(OutOfMemoryError.class, () -> Par.race(List.<Callable<String>>of(() -> {
            try {
                return blockUntilInterrupted() + "never";
            } catch (InterruptedException e) {
                otherInterrupted.set(true);
                throw e;
            }
        }, () -> {
            throw oom;
        }))));
        assertTrue(otherInterrupted.get(), "an Error cancels the race at once");

        StackOverflowError deep = new StackOverflowError("simulated");
        IllegalStateException cleanup = new IllegalStateException("cleanup failed while cancelled");
        CountDownLatch otherRunning = new CountDownLatch(1);
        StackOverflowError thrown = assertThrows(StackOverflowError.class, () -> Par.race(List.<Callable<String>>of(() -> {
            otherRunning.countDown();
            try {
                return blockUntilInterrupted() + "never";
            } catch (InterruptedException e) {
                throw cleanup; // a real failure after the cancellation: not lost
            }
        }, () -> {
            await(otherRunning);
            throw deep;
        })));
        assertSame(deep, thrown);
        assertTrue(Arrays.asList(thrown.getSuppressed()).contains(cleanup), Arrays.toString(thrown.getSuppressed()));
    }

    @Test
    void aNullResultCanWinARace() throws Exception {
        assertNull(Par.race(List.<Callable<Object>>of(() -> null, TestSupport::blockUntilInterrupted)));
    }

    @Test
    void aRaceInACancelledContextOrOneCancelledBeforeAnySuccessThrowsTheCancellation() throws Exception {
        try (Scope scope = Scope.open()) {
            scope.cancel();
            assertThrows(CancelledException.class, () -> Par.race(List.<Callable<String>>of(() -> "x")));
            assertThrows(CancelledException.class, () -> Par.all(List.<Callable<String>>of(() -> "x")));
            scope.join();
        }
        AtomicReference<Scope> outer = new AtomicReference<>();
        var caller = onNewThread("caller", () -> {
            try (Scope scope = Scope.open()) {
                outer.set(scope);
                Throwable t = thrownBy(() -> Par.race(List.<Callable<Object>>of(
                        TestSupport::blockUntilInterrupted, TestSupport::blockUntilInterrupted)));
                scope.join();
                return t;
            }
        });
        awaitCondition(() -> outer.get() != null, "the caller's scope is open");
        awaitCondition(() -> caller.thread().getState() == Thread.State.WAITING, "the race is running");
        outer.get().cancel();
        assertInstanceOf(CancelledException.class, caller.get());
    }

    @Test
    void anInterruptOfTheCallerEndsAllAndRaceWithInterruptedExceptionOnceTheirTasksHaveEnded() throws Exception {
        for (boolean race : new boolean[] {false, true}) {
            AtomicInteger running = new AtomicInteger();
            Callable<Object> blocked = () -> {
                running.incrementAndGet();
                try {
                    return blockUntilInterrupted();
                } finally {
                    running.decrementAndGet();
                }
            };
            var caller = onNewThread("caller", () -> race ? Par.race(List.of(blocked, blocked)) : Par.all(List.of(blocked, blocked)));
            awaitCondition(() -> running.get() == 2, "both tasks run");
            caller.thread().interrupt();
            assertInstanceOf(InterruptedException.class, caller.failure(), race ? "race" : "all");
            assertEquals(0, running.get(), "every task had ended when the call threw");
        }
    }
}
