package dev.weft.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.LeakCheckExtension;
import dev.weft.TestSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Throttler on ManualTime: the three modes (lodash throttle with trailing: false, leading: false,
 * and its default), on a short burst and under steady input, plus flush, cancel, close and bad
 * input. Values are the submit times in ms.
 */
@ExtendWith(LeakCheckExtension.class)
class ThrottlerTest {
    private static final Duration PERIOD = Duration.ofMillis(100);
    private final ManualTime time = new ManualTime();

    private Throttler<Long> throttler(Throttler.Mode mode, DebounceRecorder<Long> r) {
        return Throttler.<Long>builder(PERIOD, mode, r).timeSource(time).build();
    }

    /** Submits at 0, 30 and 60 ms, then once at 120 ms, then once after a long pause. */
    private List<Long> burst(Throttler.Mode mode) throws Exception {
        DebounceRecorder<Long> r = new DebounceRecorder<>();
        Throttler<Long> t = throttler(mode, r);
        List<Long> runs = new ArrayList<>();
        long now = 0;
        for (long at : new long[] {0, 30, 60, 120, 1_000}) {
            time.advance(Duration.ofMillis(at - now));
            now = at;
            t.submit(at);
            TestSupport.awaitCondition(t::isIdle, "the run started by this submit, if any, has ended");
            drain(r, runs);
        }
        time.advance(Duration.ofMillis(1_000));
        t.close();
        drain(r, runs);
        assertEquals(1, r.maxRunning.get(), "runs never overlap");
        assertEquals(0, time.pending(), "a closed throttler schedules nothing");
        return runs;
    }

    /** Every 10 ms for a second: the throttled runs, waiting for each so that none is deferred or conflated. */
    private List<Long> steady(Throttler.Mode mode) throws Exception {
        DebounceRecorder<Long> r = new DebounceRecorder<>();
        Throttler<Long> t = throttler(mode, r);
        List<Long> runs = new ArrayList<>();
        for (long at = 0; at < 1_000; at += 10) {
            t.submit(at);
            time.advance(Duration.ofMillis(10));
            TestSupport.awaitCondition(t::isIdle, "the run started by this advance, if any, has ended");
            drain(r, runs);
        }
        t.close();
        drain(r, runs);
        return runs;
    }

    private static void drain(DebounceRecorder<Long> r, List<Long> into) {
        r.runs.drainTo(into);
    }

    @Test
    void firstRunsTheFirstValueOfEachWindowAtOnceAndDropsTheRest() throws Exception {
        assertEquals(List.of(0L, 120L, 1_000L), burst(Throttler.Mode.FIRST));
        assertEquals(List.of(0L, 100L, 200L, 300L, 400L, 500L, 600L, 700L, 800L, 900L), steady(Throttler.Mode.FIRST));
    }

    @Test
    void lastRunsTheLastValueOfEachWindowWhenItEnds() throws Exception {
        assertEquals(List.of(60L, 120L, 1_000L), burst(Throttler.Mode.LAST));
        assertEquals(List.of(90L, 190L, 290L, 390L, 490L, 590L, 690L, 790L, 890L, 990L), steady(Throttler.Mode.LAST));
    }

    @Test
    void latestRunsTheFirstValueAtOnceAndTheLatestOfTheWindowWhenItEnds() throws Exception {
        assertEquals(List.of(0L, 60L, 120L, 1_000L), burst(Throttler.Mode.LATEST));
        assertEquals(List.of(0L, 90L, 190L, 290L, 390L, 490L, 590L, 690L, 790L, 890L, 990L),
                steady(Throttler.Mode.LATEST));
    }

    /**
     * In a burst under LAST, the value at 120 ms opens a window that ends at 220 ms, and the one
     * at 1 000 ms a window that ends at 1 100 ms: each value waits at most one period.
     */
    @Test
    void lastDelaysEachValueByAtMostOnePeriod() throws Exception {
        DebounceRecorder<Long> r = new DebounceRecorder<>();
        Throttler<Long> t = throttler(Throttler.Mode.LAST, r);
        t.submit(0L);
        time.advance(Duration.ofMillis(99));
        assertTrue(r.runs.isEmpty());
        time.advance(Duration.ofMillis(1));
        assertEquals(0L, r.next());
        t.close();
    }

    @Test
    void flushRunsTheWaitingValueAndCancelDiscardsIt() throws Exception {
        DebounceRecorder<Long> r = new DebounceRecorder<>();
        Throttler<Long> t = throttler(Throttler.Mode.LATEST, r);
        t.submit(1L);
        assertEquals(1L, r.next());
        t.submit(2L);
        assertTrue(t.flush());
        assertEquals(2L, r.next());
        assertFalse(t.flush());
        r.awaitRunnerEnded();
        time.advance(PERIOD);
        t.submit(3L);
        assertEquals(3L, r.next());
        t.submit(4L);
        assertTrue(t.cancel());
        assertEquals(0, time.pending());
        t.close();
        assertTrue(r.runs.isEmpty(), "4 was discarded: " + r.runs);
    }

    @Test
    void closeFlushesByDefaultAndOnlyWhenAskedNot() {
        List<Long> runs = new ArrayList<>();
        Throttler<Long> flushing = Throttler.<Long>builder(PERIOD, Throttler.Mode.LAST, runs::add).timeSource(time).build();
        flushing.submit(7L);
        flushing.close();
        assertEquals(List.of(7L), runs);
        Throttler<Long> discarding = Throttler.<Long>builder(PERIOD, Throttler.Mode.LAST, runs::add)
                .flushOnClose(false).timeSource(time).build();
        discarding.submit(8L);
        discarding.close();
        assertEquals(List.of(7L), runs);
        assertThrows(IllegalStateException.class, () -> discarding.submit(9L));
    }

    @Test
    void aFailureGoesToTheHandlerAndTheThrottlerKeepsWorking() throws Exception {
        BlockingQueue<String> failures = new LinkedBlockingQueue<>();
        CountDownLatch ran = new CountDownLatch(2);
        Throttler<String> t = Throttler.<String>builder(PERIOD, Throttler.Mode.FIRST, v -> {
            ran.countDown();
            throw new IllegalStateException("throttled action failed (expected by the test)");
        }).onError((v, e) -> failures.add(v)).name("ui").timeSource(time).build();
        t.submit("a");
        assertEquals("a", Clocks.next(failures, "the first failure"));
        time.advance(PERIOD);
        t.submit("b");
        assertEquals("b", Clocks.next(failures, "the second failure"));
        assertTrue(t.toString().startsWith("Throttler[FIRST, Debouncer[ui, wait=PT0.1S, maxWait=PT0.1S, leading]"), t.toString());
        t.close();
    }

    @Test
    void badArgumentsAreRejectedWithTheirName() {
        Debouncer.Action<String> noop = v -> { };
        assertEquals("period", assertThrows(NullPointerException.class,
                () -> Throttler.of(null, Throttler.Mode.FIRST, noop)).getMessage());
        assertEquals("mode", assertThrows(NullPointerException.class, () -> Throttler.of(PERIOD, null, noop)).getMessage());
        assertEquals("action", assertThrows(NullPointerException.class,
                () -> Throttler.of(PERIOD, Throttler.Mode.FIRST, null)).getMessage());
        assertEquals("period must be positive, was PT0S", assertThrows(IllegalArgumentException.class,
                () -> Throttler.of(Duration.ZERO, Throttler.Mode.LAST, noop)).getMessage());
        Throttler.Builder<String> b = Throttler.builder(PERIOD, Throttler.Mode.LATEST, noop);
        assertEquals("handler", assertThrows(NullPointerException.class, () -> b.onError(null)).getMessage());
        assertEquals("time", assertThrows(NullPointerException.class, () -> b.timeSource(null)).getMessage());
        assertEquals("name", assertThrows(NullPointerException.class, () -> b.name(null)).getMessage());
        Throttler<String> t = b.timeSource(time).build();
        assertEquals("value", assertThrows(NullPointerException.class, () -> t.submit(null)).getMessage());
        t.close();
    }
}
