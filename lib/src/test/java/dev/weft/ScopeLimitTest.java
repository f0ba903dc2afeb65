package dev.weft;

import static dev.weft.TestSupport.awaitCondition;
import static dev.weft.TestSupport.awaitUninterruptibly;
import static dev.weft.TestSupport.blockUntilInterrupted;
import static dev.weft.TestSupport.onNewThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.time.ManualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scope limits: errgroup's SetLimit/TryGo suite adapted to weft's lifecycle (ADR 0007), and what
 * happens to a fork that waits for a slot when the scope is cancelled, its deadline passes or its
 * thread is interrupted.
 */
@ExtendWith(LeakCheckExtension.class)
class ScopeLimitTest {

    /** Waits until {@code thread} is parked in the scope's slot semaphore (not merely blocked somewhere). */
    static void awaitWaitingForASlot(Thread thread) {
        awaitCondition(() -> thread.getState() == Thread.State.WAITING && Arrays.stream(thread.getStackTrace())
                .anyMatch(f -> f.getClassName().equals("dev.weft.Semaphore") && f.getMethodName().equals("await")),
                thread + " waits for a slot");
    }

    /** errgroup's TestGoLimit: 1 025 tasks on a limit of 10, every task checks how many are active. */
    @Test
    void aLimitOfTenWithOneThousandTwentyFiveTasksNeverHasMoreThanTenActive() throws Exception {
        int limit = 10;
        AtomicInteger active = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        try (Scope scope = Scope.open(c -> c.withLimit(limit))) {
            for (int i = 0; i <= 1 << 10; i++) {
                scope.fork(() -> {
                    int n = active.incrementAndGet();
                    peak.accumulateAndGet(n, Math::max);
                    if (n > limit) {
                        throw new AssertionError(n + " tasks active, more than the limit of " + limit);
                    }
                    LockSupport.parkNanos(1_000); // give the others a chance to increment active
                    active.decrementAndGet();
                });
            }
            scope.join();
        }
        assertTrue(peak.get() >= 1 && peak.get() <= limit, "peak " + peak.get());
        assertEquals(0, active.get());
    }

    /** The same bound when the forks come from one of the scope's own tasks (which holds a slot itself). */
    @Test
    void forksFromATaskAreLimitedTooAndTheForkingTaskCountsAsAlive() throws Exception {
        int limit = 4;
        AtomicInteger active = new AtomicInteger(1); // the forking task
        AtomicInteger peak = new AtomicInteger();
        try (Scope scope = Scope.open(c -> c.withLimit(limit))) {
            scope.fork(() -> {
                for (int i = 0; i < 200; i++) {
                    scope.fork(() -> {
                        peak.accumulateAndGet(active.incrementAndGet(), Math::max);
                        Thread.yield();
                        active.decrementAndGet();
                    });
                }
            });
            scope.join();
        }
        assertTrue(peak.get() <= limit, "peak " + peak.get() + " with a limit of " + limit);
    }

    /**
     * errgroup's TestTryGo, adapted: weft forbids fork after join (ADR 0003), so "TryGo succeeds
     * again after Wait" becomes "tryFork succeeds again once the running tasks have ended and
     * given their slots back", and "SetLimit(1) on the same group" becomes a new scope.
     */
    @Test
    void tryForkSucceedsUpToTheLimitFailsBeyondItAndSucceedsAgainOnceTasksHaveEnded() throws Exception {
        int limit = 42;
        CountDownLatch release = new CountDownLatch(1);
        try (Scope scope = Scope.open(c -> c.withLimit(limit))) {
            List<Subtask<Void>> first = new ArrayList<>();
            for (int i = 0; i < limit; i++) {
                Optional<Subtask<Void>> t = scope.tryFork(() -> awaitUninterruptibly(release));
                assertTrue(t.isPresent(), "tryFork should succeed at call " + i);
                first.add(t.get());
            }
            assertTrue(scope.tryFork(() -> 1).isEmpty(), "the 43rd tryFork must fail");
            release.countDown();
            awaitCondition(() -> first.stream().allMatch(t -> t.state() == Subtask.State.SUCCESS),
                    "the first 42 tasks have ended");
            CountDownLatch again = new CountDownLatch(1);
            for (int i = 0; i < limit; i++) {
                assertTrue(scope.tryFork(() -> awaitUninterruptibly(again)).isPresent(),
                        "every slot is free again: tryFork " + i + " after the tasks ended");
            }
            assertTrue(scope.tryFork(() -> 1).isEmpty(), "and the limit still holds");
            again.countDown();
            scope.join();
        }
        try (Scope one = Scope.open(c -> c.withLimit(1))) {
            CountDownLatch hold = new CountDownLatch(1);
            assertTrue(one.tryFork(() -> awaitUninterruptibly(hold)).isPresent());
            assertTrue(one.tryFork(() -> 1).isEmpty());
            hold.countDown();
            one.join();
        }
    }

    @Test
    void tryForkOnAScopeWithoutALimitAlwaysForks() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        try (Scope scope = Scope.open()) {
            List<Subtask<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                tasks.add(scope.tryFork(() -> awaitUninterruptibly(hold)).orElseThrow());
            }
            Subtask<Integer> value = scope.tryFork(() -> 7).orElseThrow();
            hold.countDown();
            scope.join();
            assertEquals(7, value.get());
            assertTrue(tasks.stream().allMatch(t -> t.state() == Subtask.State.SUCCESS));
        }
    }

    @Test
    void aForkWaitingForASlotStartsWhenARunningTaskEnds() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean secondStarted = new AtomicBoolean();
        AtomicBoolean firstEndedBeforeSecond = new AtomicBoolean();
        AtomicBoolean firstEnded = new AtomicBoolean();
        var owner = onNewThread("owner", () -> {
            try (Scope scope = Scope.open(c -> c.withLimit(1))) {
                scope.fork(() -> {
                    awaitUninterruptibly(release);
                    firstEnded.set(true);
                });
                Subtask<Void> second = scope.fork(() -> {
                    firstEndedBeforeSecond.set(firstEnded.get());
                    secondStarted.set(true);
                });
                scope.join();
                return second.state();
            }
        });
        awaitWaitingForASlot(owner.thread());
        assertFalse(secondStarted.get(), "the second fork waits while the first task holds the only slot");
        release.countDown();
        assertEquals(Subtask.State.SUCCESS, owner.get());
        assertTrue(firstEndedBeforeSecond.get(), "the second task started only after the first had ended");
    }

    @Test
    void theOwnerWaitingForASlotIsWokenByTheDeadlineWithoutAnInterruptAndTheForkNeverRuns() throws Exception {
        ManualTime time = new ManualTime();
        AtomicBoolean secondRan = new AtomicBoolean();
        var owner = onNewThread("owner", () -> {
            try (Scope scope = Scope.open(c -> c.withTimeSource(time).withTimeout(Duration.ofSeconds(1)).withLimit(1))) {
                Subtask<Void> holder = scope.fork(TestSupport::blockUntilInterrupted);
                Subtask<Void> second = scope.fork(() -> secondRan.set(true));
                String woke = second.state() + " interrupted=" + Thread.currentThread().isInterrupted();
                assertThrows(DeadlineExceededException.class, scope::join);
                return woke + " holder=" + holder.state();
            }
        });
        awaitWaitingForASlot(owner.thread());
        time.advance(Duration.ofSeconds(1));
        assertEquals("CANCELLED interrupted=false holder=CANCELLED", owner.get());
        assertFalse(secondRan.get(), "a fork whose scope was cancelled while it waited never runs");
    }

    @Test
    void aCancelFromAnotherThreadWakesTheWaitingOwnerAndTheForkNeverRuns() throws Exception {
        AtomicReference<Scope> published = new AtomicReference<>();
        AtomicBoolean secondRan = new AtomicBoolean();
        IllegalStateException cause = new IllegalStateException("shutting down");
        var owner = onNewThread("owner", () -> {
            try (Scope scope = Scope.open(c -> c.withLimit(1))) {
                published.set(scope);
                scope.fork(TestSupport::blockUntilInterrupted);
                Subtask<Void> second = scope.fork(() -> secondRan.set(true));
                CancelledException e = assertThrows(CancelledException.class, scope::join);
                assertSame(cause, e.cause());
                return second.state() + " interrupted=" + Thread.currentThread().isInterrupted();
            }
        });
        awaitCondition(() -> published.get() != null, "the scope is open");
        awaitWaitingForASlot(owner.thread());
        published.get().cancel(cause);
        assertEquals("CANCELLED interrupted=false", owner.get());
        assertFalse(secondRan.get());
    }

    /** The slot a failing task frees goes to a waiting fork only after the failure has cancelled the scope: it never runs. */
    @Test
    void aTaskWaitingToForkIsWokenByItsSiblingsFailureAndItsForkNeverRuns() throws Exception {
        IllegalStateException boom = new IllegalStateException("boom");
        CountDownLatch fail = new CountDownLatch(1);
        AtomicReference<Thread> forker = new AtomicReference<>();
        AtomicBoolean childRan = new AtomicBoolean();
        try (Scope scope = Scope.open(c -> c.withLimit(2))) {
            scope.fork(() -> {
                awaitUninterruptibly(fail);
                throw boom;
            });
            Subtask<Subtask.State> waiting = scope.fork(() -> {
                forker.set(Thread.currentThread());
                Subtask<Void> child = scope.fork(() -> childRan.set(true)); // both slots are taken: waits
                return child.state();
            });
            awaitCondition(() -> forker.get() != null, "the forking task runs");
            awaitWaitingForASlot(forker.get());
            fail.countDown();
            ScopeFailedException e = assertThrows(ScopeFailedException.class, scope::join);
            assertSame(boom, e.getCause());
            assertEquals(Subtask.State.SUCCESS, waiting.state(), "the waiting fork returned, it did not throw");
            assertEquals(Subtask.State.CANCELLED, waiting.get());
        }
        assertFalse(childRan.get(), "nothing starts after the failure");
    }

    /**
     * fork cannot throw InterruptedException, so an interrupt of a thread waiting for a slot
     * cancels the scope: the fork returns a CANCELLED subtask at once (no hang), join reports the
     * cancellation (the task is not silently dropped), and the interrupt flag stays set.
     */
    @Test
    void anInterruptOfTheOwnerWaitingForASlotCancelsTheScopeKeepsTheFlagAndJoinReportsIt() throws Exception {
        AtomicBoolean secondRan = new AtomicBoolean();
        var owner = onNewThread("owner", () -> {
            try (Scope scope = Scope.open(c -> c.withLimit(1).withName("limited"))) {
                Subtask<Void> holder = scope.fork(TestSupport::blockUntilInterrupted);
                Subtask<Void> second = scope.fork(() -> secondRan.set(true));
                String afterFork = second.state() + " cancelled=" + scope.isCancelled()
                        + " flag=" + Thread.currentThread().isInterrupted();
                CancelledException e = assertThrows(CancelledException.class, scope::join);
                assertTrue(e.getMessage().contains("interrupted"), e.getMessage());
                assertInstanceOf(InterruptedException.class, e.cause().getCause());
                String afterJoin = " holder=" + holder.state() + " flag=" + Thread.interrupted();
                return afterFork + afterJoin;
            }
        });
        awaitWaitingForASlot(owner.thread());
        owner.thread().interrupt();
        assertEquals("CANCELLED cancelled=true flag=true holder=CANCELLED flag=true", owner.get());
        assertFalse(secondRan.get());
    }

    @Test
    void aForkOnACancelledFullScopeReturnsAtOnceWithoutWaiting() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        var owner = onNewThread("owner", () -> {
            try (Scope scope = Scope.open(c -> c.withLimit(1))) {
                scope.fork(() -> awaitUninterruptibly(release)); // keeps its slot through the cancel
                scope.cancel();
                Subtask<Integer> late = scope.fork(() -> 1);
                Optional<Subtask<Integer>> tried = scope.tryFork(() -> 2);
                release.countDown();
                assertThrows(CancelledException.class, scope::join);
                return late.state() + " " + tried.map(Subtask::state).orElse(null);
            }
        });
        assertEquals("CANCELLED CANCELLED", owner.get());
    }

    /** Strict FIFO: a slot that frees up goes to the fork that has been waiting for it, not to a later tryFork. */
    @Test
    void aFreedSlotGoesToTheWaitingForkNotToALaterTryFork() throws Exception {
        CountDownLatch releaseFirst = new CountDownLatch(1);
        CountDownLatch releaseChild = new CountDownLatch(1);
        AtomicReference<Thread> forker = new AtomicReference<>();
        AtomicBoolean childStarted = new AtomicBoolean();
        try (Scope scope = Scope.open(c -> c.withLimit(2))) {
            Subtask<Void> first = scope.fork(() -> awaitUninterruptibly(releaseFirst));
            scope.fork(() -> {
                forker.set(Thread.currentThread());
                scope.fork(() -> {
                    childStarted.set(true);
                    awaitUninterruptibly(releaseChild);
                });
                awaitUninterruptibly(releaseChild); // the forking task keeps its own slot too
            });
            awaitCondition(() -> forker.get() != null, "the forking task runs");
            awaitWaitingForASlot(forker.get());
            assertTrue(scope.tryFork(() -> 1).isEmpty(), "full");
            releaseFirst.countDown();
            awaitCondition(() -> first.state() == Subtask.State.SUCCESS, "the first task has ended");
            assertTrue(scope.tryFork(() -> 1).isEmpty(), "the freed slot went to the waiting fork");
            awaitCondition(childStarted::get, "the waiting fork's task starts");
            releaseChild.countDown();
            scope.join();
        }
    }

    @Test
    void aThreadFactoryThatThrowsGivesTheSlotBack() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        ThreadFactory flaky = r -> {
            if (calls.getAndIncrement() == 0) {
                throw new IllegalStateException("no threads today");
            }
            return Thread.ofVirtual().unstarted(r);
        };
        ThreadFactory nullOnce = r -> calls.getAndIncrement() == 2 ? null : Thread.ofVirtual().unstarted(r);
        try (Scope scope = Scope.open(c -> c.withLimit(1).withThreadFactory(flaky))) {
            assertThrows(IllegalStateException.class, () -> scope.fork(() -> 1));
            Subtask<Integer> ok = scope.tryFork(() -> 2).orElseThrow(() -> new AssertionError("the slot was not given back"));
            scope.join();
            assertEquals(2, ok.get());
        }
        try (Scope scope = Scope.open(c -> c.withLimit(1).withThreadFactory(nullOnce))) {
            assertThrows(NullPointerException.class, () -> scope.fork(() -> 1));
            assertTrue(scope.tryFork(() -> 2).isPresent(), "the slot was given back after a null thread");
            scope.join();
        }
    }

    @Test
    void nestedScopesDoNotInheritTheLimit() throws Exception {
        CyclicBarrier allThreeAlive = new CyclicBarrier(3);
        try (Scope outer = Scope.open(c -> c.withLimit(1))) {
            Subtask<Integer> inTask = outer.fork(() -> {
                try (Scope inner = Scope.open()) {
                    for (int i = 0; i < 3; i++) {
                        inner.fork(() -> allThreeAlive.await(TestSupport.WAIT.toMillis(), TimeUnit.MILLISECONDS));
                    }
                    inner.join();
                }
                return 3;
            });
            outer.join();
            assertEquals(3, inTask.get());
        }
    }

    @Test
    void theLimitIsFixedWhenTheScopeOpens() throws Exception {
        Scope.Config[] kept = new Scope.Config[1];
        try (Scope scope = Scope.open(c -> kept[0] = c.withLimit(1))) {
            Scope.Config changed = kept[0].withLimit(5);
            assertEquals("Scope.Config[name=null, timeout=null, deadline=null, failFast=true, limit=1, values=0]",
                    kept[0].toString(), "a Config is immutable: withLimit returned a new one");
            assertTrue(changed.toString().contains("limit=5"));
            CountDownLatch hold = new CountDownLatch(1);
            assertTrue(scope.tryFork(() -> awaitUninterruptibly(hold)).isPresent());
            assertTrue(scope.tryFork(() -> 1).isEmpty(), "the scope kept the limit it was opened with");
            hold.countDown();
            scope.join();
        }
    }

    @Test
    void badLimitsAndTryForkMisuseAreRejectedClearly() throws Exception {
        assertEquals("limit must be positive, was 0",
                assertThrows(IllegalArgumentException.class, () -> Scope.open(c -> c.withLimit(0))).getMessage());
        assertEquals("limit must be positive, was -1",
                assertThrows(IllegalArgumentException.class, () -> Scope.open(c -> c.withLimit(-1))).getMessage());
        assertSame(Context.ROOT, Context.current(), "no scope was opened");
        Scope scope = Scope.open(c -> c.withLimit(2).withName("tried"));
        try {
            assertEquals("task", assertThrows(NullPointerException.class,
                    () -> scope.tryFork((java.util.concurrent.Callable<Object>) null)).getMessage());
            assertEquals("task", assertThrows(NullPointerException.class,
                    () -> scope.tryFork((CheckedRunnable) null)).getMessage());
            var stranger = onNewThread("stranger", () -> scope.tryFork(() -> 1));
            assertInstanceOf(WrongThreadException.class, stranger.failure());
            scope.join();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> scope.tryFork(() -> 1));
            assertTrue(e.getMessage().contains("tried") && e.getMessage().contains("joined"), e.getMessage());
        } finally {
            scope.close();
        }
    }

    /**
     * Rounds of a limited scope cancelled by another thread while the owner forks into it, at
     * every point from "before the first fork" to "while the owner waits for a slot": no hang,
     * nothing runs uninterrupted after cancel() returned, never more than the limit alive.
     */
    @Test
    void cancellingWhileTheOwnerForksIntoAFullScopeNeverHangsAndNothingRunsUninterruptedAfterwards() throws Exception {
        for (int round = 0; round < 200; round++) {
            AtomicBoolean cancelReturned = new AtomicBoolean();
            AtomicBoolean startedAfterCancel = new AtomicBoolean();
            AtomicInteger active = new AtomicInteger();
            AtomicInteger peak = new AtomicInteger();
            AtomicInteger forksMade = new AtomicInteger();
            int cancelAfter = round % 5; // the owner blocks on its 4th fork: the limit is 3
            int spins = round * 7 % 300;
            try (Scope scope = Scope.open(c -> c.withLimit(3))) {
                Thread canceller = Thread.ofPlatform().start(() -> {
                    while (forksMade.get() < cancelAfter) {
                        Thread.onSpinWait();
                    }
                    for (int i = 0; i < spins; i++) {
                        Thread.onSpinWait();
                    }
                    scope.cancel();
                    cancelReturned.set(true);
                });
                List<Subtask<Void>> tasks = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    forksMade.incrementAndGet();
                    tasks.add(scope.fork(() -> {
                        // A task may pass its start check just before the cancel and run its first
                        // line just after: then it has been interrupted (see ForkRacingCancel).
                        if (cancelReturned.get() && !Thread.currentThread().isInterrupted()) {
                            startedAfterCancel.set(true);
                        }
                        peak.accumulateAndGet(active.incrementAndGet(), Math::max);
                        try {
                            blockUntilInterrupted();
                        } finally {
                            active.decrementAndGet();
                        }
                    }));
                }
                canceller.join();
                assertThrows(CancelledException.class, scope::join);
                for (Subtask<Void> t : tasks) {
                    assertEquals(Subtask.State.CANCELLED, t.state(), "round " + round);
                }
            }
            assertFalse(startedAfterCancel.get(), "round " + round + ": a task ran uninterrupted after cancel() returned");
            assertTrue(peak.get() <= 3, "round " + round + ": peak " + peak.get());
        }
    }
}
