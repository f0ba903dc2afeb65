package dev.weft.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.LeakCheckExtension;
import dev.weft.TestSupport;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** TimeSource.system() on its timer queue: absolute due times at the edges of the nano clock, and bad input. */
@ExtendWith(LeakCheckExtension.class)
class SystemTimeSourceTest {
    private final TimeSource system = TimeSource.system();

    @Test
    void scheduleAtAPastOrMinimalDueTimeRunsAtOnceAndAMaximalOneIsClampedNotWrapped() throws Exception {
        CountDownLatch ran = new CountDownLatch(2);
        system.scheduleAt(Long.MIN_VALUE, ran::countDown);
        system.scheduleAt(system.nanoTime() - TimeUnit.HOURS.toNanos(1), ran::countDown);
        assertTrue(ran.await(TestSupport.WAIT.toMillis(), TimeUnit.MILLISECONDS), "due times in the past run at once");

        AtomicInteger farRuns = new AtomicInteger();
        TimeSource.Scheduled far = system.scheduleAt(Long.MAX_VALUE, farRuns::incrementAndGet);
        TimeSource.Scheduled huge = system.schedule(Duration.ofSeconds(Long.MAX_VALUE), farRuns::incrementAndGet);
        CountDownLatch near = new CountDownLatch(1);
        system.schedule(Duration.ofMillis(1), near::countDown);
        assertTrue(near.await(TestSupport.WAIT.toMillis(), TimeUnit.MILLISECONDS), "a near timer is not held up by the far ones");
        assertEquals(0, farRuns.get(), "a saturated due time did not wrap into the past");
        assertTrue(far.cancel());
        assertTrue(huge.cancel());
        assertFalse(far.cancel());
    }

    @Test
    void nullArgumentsAreRejectedWithTheirName() {
        assertEquals("delay", assertThrows(NullPointerException.class, () -> system.schedule(null, () -> { })).getMessage());
        assertEquals("action", assertThrows(NullPointerException.class, () -> system.schedule(Duration.ZERO, null)).getMessage());
        assertEquals("action", assertThrows(NullPointerException.class, () -> system.scheduleAt(0, null)).getMessage());
    }
}
