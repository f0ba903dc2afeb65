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
import dev.weft.DeadlineExceededException;
import dev.weft.LeakCheckExtension;
import dev.weft.TestSupport;
import dev.weft.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/**
 * RateLimiter: the test suite of Go's x/time/rate on ManualTime (time in steps of d = 100 ms, as
 * there), plus waiting, deadlines, cancellation, FIFO order, concurrency and bad inputs.
 */
@ExtendWith(LeakCheckExtension.class)
@SuppressWarnings("try") // scopes opened only to set the context (clock, deadline) of the code inside
@Timeout(60) // a hang guard: a regression that waits forever fails (the test thread is interrupted)
class RateLimiterTest {
    private static final long D = 100_000_000L;

    private final ManualTime time = new ManualTime();

    /** Moves the clock to t0 + k * d (t0 = 0). */
    private void at(int k) {
        long target = k * D;
        assertTrue(target >= time.nanoTime(), "ManualTime only moves forward");
        time.advance(Duration.ofNanos(target - time.nanoTime()));
    }

    private RateLimiter limiter(double rate, int burst) {
        return RateLimiter.of(rate, burst, time);
    }

    private record Allow(int t, int n, boolean ok) {}

    private void run(RateLimiter lim, Allow... allows) {
        for (int i = 0; i < allows.length; i++) {
            Allow a = allows[i];
            at(a.t);
            assertEquals(a.ok, lim.tryAcquire(a.n), "step " + i + ": tryAcquire(" + a.n + ") at t" + a.t);
        }
    }

    /** Reserves n at t(k) and checks it may act at t(act); returns the reservation. */
    private RateLimiter.Reservation reserve(RateLimiter lim, int t, int n, int act) {
        at(t);
        RateLimiter.Reservation r = lim.reserve(n);
        long actsAt = time.nanoTime() + r.delay().toNanos();
        assertEquals(act * D, actsAt, "reserve(" + n + ") at t" + t + " acts at t" + act + ", not at " + actsAt + " ns");
        assertEquals(n, r.permits());
        return r;
    }

    private void assertMoreThanBurst(Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains("is more than the limiter's burst"), e.getMessage());
    }

    // ---- x/time/rate: Allow --------------------------------------------------------------

    @Test
    void burstOfOneThenOnePermitPerTick() {
        RateLimiter lim = limiter(10, 1);
        run(lim, new Allow(0, 1, true), new Allow(0, 1, false), new Allow(0, 1, false),
                new Allow(1, 1, true), new Allow(1, 1, false), new Allow(1, 1, false));
        at(2);
        assertMoreThanBurst(() -> lim.tryAcquire(2)); // Go: false; here a request that could never pass throws
        run(lim, new Allow(2, 1, true), new Allow(2, 1, false));
    }

    @Test
    void burstOfThreeThenTheSteadyRate() {
        RateLimiter lim = limiter(10, 3);
        run(lim, new Allow(0, 2, true), new Allow(0, 2, false), new Allow(0, 1, true), new Allow(0, 1, false));
        at(1);
        assertMoreThanBurst(() -> lim.tryAcquire(4));
        run(lim, new Allow(2, 1, true), new Allow(3, 1, true), new Allow(4, 1, true), new Allow(4, 1, true),
                new Allow(4, 1, false), new Allow(4, 1, false), new Allow(9, 3, true), new Allow(9, 0, true));
    }

    @Test
    void simultaneousTryAcquiresGetExactlyTheBurst() throws Exception {
        RateLimiter lim = limiter(1, 5);
        AtomicInteger ok = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                if (lim.tryAcquire()) {
                    ok.incrementAndGet();
                }
            }));
        }
        go.countDown();
        for (Thread t : threads) {
            t.join(TestSupport.WAIT.toMillis());
        }
        assertEquals(5, ok.get());
    }

    @Test
    void aFractionalRateStartsFull() {
        assertTrue(limiter(0.7692307692307693, 1).tryAcquire(), "Go's noTruncationErrors case");
    }

    // ---- x/time/rate: Reserve and Cancel ---------------------------------------------------

    @Test
    void simpleReserve() {
        RateLimiter lim = limiter(10, 2);
        reserve(lim, 0, 2, 0);
        reserve(lim, 0, 2, 2);
        reserve(lim, 3, 2, 4);
    }

    @Test
    void reservesAndTryAcquiresMix() {
        RateLimiter lim = limiter(10, 2);
        assertMoreThanBurst(() -> lim.reserve(3));
        reserve(lim, 0, 2, 0);
        run(lim, new Allow(1, 2, false)); // not enough permits
        reserve(lim, 1, 2, 2);
        run(lim, new Allow(1, 1, false)); // in debt: nobody passes the reservation
        run(lim, new Allow(3, 1, true));
    }

    @Test
    void cancellingTheLastReservationReturnsAllItsPermits() {
        RateLimiter lim = limiter(10, 2);
        reserve(lim, 0, 2, 0);
        RateLimiter.Reservation r = reserve(lim, 0, 2, 2);
        at(1);
        assertTrue(r.cancel());
        reserve(lim, 1, 2, 2);
    }

    @Test
    void cancellingAfterTheTimeToActReturnsNothing() {
        RateLimiter lim = limiter(10, 2);
        reserve(lim, 0, 2, 0);
        RateLimiter.Reservation r = reserve(lim, 0, 2, 2);
        at(3);
        assertFalse(r.cancel(), "too late: the permits count as used");
        reserve(lim, 3, 2, 4);
    }

    @Test
    void cancellingReturnsNothingWhenLaterReservationsTookAsMany() {
        RateLimiter lim = limiter(10, 2);
        reserve(lim, 0, 2, 0);
        RateLimiter.Reservation r = reserve(lim, 0, 1, 1);
        reserve(lim, 0, 1, 2);
        assertFalse(r.cancel());
        reserve(lim, 0, 1, 3);
    }

    @Test
    void cancellingReturnsThePermitsNotTakenByLaterReservations() {
        RateLimiter lim = limiter(10, 2);
        reserve(lim, 0, 2, 0);
        RateLimiter.Reservation r = reserve(lim, 0, 2, 2);
        reserve(lim, 0, 1, 3);
        at(2);
        assertTrue(r.cancel()); // 2 reserved, 1 reserved after it: 1 back
        reserve(lim, 2, 2, 4);
    }

    @Test
    void cancellingSeveralReservations() {
        RateLimiter lim = limiter(10, 4);
        reserve(lim, 0, 4, 0);
        RateLimiter.Reservation a = reserve(lim, 0, 3, 3);
        reserve(lim, 0, 1, 4);
        RateLimiter.Reservation c = reserve(lim, 0, 1, 5);
        at(1);
        assertTrue(c.cancel()); // 1 back
        assertTrue(a.cancel()); // 2 back, as if c had never been reserved
        reserve(lim, 1, 3, 5);
    }

    @Test
    void aReservationCancelledAtTheInstantItWasGrantedReturnsItsPermitsAndASecondCancelNothing() {
        RateLimiter lim = limiter(10, 3);
        RateLimiter.Reservation r = lim.reserve(3);
        assertEquals(Duration.ZERO, r.delay());
        assertTrue(r.cancel(), "the clock has not moved: its time to act has not passed");
        assertTrue(r.isCancelled());
        assertFalse(r.cancel(), "a second cancel gives nothing back (Go's would, again)");
        assertTrue(lim.tryAcquire(3));
        assertFalse(lim.tryAcquire(1), "the permits came back once, not twice");
        assertFalse(lim.reserve(0).cancel(), "a reservation of nothing returns nothing");
    }

    @Test
    void aReservationsDelayCountsDown() {
        RateLimiter lim = limiter(10, 1);
        lim.tryAcquire();
        RateLimiter.Reservation r = lim.reserve(1);
        assertEquals(Duration.ofMillis(100), r.delay());
        time.advance(Duration.ofMillis(40));
        assertEquals(Duration.ofMillis(60), r.delay());
        time.advance(Duration.ofMillis(100));
        assertEquals(Duration.ZERO, r.delay());
        assertTrue(r.toString().contains("1 permits, delay PT0S"), r.toString());
    }

    // ---- x/time/rate: SetLimit and SetBurst ---------------------------------------------------

    @Test
    void aNewRateAppliesToNewRequestsFromTheMomentItIsSet() {
        RateLimiter lim = limiter(5, 2);
        reserve(lim, 0, 2, 0);
        reserve(lim, 0, 2, 4);
        at(2);
        lim.setRate(10);
        assertEquals(10, lim.rate());
        reserve(lim, 2, 1, 4); // the debt of 1 at t2 is paid at the new rate, so this acts with the earlier one
    }

    @Test
    void aNewBurstAppliesFromTheMomentItIsSet() {
        RateLimiter lim = limiter(5, 2);
        reserve(lim, 0, 2, 0);
        reserve(lim, 0, 2, 4);
        at(3);
        lim.setBurst(4);
        assertEquals(4, lim.burst());
        reserve(lim, 3, 4, 12); // debt 0.5 at t3, plus 4, at 5 per second
    }

    @Test
    void aSmallerBurstCapsThePermitsInTheBucket() {
        RateLimiter lim = limiter(10, 5);
        lim.setBurst(2);
        assertEquals(2.0, lim.tokens());
        assertMoreThanBurst(() -> lim.tryAcquire(3));
        assertTrue(lim.tryAcquire(2));
        assertFalse(lim.tryAcquire(1));
    }

    @Test
    void cancellingAfterARateChangeConvertsWithTheRateOfTheReservation() {
        RateLimiter lim = limiter(5, 2);
        reserve(lim, 0, 2, 0);
        RateLimiter.Reservation r = reserve(lim, 0, 2, 4);
        at(2);
        lim.setRate(10);
        assertTrue(r.cancel()); // 2 back
        reserve(lim, 2, 2, 3);
    }

    // ---- acquire: waiting, deadlines, cancellation ------------------------------------------

    @Test
    void acquireWaitsOnTheManualClockUntilThePermitsAreRefilled() throws Exception {
        RateLimiter lim = limiter(10, 1);
        lim.acquire();
        var waiter = onNewThread("waiter", () -> {
            lim.acquire();
            return time.nanoTime();
        });
        parkedOn(time, 1, waiter.thread());
        time.advance(Duration.ofMillis(99));
        parkedOn(time, 1, waiter.thread());
        assertFalse(waiter.isDone());
        time.advance(Duration.ofMillis(1));
        assertEquals(D, waiter.get());
        assertEquals(0, time.pending());
    }

    @Test
    void aWaitBeyondTheDeadlineFailsAtOnceAndTakesNothing() throws Exception {
        RateLimiter lim = limiter(10, 3);
        try (var scope = Scope.open(c -> c.withTimeSource(time).withTimeout(Duration.ofMillis(100)))) {
            lim.acquire(2);
            DeadlineExceededException e = assertThrows(DeadlineExceededException.class, () -> lim.acquire(3));
            assertTrue(e.getMessage().contains("acquire(3) would wait about PT0.2S")
                    && e.getMessage().contains("past the context's deadline in PT0.1S"), e.getMessage());
            assertFalse(scope.isCancelled(), "the deadline itself has not passed");
            assertEquals(0, time.nanoTime(), "it failed without waiting");
            assertEquals(1.0, lim.tokens(), 1e-9, "it took nothing");
            assertTrue(lim.tryAcquire(1));
        }
    }

    @Test
    void aWaitEndingExactlyAtTheDeadlineIsAllowed() throws Exception {
        RateLimiter lim = limiter(10, 1);
        lim.acquire();
        var waiter = onNewThread("waiter", () -> {
            try (var scope = Scope.open(c -> c.withTimeSource(time).withTimeout(Duration.ofMillis(100)))) {
                lim.acquire();
                return "acquired";
            }
        });
        parkedOn(time, 2, waiter.thread()); // the deadline and the wake-up, both at 100 ms
        time.advance(Duration.ofMillis(100));
        assertEquals("acquired", waiter.get());
    }

    @Test
    void requestsOverTheBurstFailAtOnceFromEveryMethod() throws Exception {
        RateLimiter lim = limiter(10, 3);
        assertMoreThanBurst(() -> lim.acquire(4));
        assertMoreThanBurst(() -> lim.tryAcquire(4));
        assertMoreThanBurst(() -> lim.reserve(4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lim.acquire(4));
        assertEquals("n = 4 is more than the limiter's burst of 3: it could never be granted", e.getMessage());
        lim.acquire(0);
        assertTrue(lim.tryAcquire(0));
        assertEquals(3.0, lim.tokens());
    }

    @Test
    void anAcquireInACancelledContextFailsEvenWithPermitsFree() throws Exception {
        RateLimiter lim = limiter(10, 3);
        IllegalStateException cause = new IllegalStateException("stop");
        try (var scope = Scope.open()) {
            scope.cancel(cause);
            CancelledException e = assertThrows(CancelledException.class, () -> lim.acquire(1));
            assertSame(cause, e.cause());
        }
        assertEquals(3.0, lim.tokens());
    }

    @Test
    void aWaiterCancelledWhileWaitingReturnsItsPermits() throws Exception {
        RateLimiter lim = limiter(10, 3);
        lim.acquire(2); // 1 left
        AtomicReference<Scope> scopeRef = new AtomicReference<>();
        var waiter = onNewThread("waiter", () -> {
            try (var scope = Scope.open(c -> c.withTimeSource(time))) {
                scopeRef.set(scope);
                lim.acquire(3); // takes the 1 and goes 2 into debt: acts at t2
                return "acquired";
            }
        });
        parkedOn(time, 1, waiter.thread());
        at(1);
        scopeRef.get().cancel();
        assertInstanceOf(CancelledException.class, waiter.failure());
        assertEquals(2.0, lim.tokens(), 1e-9, "at t1: -2 + 1 refilled + 3 given back");
        assertTrue(lim.tryAcquire(2));
        assertEquals(0, time.pending());
    }

    @Test
    void anInterruptedWaiterThrowsInterruptedExceptionAndReturnsItsPermits() throws Exception {
        RateLimiter lim = limiter(10, 2);
        lim.acquire(2);
        var waiter = onNewThread("waiter", () -> {
            lim.acquire(2);
            return "acquired";
        });
        parkedOn(time, 1, waiter.thread());
        waiter.thread().interrupt();
        assertInstanceOf(InterruptedException.class, waiter.failure());
        assertEquals(0.0, lim.tokens(), 1e-9, "the debt of the interrupted request is gone");
        at(2);
        assertTrue(lim.tryAcquire(2));

        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> lim.acquire(1));
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void waitersAreServedInArrivalOrderAndASmallOneDoesNotPassALargeOne() throws Exception {
        RateLimiter lim = limiter(10, 3);
        assertTrue(lim.tryAcquire(3));
        List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        var large = onNewThread("large", () -> {
            lim.acquire(3);
            order.add("large@" + time.nanoTime() / D);
            return null;
        });
        parkedOn(time, 1, large.thread());
        var small = onNewThread("small", () -> {
            lim.acquire(1);
            order.add("small@" + time.nanoTime() / D);
            return null;
        });
        parkedOn(time, 2, small.thread());
        assertFalse(lim.tryAcquire(1), "tryAcquire fails while requests wait");
        at(3);
        large.get();
        TestSupport.awaitCondition(() -> time.pending() == 1, "the small waiter still waits");
        assertFalse(small.isDone());
        at(4);
        small.get();
        assertEquals(List.of("large@3", "small@4"), order);
    }

    @Test
    void acquireOfZeroWaitsOnlyForTheRequestsAheadOfIt() throws Exception {
        RateLimiter lim = limiter(10, 2);
        lim.acquire(0);
        assertTrue(lim.tryAcquire(0), "nobody ahead: at once");
        lim.reserve(2);
        lim.reserve(2); // 2 in debt: the requests ahead act at t2
        assertFalse(lim.tryAcquire(0), "someone is ahead");
        var zero = onNewThread("zero", () -> {
            lim.acquire(0);
            return time.nanoTime();
        });
        parkedOn(time, 1, zero.thread());
        at(1);
        parkedOn(time, 1, zero.thread());
        at(2);
        assertEquals(2 * D, zero.get());
    }

    @Test
    void manyConcurrentAcquirersNeverGetMoreThanTheBurstPlusTheRateTimesTheElapsedTime() throws Exception {
        RateLimiter lim = RateLimiter.of(1000, 5, time); // one permit per millisecond
        int threads = 8;
        int each = 40;
        AtomicInteger granted = new AtomicInteger();
        AtomicBoolean overTheBound = new AtomicBoolean();
        List<TestSupport.Helper<Void>> acquirers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            boolean blocking = i % 2 == 0;
            acquirers.add(onNewThread("acquirer-" + i, () -> {
                for (int k = 0; k < each; k++) {
                    if (blocking) {
                        lim.acquire();
                    } else {
                        while (!lim.tryAcquire()) {
                            LockSupport.parkNanos(20_000);
                        }
                    }
                    int g = granted.incrementAndGet();
                    if (g > 5 + time.nanoTime() / 1_000_000L) {
                        overTheBound.set(true);
                    }
                }
                return null;
            }));
        }
        long guard = System.nanoTime() + TestSupport.WAIT.toNanos();
        while (granted.get() < threads * each && System.nanoTime() - guard < 0) {
            time.advance(Duration.ofMillis(1));
            Thread.yield();
        }
        for (var a : acquirers) {
            a.get();
        }
        assertFalse(overTheBound.get(), "some acquirer saw more grants than 5 + 1 per elapsed ms");
        assertEquals(threads * each, granted.get());
        assertTrue(time.nanoTime() >= (threads * each - 5) * 1_000_000L, "320 permits need at least 315 ms at 1/ms");
    }

    // ---- the rest of the surface ------------------------------------------------------------

    @Test
    void ofTakesTheCurrentContextsTimeSource() throws Exception {
        RateLimiter lim;
        try (var scope = Scope.open(c -> c.withTimeSource(time))) {
            lim = RateLimiter.of(10, 1);
        }
        assertSame(time, lim.timeSource());
        assertSame(TimeSource.system(), RateLimiter.of(10, 1).timeSource());
        assertTrue(lim.tryAcquire());
        assertFalse(lim.tryAcquire());
        time.advance(Duration.ofMillis(100));
        assertTrue(lim.tryAcquire(), "refilled by the manual clock");
    }

    @Test
    void tokensReportTheBucketIncludingItsDebt() {
        RateLimiter lim = limiter(10, 2);
        assertEquals(2.0, lim.tokens());
        lim.reserve(2);
        lim.reserve(1);
        assertEquals(-1.0, lim.tokens(), 1e-9);
        time.advance(Duration.ofMillis(50));
        assertEquals(-0.5, lim.tokens(), 1e-9);
        assertTrue(lim.toString().startsWith("RateLimiter[10.0/s, burst 2, tokens -0.500"), lim.toString());
    }

    @Test
    void badInputsAreRejectedWithTheArgumentNamed() {
        RateLimiter lim = limiter(10, 2);
        assertRejects(IllegalArgumentException.class, "permitsPerSecond", () -> RateLimiter.of(0, 1));
        assertRejects(IllegalArgumentException.class, "permitsPerSecond", () -> RateLimiter.of(-1, 1));
        assertRejects(IllegalArgumentException.class, "permitsPerSecond", () -> RateLimiter.of(Double.NaN, 1));
        assertRejects(IllegalArgumentException.class, "permitsPerSecond",
                () -> RateLimiter.of(Double.POSITIVE_INFINITY, 1));
        assertRejects(IllegalArgumentException.class, "burst", () -> RateLimiter.of(1, 0));
        assertRejects(NullPointerException.class, "time", () -> RateLimiter.of(1, 1, null));
        assertRejects(IllegalArgumentException.class, "n must not be negative", () -> lim.tryAcquire(-1));
        assertRejects(IllegalArgumentException.class, "n must not be negative", () -> lim.acquire(-1));
        assertRejects(IllegalArgumentException.class, "n must not be negative", () -> lim.reserve(-1));
        assertRejects(IllegalArgumentException.class, "permitsPerSecond", () -> lim.setRate(0));
        assertRejects(IllegalArgumentException.class, "burst", () -> lim.setBurst(0));
        assertEquals(10, lim.rate(), "a rejected change changes nothing");
        assertEquals(2, lim.burst());
    }

    private static void assertRejects(Class<? extends Throwable> type, String argument, Executable call) {
        Throwable e = assertThrows(type, call);
        assertTrue(e.getMessage() != null && e.getMessage().contains(argument),
                "the message should name '" + argument + "': " + e.getMessage());
    }

    // ---- the real clock: a smoke test with generous bounds ---------------------------------

    @Test
    void onTheSystemClockAcquiresArePacedByTheRate() throws Exception {
        RateLimiter lim = RateLimiter.of(100, 1);
        long start = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            lim.acquire();
        }
        long took = System.nanoTime() - start;
        assertTrue(took >= 40_000_000L && took < TestSupport.WAIT.toNanos(), "5 permits at 100/s with a burst of 1 took "
                + took + " ns");
    }
}
