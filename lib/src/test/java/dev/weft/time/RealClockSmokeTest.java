package dev.weft.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.DeadlineExceededException;
import dev.weft.LeakCheckExtension;
import dev.weft.TestSupport;
import dev.weft.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A few smoke tests on the real clock (TimeSource.system() and its shared timer thread), with
 * bounds ten times wider than the timings they check: everything else runs on ManualTime.
 */
@ExtendWith(LeakCheckExtension.class)
class RealClockSmokeTest {
    private static final Duration PERIOD = Duration.ofMillis(20);

    @Test
    void aTickerTicksAtItsPeriodAndItsValuesAreTheScheduledFireTimes() throws Exception {
        List<Instant> ticks = new ArrayList<>();
        try (Ticker ticker = Ticker.every(PERIOD)) {
            for (int i = 0; i < 4; i++) {
                ticks.add(ticker.receive());
            }
        }
        for (int i = 1; i < ticks.size(); i++) {
            Duration gap = Duration.between(ticks.get(i - 1), ticks.get(i));
            // Consecutive values are scheduled fire times: PERIOD apart (or a multiple, if a tick was
            // dropped while this thread was descheduled), up to the wall clock's reading noise.
            assertTrue(gap.compareTo(PERIOD.dividedBy(2)) > 0 && gap.compareTo(PERIOD.multipliedBy(10)) < 0,
                    "gap " + gap + " between ticks " + ticks);
        }
    }

    @Test
    void aTimerDeliversNoEarlierThanItsDelayAndAfterFuncRunsAndStopPreventsAFarOne() throws Exception {
        long start = System.nanoTime();
        Instant created = Instant.now();
        Instant fired = Timer.after(PERIOD).receive();
        assertTrue(System.nanoTime() - start >= PERIOD.toNanos(), "not before its delay");
        assertTrue(!fired.isBefore(created.plus(PERIOD).minusMillis(2)), fired + " vs created " + created);

        CountDownLatch ran = new CountDownLatch(1);
        Timer.afterFunc(PERIOD, ran::countDown);
        assertTrue(ran.await(TestSupport.WAIT.toMillis(), TimeUnit.MILLISECONDS));
        Timer far = Timer.afterFunc(Duration.ofHours(1), () -> { });
        assertTrue(far.stop());
        assertFalse(far.stop());
    }

    @Test
    void aDebouncerRunsTheLastValueOfAQuickBurstAfterTheQuietPeriod() throws Exception {
        List<Integer> runs = new ArrayList<>(); // written by the action's thread, read after close()
        CountDownLatch ran = new CountDownLatch(1);
        Debouncer<Integer> debouncer = Debouncer.of(Duration.ofMillis(100), v -> {
            runs.add(v);
            if (v == 49) {
                ran.countDown();
            }
        });
        for (int i = 0; i < 50; i++) {
            debouncer.submit(i);
        }
        assertTrue(ran.await(TestSupport.WAIT.toMillis(), TimeUnit.MILLISECONDS), "the last value ran");
        debouncer.close();
        assertEquals(49, runs.get(runs.size() - 1));
        assertTrue(runs.size() <= 2, "a burst far shorter than the quiet period runs once (twice at most on a stalled machine): " + runs);
    }

    @Test
    void aBlockedReceiveEndsAtARealDeadline() throws Exception {
        long start = System.nanoTime();
        try (Scope scope = Scope.open(c -> c.withTimeout(Duration.ofMillis(50)))) {
            Ticker ticker = Ticker.every(Duration.ofHours(1));
            assertThrows(DeadlineExceededException.class, ticker::receive);
            assertTrue(System.nanoTime() - start >= Duration.ofMillis(50).toNanos(), "not before the deadline");
            ticker.stop();
        }
        assertTrue(System.nanoTime() - start < TestSupport.WAIT.toNanos());
    }
}
