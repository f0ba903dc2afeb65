package dev.weft;

import static dev.weft.TestSupport.await;
import static dev.weft.TestSupport.awaitBlocked;
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
import dev.weft.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Scope deadlines on a ManualTime clock (plus two real-time smoke tests with generous bounds). */
@ExtendWith(LeakCheckExtension.class)
class DeadlineTest {
    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    private final ManualTime time = new ManualTime();

    private static Subtask<Void> forkBlocked(Scope scope, CountDownLatch started) {
        return scope.fork(() -> {
            started.countDown();
            return blockUntilInterrupted();
        });
    }

    @Test
    void atTheDeadlineJoinThrowsDeadlineExceededOnlyAfterTheStragglersEnd() throws Exception {
        CountDownLatch started = new CountDownLatch(2);
        CountDownLatch stragglerInterrupted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean stragglerDone = new AtomicBoolean();
        AtomicReference<Scope> scopeRef = new AtomicReference<>();
        TestSupport.Helper<Boolean> owner = onNewThread("owner", () -> {
            try (Scope scope = Scope.open(c -> c.withTimeSource(time).withTimeout(ONE_SECOND))) {
                scopeRef.set(scope);
                forkBlocked(scope, started);
                scope.fork(() -> {
                    started.countDown();
                    try {
                        blockUntilInterrupted();
                    } catch (InterruptedException e) {
                        stragglerInterrupted.countDown();
                        awaitUninterruptibly(release);
                    }
                    stragglerDone.set(true);
                    return null;
                });
                try {
                    scope.join();
                    return null;
                } catch (DeadlineExceededException e) {
                    return stragglerDone.get(); // what join saw when it threw
                }
            }
        });
        await(started);
        awaitBlocked(owner.thread());
        Scope scope = scopeRef.get();
        assertFalse(scope.isCancelled());

        time.advance(ONE_SECOND);

        assertTrue(scope.isCancelled(), "the deadline cancels the scope on the advancing thread");
        assertInstanceOf(DeadlineExceededException.class, scope.context().cause().orElseThrow());
        await(stragglerInterrupted);
        assertFalse(owner.isDone(), "join must wait for the straggler");
        release.countDown();
        assertEquals(Boolean.TRUE, owner.get(), "join threw DeadlineExceededException after the straggler ended");
    }

    @Test
    void theDeadlineFiresExactlyWhenItsTimeComes() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        try (Scope scope = Scope.open(c -> c.withTimeSource(time).withTimeout(ONE_SECOND))) {
            Subtask<Void> task = forkBlocked(scope, started);
            await(started);
            time.advance(Duration.ofMillis(999));
            assertFalse(scope.isCancelled());
            assertEquals(Optional.of(Duration.ofMillis(1)), scope.context().remaining());
            time.advance(Duration.ofMillis(1));
            assertTrue(scope.isCancelled());
            assertEquals(Optional.of(Duration.ZERO), scope.context().remaining());
            DeadlineExceededException e = assertThrows(DeadlineExceededException.class, scope::join);
            assertSame(scope.context().cause().orElseThrow(), e.cause());
            assertEquals(Subtask.State.CANCELLED, task.state());
        }
    }

    @Test
    void aDeadlineAlreadyPastCancelsAtOpenAndNoForkRuns() throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        for (Instant deadline : List.of(time.now().minusSeconds(1), time.now(), Instant.MIN)) {
            try (Scope scope = Scope.open(c -> c.withTimeSource(time).withDeadline(deadline))) {
                assertTrue(scope.isCancelled(), "deadline " + deadline);
                assertInstanceOf(DeadlineExceededException.class, scope.context().cause().orElseThrow());
                Subtask<Boolean> task = scope.fork(() -> ran.getAndSet(true));
                assertEquals(Subtask.State.CANCELLED, task.state());
                assertThrows(DeadlineExceededException.class, scope::join);
            }
        }
        assertFalse(ran.get());
    }

    @Test
    void aClockThatPassesTheDeadlineWhileTheScopeOpensStillFiresIt() throws Exception {
        // The clock jumps 2 s between the scope's first reading and the scheduling of its 1 s
        // deadline (as a concurrent ManualTime.advance can): the deadline is in the past by then
        // and must fire at once, not 1 s after the jump.
        TimeSource jumping = new TimeSource() {
            private boolean jumped;

            @Override
            public long nanoTime() {
                return time.nanoTime();
            }

            @Override
            public Instant now() {
                if (!jumped) {
                    jumped = true;
                    time.advance(Duration.ofSeconds(2));
                }
                return time.now();
            }

            @Override
            public Scheduled schedule(Duration delay, Runnable action) {
                return time.schedule(delay, action);
            }

            @Override
            public Scheduled scheduleAt(long dueNanos, Runnable action) {
                return time.scheduleAt(dueNanos, action);
            }
        };
        try (Scope scope = Scope.open(c -> c.withTimeSource(jumping).withTimeout(ONE_SECOND))) {
            assertEquals(Optional.of(Duration.ZERO), scope.context().remaining());
            assertTrue(scope.isCancelled(), "the deadline had passed when the scope finished opening");
            assertInstanceOf(DeadlineExceededException.class, scope.context().cause().orElseThrow());
            assertEquals(Subtask.State.CANCELLED, scope.fork(() -> "never runs").state());
            assertThrows(DeadlineExceededException.class, scope::join);
        }
        assertEquals(0, time.pending(), "no timer left behind");
    }

    @Test
    void theEarlierOfTimeoutAndDeadlineApplies() throws Exception {
        Instant start = time.now();
        try (Scope a = Scope.open(c -> c.withTimeSource(time).withTimeout(Duration.ofSeconds(5))
                .withDeadline(start.plusSeconds(2)))) {
            assertEquals(Optional.of(start.plusSeconds(2)), a.context().deadline());
            a.join();
        }
        try (Scope b = Scope.open(c -> c.withTimeSource(time).withDeadline(start.plusSeconds(5))
                .withTimeout(Duration.ofSeconds(2)))) {
            assertEquals(Optional.of(start.plusSeconds(2)), b.context().deadline());
            time.advance(Duration.ofSeconds(2));
            assertTrue(b.isCancelled());
            b.join();
        }
    }

    @Test
    void aChildInheritsItsParentsEarlierDeadline() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        try (Scope outer = Scope.open(c -> c.withTimeSource(time).withTimeout(ONE_SECOND))) {
            try (Scope child = Scope.open(c -> c.withTimeout(Duration.ofSeconds(5)))) {
                assertEquals(outer.context().deadline(), child.context().deadline());
                assertEquals(Optional.of(ONE_SECOND), child.context().remaining());
                forkBlocked(child, started);
                await(started);
                time.advance(ONE_SECOND);
                assertTrue(child.isCancelled());
                assertThrows(DeadlineExceededException.class, child::join);
            }
            assertTrue(outer.isCancelled());
            outer.join();
        }
    }

    @Test
    void aChildsOwnEarlierDeadlineCancelsTheChildButNotTheParent() throws Exception {
        CountDownLatch started = new CountDownLatch(2);
        try (Scope outer = Scope.open(c -> c.withTimeSource(time).withTimeout(Duration.ofSeconds(5)))) {
            Subtask<Void> outerTask = forkBlocked(outer, started);
            try (Scope child = Scope.open(c -> c.withTimeout(ONE_SECOND))) {
                assertEquals(Optional.of(time.now().plusSeconds(1)), child.context().deadline());
                forkBlocked(child, started);
                await(started);
                time.advance(ONE_SECOND);
                assertTrue(child.isCancelled());
                assertThrows(DeadlineExceededException.class, child::join);
            }
            assertFalse(outer.isCancelled());
            assertEquals(Subtask.State.RUNNING, outerTask.state());
            assertEquals(Optional.of(Duration.ofSeconds(4)), outer.context().remaining());
            time.advance(Duration.ofSeconds(4));
            assertThrows(DeadlineExceededException.class, outer::join);
        }
    }

    @Test
    void theDeadlineCancelsEvenWithoutFailFast() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        try (Scope scope = Scope.open(c -> c.withTimeSource(time).withTimeout(ONE_SECOND).withFailFast(false))) {
            Subtask<Void> task = forkBlocked(scope, started);
            await(started);
            time.advance(ONE_SECOND);
            assertThrows(DeadlineExceededException.class, scope::join);
            assertEquals(Subtask.State.CANCELLED, task.state());
        }
    }

    @Test
    void aFailureBeforeTheDeadlineIsReportedAsAFailureAndTheDeadlineNoLongerMatters() throws Exception {
        IllegalStateException boom = new IllegalStateException("boom");
        try (Scope scope = Scope.open(c -> c.withTimeSource(time).withTimeout(ONE_SECOND))) {
            Subtask<Void> task = scope.fork(() -> {
                throw boom;
            });
            TestSupport.awaitCondition(() -> task.state() == Subtask.State.FAILED, "the task failed");
            time.advance(Duration.ofSeconds(2));
            ScopeFailedException e = assertThrows(ScopeFailedException.class, scope::join);
            assertSame(boom, e.getCause());
            assertSame(boom, scope.context().cause().orElseThrow());
        }
    }

    @Test
    void aRealFailureAfterTheDeadlineIsSuppressedOnTheDeadlineExceeded() throws Exception {
        IllegalStateException late = new IllegalStateException("late");
        CountDownLatch started = new CountDownLatch(1);
        try (Scope scope = Scope.open(c -> c.withTimeSource(time).withTimeout(ONE_SECOND))) {
            scope.fork(() -> {
                started.countDown();
                try {
                    blockUntilInterrupted();
                } catch (InterruptedException e) {
                    throw late;
                }
            });
            await(started);
            time.advance(ONE_SECOND);
            DeadlineExceededException e = assertThrows(DeadlineExceededException.class, scope::join);
            assertEquals(List.of(late), List.of(e.getSuppressed()));
        }
    }

    @Test
    void closeCancelsThePendingDeadlineTimer() throws Exception {
        try (Scope scope = Scope.open(c -> c.withTimeSource(time).withTimeout(ONE_SECOND))) {
            assertEquals(1, time.pending());
            try (Scope child = Scope.open(c -> c.withTimeout(Duration.ofSeconds(5)))) {
                assertEquals(1, time.pending(), "a later child deadline needs no timer of its own");
                child.join();
            }
            scope.fork(() -> 1);
            scope.join();
        }
        assertEquals(0, time.pending(), "closed scopes leave no timers behind");
    }

    @Test
    void aHugeTimeoutSaturatesInsteadOfOverflowing() throws Exception {
        try (Scope scope = Scope.open(c -> c.withTimeSource(time).withTimeout(Duration.ofSeconds(Long.MAX_VALUE)))) {
            assertTrue(scope.context().deadline().isPresent());
            time.advance(Duration.ofDays(365L * 100));
            assertFalse(scope.isCancelled());
            scope.join();
        }
        try (Scope scope = Scope.open(c -> c.withTimeSource(time).withDeadline(Instant.MAX))) {
            time.advance(Duration.ofDays(365L * 100));
            assertFalse(scope.isCancelled());
            scope.join();
        }
    }

    // ---- real time: smoke tests only, with bounds 100x wider than the timeouts ---------------

    @Test
    void realTimeTimeoutInterruptsASleepingTask() throws Exception {
        long start = System.nanoTime();
        try (Scope scope = Scope.open(c -> c.withTimeout(Duration.ofMillis(50)))) {
            Subtask<Void> sleeper = scope.fork(() -> Thread.sleep(Duration.ofMinutes(1)));
            assertThrows(DeadlineExceededException.class, scope::join);
            assertEquals(Subtask.State.CANCELLED, sleeper.state());
        }
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(10)) < 0);
    }

    @Test
    void realTimeDeadlineReachesANestedScope() throws Exception {
        long start = System.nanoTime();
        try (Scope outer = Scope.open(c -> c.withDeadline(Instant.now().plusMillis(50)))) {
            Subtask<Throwable> nested = outer.fork(() -> {
                try (Scope inner = Scope.open()) {
                    inner.fork(() -> Thread.sleep(Duration.ofMinutes(1)));
                    try {
                        inner.join();
                    } catch (InterruptedException | DeadlineExceededException e) {
                        // the outer cancellation interrupted this task (the inner scope's owner),
                        // or the inner join saw its task cancelled first
                    }
                    return inner.context().cause().orElseThrow();
                }
            });
            outer.join();
            assertInstanceOf(DeadlineExceededException.class, nested.get());
        }
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(10)) < 0);
    }
}
