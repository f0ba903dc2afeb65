package dev.weft.time;

import static dev.weft.TestSupport.onNewThread;
import static dev.weft.time.Clocks.parkedOn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.CancelledException;
import dev.weft.Context;
import dev.weft.DeadlineExceededException;
import dev.weft.LeakCheckExtension;
import dev.weft.TestSupport;
import dev.weft.Scope;
import dev.weft.ScopeFailedException;
import dev.weft.Subtask;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Sleep: Go's time.Sleep inside a context, on the context's clock, woken by cancellation and deadlines. */
@ExtendWith(LeakCheckExtension.class)
@SuppressWarnings("try") // scopes opened only to set the context (clock, deadline) of the code inside
@Timeout(60) // a hang guard: a regression that waits forever fails (the test thread is interrupted)
class SleepTest {

    @Test
    void aSleepOnManualTimeEndsExactlyWhenAdvanceReachesItsEnd() throws Exception {
        ManualTime time = new ManualTime();
        var sleeper = onNewThread("sleeper", () -> {
            try (var scope = Scope.open(c -> c.withTimeSource(time))) {
                Sleep.sleep(Duration.ofSeconds(1));
                return time.nanoTime();
            }
        });
        parkedOn(time, 1, sleeper.thread());
        time.advance(Duration.ofMillis(999));
        parkedOn(time, 1, sleeper.thread());
        assertFalse(sleeper.isDone(), "one millisecond short of its end");
        time.advance(Duration.ofMillis(1));
        assertEquals(1_000_000_000L, sleeper.get());
        assertEquals(0, time.pending());
    }

    @Test
    void sleepUntilTakesAnAbsoluteDueTimeAndAReachedOneReturnsAtOnceSchedulingNothing() throws Exception {
        ManualTime time = new ManualTime();
        time.advance(Duration.ofSeconds(5));
        try (var scope = Scope.open(c -> c.withTimeSource(time))) {
            Sleep.sleepUntil(4_000_000_000L);
            Sleep.sleepUntil(5_000_000_000L);
            assertEquals(0, time.pending());
        }
        var sleeper = onNewThread("sleeper", () -> {
            try (var scope = Scope.open(c -> c.withTimeSource(time))) {
                Sleep.sleepUntil(7_000_000_000L); // 2 s ahead, whatever the clock read when it was computed
                return time.nanoTime();
            }
        });
        parkedOn(time, 1, sleeper.thread());
        time.advance(Duration.ofSeconds(2));
        assertEquals(7_000_000_000L, sleeper.get());
    }

    @Test
    void cancellationWakesTheOwnerWithoutAnInterruptAndCancelsTheWakeUp() throws Exception {
        ManualTime time = new ManualTime();
        AtomicReference<Scope> scopeRef = new AtomicReference<>();
        IllegalStateException cause = new IllegalStateException("shutting down");
        var owner = onNewThread("owner", () -> {
            try (var scope = Scope.open(c -> c.withTimeSource(time))) {
                scopeRef.set(scope);
                Sleep.sleep(Duration.ofDays(1));
                return "slept";
            } catch (CancelledException e) {
                return "cancelled by " + e.cause().getMessage() + ", interrupted=" + Thread.currentThread().isInterrupted()
                        + ", pending=" + time.pending();
            }
        });
        parkedOn(time, 1, owner.thread());
        scopeRef.get().cancel(cause);
        assertEquals("cancelled by shutting down, interrupted=false, pending=0", owner.get());
        assertEquals(0, time.nanoTime(), "no virtual time passed");
    }

    @Test
    void theDeadlineEndsALongerSleepWithDeadlineExceeded() throws Exception {
        ManualTime time = new ManualTime();
        var sleeper = onNewThread("sleeper", () -> {
            try (var scope = Scope.open(c -> c.withTimeSource(time).withTimeout(Duration.ofSeconds(1)))) {
                Sleep.sleep(Duration.ofSeconds(5));
                return "slept";
            }
        });
        parkedOn(time, 2, sleeper.thread()); // the scope's deadline and the sleep's wake-up
        time.advance(Duration.ofSeconds(1));
        assertInstanceOf(DeadlineExceededException.class, sleeper.failure());
        assertEquals(0, time.pending(), "the wake-up at 5 s was cancelled");
    }

    @Test
    void aSleepThatEndsWithTheDeadlineReturnsAndTheNextCallSeesTheCancellation() throws Exception {
        ManualTime time = new ManualTime();
        var sleeper = onNewThread("sleeper", () -> {
            try (var scope = Scope.open(c -> c.withTimeSource(time).withTimeout(Duration.ofSeconds(1)))) {
                Sleep.sleep(Duration.ofSeconds(1));
                boolean cancelled = Context.current().isCancelled();
                try {
                    Sleep.sleep(Duration.ZERO);
                    return "second sleep returned";
                } catch (DeadlineExceededException e) {
                    return "slept, cancelled=" + cancelled + ", then DeadlineExceededException";
                }
            }
        });
        parkedOn(time, 2, sleeper.thread());
        time.advance(Duration.ofSeconds(1));
        assertEquals("slept, cancelled=true, then DeadlineExceededException", sleeper.get());
    }

    @Test
    void aSleepInACancelledContextThrowsAtOnceWhateverItsDuration() throws Exception {
        IllegalStateException cause = new IllegalStateException("stop");
        try (var scope = Scope.open()) {
            scope.cancel(cause);
            for (Duration d : new Duration[] {Duration.ZERO, Duration.ofNanos(-1), Duration.ofDays(1)}) {
                CancelledException e = assertThrows(CancelledException.class, () -> Sleep.sleep(d));
                assertSame(cause, e.cause());
            }
            assertThrows(CancelledException.class, () -> Sleep.sleepUntil(Long.MIN_VALUE));
        }
    }

    @Test
    void zeroAndNegativeDurationsReturnAtOnce() throws Exception {
        ManualTime time = new ManualTime();
        try (var scope = Scope.open(c -> c.withTimeSource(time))) {
            Sleep.sleep(Duration.ZERO);
            Sleep.sleep(Duration.ofSeconds(-3));
            Sleep.sleep(Duration.ofSeconds(Long.MIN_VALUE));
            assertEquals(0, time.pending());
        }
    }

    @Test
    void anInterruptThrowsInterruptedExceptionAndClearsTheFlag() throws Exception {
        ManualTime time = new ManualTime();
        var sleeper = onNewThread("sleeper", () -> {
            try (var scope = Scope.open(c -> c.withTimeSource(time))) {
                Sleep.sleep(Duration.ofDays(1));
                return "slept";
            } catch (InterruptedException e) {
                return "interrupted, flag=" + Thread.currentThread().isInterrupted() + ", pending=" + time.pending();
            }
        });
        parkedOn(time, 1, sleeper.thread());
        sleeper.thread().interrupt();
        assertEquals("interrupted, flag=false, pending=0", sleeper.get());

        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> Sleep.sleep(Duration.ZERO));
        assertFalse(Thread.currentThread().isInterrupted(), "consumed, as by Thread.sleep");
    }

    @Test
    void whenInterruptedAndCancelledTheCancellationWinsAndTheFlagStaysSet() throws Exception {
        try (var scope = Scope.open()) {
            scope.cancel();
            Thread.currentThread().interrupt();
            assertThrows(CancelledException.class, () -> Sleep.sleep(Duration.ofSeconds(1)));
            assertTrue(Thread.interrupted(), "the flag is left for the caller (and cleared here)");
        }
    }

    @Test
    void aForkSleepingIsCancelledByItsFailingSiblingAndEndsCancelled() throws Exception {
        ManualTime time = new ManualTime();
        IllegalStateException boom = new IllegalStateException("boom");
        try (var scope = Scope.open(c -> c.withTimeSource(time))) {
            CountDownLatch sleeping = new CountDownLatch(1);
            Subtask<Void> sleeper = scope.fork(() -> {
                sleeping.countDown();
                Sleep.sleep(Duration.ofHours(1));
            });
            assertTrue(sleeping.await(TestSupport.WAIT.toMillis(), TimeUnit.MILLISECONDS));
            TestSupport.awaitCondition(() -> time.pending() == 1, "the fork sleeps");
            scope.fork(() -> {
                throw boom;
            });
            ScopeFailedException e = assertThrows(ScopeFailedException.class, scope::join);
            assertSame(boom, e.getCause());
            assertEquals(Subtask.State.CANCELLED, sleeper.state());
        }
        assertEquals(0, time.pending());
    }

    @Test
    void aNearlyEndlessSleepOnAClockWithNegativeReadingsWaitsInsteadOfOverflowing() throws Exception {
        TimeSource negative = new TimeSource() {
            @Override
            public long nanoTime() {
                return -1_000_000_000L;
            }

            @Override
            public Instant now() {
                return Instant.EPOCH;
            }

            @Override
            public Scheduled schedule(Duration delay, Runnable action) {
                return () -> true; // never fires: only the cancellation can end the sleep
            }
        };
        AtomicReference<Scope> scopeRef = new AtomicReference<>();
        var sleeper = onNewThread("sleeper", () -> {
            try (var scope = Scope.open(c -> c.withTimeSource(negative))) {
                scopeRef.set(scope);
                Sleep.sleep(Duration.ofSeconds(Long.MAX_VALUE)); // saturates to Long.MAX_VALUE
                return "returned";
            }
        });
        TestSupport.awaitBlocked(sleeper.thread());
        assertFalse(sleeper.isDone());
        scopeRef.get().cancel();
        assertInstanceOf(CancelledException.class, sleeper.failure());
    }

    @Test
    void aNullDurationIsRejected() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> Sleep.sleep(null));
        assertEquals("duration", e.getMessage());
    }

    // ---- the real clock: smoke tests with generous bounds ----------------------------------

    @Test
    void onTheSystemClockASleepLastsAtLeastItsDuration() throws Exception {
        long start = System.nanoTime();
        Sleep.sleep(Duration.ofMillis(20));
        long took = System.nanoTime() - start;
        assertTrue(took >= 20_000_000L, "slept only " + took + " ns");
        assertTrue(took < TestSupport.WAIT.toNanos(), "slept " + took + " ns");
    }

    @Test
    void onTheSystemClockTheDeadlineEndsALongSleep() throws Exception {
        long start = System.nanoTime();
        try (var scope = Scope.open(c -> c.withTimeout(Duration.ofMillis(50)))) {
            assertThrows(DeadlineExceededException.class, () -> Sleep.sleep(Duration.ofHours(1)));
        }
        long took = System.nanoTime() - start;
        assertTrue(took >= 50_000_000L && took < TestSupport.WAIT.toNanos(), "took " + took + " ns");
    }
}
