package dev.weft.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.LeakCheckExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** ManualTime moves only when told to and runs due actions in order; the system source schedules for real. */
@ExtendWith(LeakCheckExtension.class)
class TimeSourceTest {

    @Test
    void manualTimeStandsStillUntilAdvanced() {
        ManualTime time = new ManualTime(Instant.parse("2030-01-01T00:00:00Z"));
        assertEquals(0, time.nanoTime());
        assertEquals(Instant.parse("2030-01-01T00:00:00Z"), time.now());
        time.advance(Duration.ofMillis(1500));
        assertEquals(1_500_000_000L, time.nanoTime());
        assertEquals(Instant.parse("2030-01-01T00:00:01.5Z"), time.now());
        assertEquals(Instant.parse("2000-01-01T00:00:00Z"), new ManualTime().now());
    }

    @Test
    void advanceRunsDueActionsInDueOrderWithTheClockAtEachDueTime() {
        ManualTime time = new ManualTime();
        List<String> log = new ArrayList<>();
        time.schedule(Duration.ofSeconds(3), () -> log.add("c@" + time.nanoTime()));
        time.schedule(Duration.ofSeconds(1), () -> log.add("a@" + time.nanoTime()));
        time.schedule(Duration.ofSeconds(1), () -> log.add("b@" + time.nanoTime())); // tie: scheduling order
        time.schedule(Duration.ofSeconds(10), () -> log.add("late"));
        assertEquals(4, time.pending());
        time.advance(Duration.ofSeconds(5));
        assertEquals(List.of("a@1000000000", "b@1000000000", "c@3000000000"), log);
        assertEquals(1, time.pending());
        assertEquals(5_000_000_000L, time.nanoTime());
    }

    @Test
    void actionsScheduledByActionsRunInTheSameAdvanceWhenDue() {
        ManualTime time = new ManualTime();
        List<Long> fired = new ArrayList<>();
        time.schedule(Duration.ofSeconds(1), () -> {
            fired.add(time.nanoTime());
            time.schedule(Duration.ofSeconds(1), () -> fired.add(time.nanoTime()));
            time.schedule(Duration.ofSeconds(5), () -> fired.add(time.nanoTime()));
        });
        time.advance(Duration.ofSeconds(3));
        assertEquals(List.of(1_000_000_000L, 2_000_000_000L), fired);
        assertEquals(1, time.pending());
    }

    @Test
    void cancelPreventsAnActionOnlyWhileItIsPending() {
        ManualTime time = new ManualTime();
        List<String> log = new ArrayList<>();
        TimeSource.Scheduled cancelled = time.schedule(Duration.ofSeconds(1), () -> log.add("cancelled"));
        TimeSource.Scheduled kept = time.schedule(Duration.ofSeconds(1), () -> log.add("kept"));
        assertTrue(cancelled.cancel());
        assertFalse(cancelled.cancel());
        time.advance(Duration.ofSeconds(1));
        assertFalse(kept.cancel(), "already ran");
        assertEquals(List.of("kept"), log);
        assertEquals(0, time.pending());
    }

    @Test
    void advanceByZeroRunsWhatIsAlreadyDueAndANegativeDelayMeansNow() {
        ManualTime time = new ManualTime();
        List<String> log = new ArrayList<>();
        time.schedule(Duration.ZERO, () -> log.add("zero"));
        time.schedule(Duration.ofSeconds(-5), () -> log.add("negative"));
        time.advance(Duration.ZERO);
        assertEquals(List.of("zero", "negative"), log);
        assertEquals(0, time.nanoTime());
    }

    @Test
    void aThrowingActionDoesNotStopTheClock() {
        ManualTime time = new ManualTime();
        List<String> log = new ArrayList<>();
        time.schedule(Duration.ofSeconds(1), () -> {
            throw new IllegalStateException("action failed (expected by the test)");
        });
        time.schedule(Duration.ofSeconds(2), () -> log.add("after"));
        time.advance(Duration.ofSeconds(2));
        assertEquals(List.of("after"), log);
        assertEquals(2_000_000_000L, time.nanoTime());
    }

    @Test
    void aHugeAdvanceSaturatesInsteadOfWrapping() {
        ManualTime time = new ManualTime();
        time.advance(Duration.ofSeconds(1));
        time.advance(Duration.ofSeconds(Long.MAX_VALUE));
        assertTrue(time.nanoTime() > 1_000_000_000L, "the clock never goes backwards: " + time.nanoTime());
    }

    @Test
    void systemTimeSourceRunsAScheduledActionAndCancelPreventsAnother() throws Exception {
        TimeSource system = TimeSource.system();
        long before = system.nanoTime();
        CountDownLatch ran = new CountDownLatch(1);
        system.schedule(Duration.ofMillis(10), ran::countDown);
        TimeSource.Scheduled never = system.schedule(Duration.ofHours(1), () -> { });
        assertTrue(never.cancel());
        assertTrue(ran.await(10, TimeUnit.SECONDS));
        assertTrue(system.nanoTime() - before >= 10_000_000L, "not before its delay");
        assertFalse(never.cancel());
    }

    @Test
    void manualScheduleAtQueuesAFutureDueTimeAndRunsAReachedOneAtOnceOnTheCaller() {
        ManualTime time = new ManualTime();
        time.advance(Duration.ofSeconds(2));
        List<String> log = new ArrayList<>();
        Thread caller = Thread.currentThread();
        TimeSource.Scheduled past = time.scheduleAt(1_000_000_000L, () -> log.add("past on caller=" + (Thread.currentThread() == caller)));
        TimeSource.Scheduled now = time.scheduleAt(2_000_000_000L, () -> log.add("now"));
        assertEquals(List.of("past on caller=true", "now"), log);
        assertFalse(past.cancel(), "an action that already ran cannot be prevented");
        assertFalse(now.cancel());
        assertEquals(0, time.pending());

        time.scheduleAt(3_000_000_000L, () -> log.add("future@" + time.nanoTime()));
        assertEquals(1, time.pending());
        time.advance(Duration.ofMillis(999));
        assertEquals(2, log.size());
        time.advance(Duration.ofMillis(1));
        assertEquals("future@3000000000", log.get(2));
    }

    @Test
    void theDefaultScheduleAtSchedulesTheRemainingDelayFromAFreshReading() {
        List<Duration> delays = new ArrayList<>();
        TimeSource at100 = new TimeSource() {
            @Override
            public long nanoTime() {
                return 100;
            }

            @Override
            public Instant now() {
                return Instant.EPOCH;
            }

            @Override
            public Scheduled schedule(Duration delay, Runnable action) {
                delays.add(delay);
                return () -> false;
            }
        };
        at100.scheduleAt(250, () -> { });
        at100.scheduleAt(40, () -> { });
        at100.scheduleAt(Long.MAX_VALUE, () -> { });
        at100.scheduleAt(Long.MIN_VALUE, () -> { });
        assertEquals(List.of(Duration.ofNanos(150), Duration.ofNanos(-60), Duration.ofNanos(Long.MAX_VALUE - 100),
                Duration.ofNanos(Long.MIN_VALUE)), delays);
    }
}
