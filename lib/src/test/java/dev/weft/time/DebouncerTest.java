package dev.weft.time;

import static dev.weft.TestSupport.awaitCondition;
import static dev.weft.time.Clocks.next;
import static dev.weft.TestSupport.onNewThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.LeakCheckExtension;
import dev.weft.TestSupport;
import dev.weft.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Debouncer on ManualTime: lodash's debounce test cases (trailing only, leading, leading +
 * trailing, maxWait under steady input, flush, cancel), close, runs that never overlap, failures
 * and bad input. The edges fire inside {@code advance}; each test reads the runs, in order, from
 * the recorder's queue (a run that should not have happened shows up before the expected one).
 */
@ExtendWith(LeakCheckExtension.class)
class DebouncerTest {
    private final ManualTime time = new ManualTime();

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    @Test
    void trailingOnlyRunsOnceWithTheLastValueAfterTheQuietPeriod() throws Exception {
        DebounceRecorder<String> r = new DebounceRecorder<>();
        Debouncer<String> d = Debouncer.<String>builder(ms(100), r).timeSource(time).build();
        d.submit("a");
        time.advance(ms(30));
        d.submit("b");
        time.advance(ms(30));
        d.submit("c");
        time.advance(ms(99));
        assertEquals(1, time.pending(), "still waiting: 99 ms of quiet");
        time.advance(ms(1));
        assertEquals("c", r.next());
        assertEquals(0, time.pending(), "the burst is over");
        d.submit("d");
        time.advance(ms(100));
        assertEquals("d", r.next());
        d.close();
        assertTrue(r.runs.isEmpty());
        assertEquals(1, r.maxRunning.get());
    }

    @Test
    void leadingOnlyRunsTheFirstValueOfEachBurst() throws Exception {
        DebounceRecorder<String> r = new DebounceRecorder<>();
        Debouncer<String> d = Debouncer.<String>builder(ms(100), r).leading(true).trailing(false).timeSource(time).build();
        d.submit("a");
        assertEquals("a", r.next(), "a leading submit runs at once");
        d.submit("b");
        time.advance(ms(50));
        d.submit("c");
        time.advance(ms(150));
        d.submit("d"); // quiet for 150 ms: a new burst
        assertEquals("d", r.next());
        d.close();
        assertTrue(r.runs.isEmpty(), "b and c were dropped: " + r.runs);
    }

    /** lodash: "should support leading and trailing calls" / trailing fires only if called more than once. */
    @Test
    void leadingAndTrailingRunsTheTrailingEdgeOnlyWhenTheBurstHadMoreThanOneSubmit() throws Exception {
        DebounceRecorder<String> r = new DebounceRecorder<>();
        Debouncer<String> d = Debouncer.<String>builder(ms(100), r).leading(true).trailing(true).timeSource(time).build();
        d.submit("only");
        assertEquals("only", r.next());
        time.advance(ms(500));
        d.submit("first");
        assertEquals("first", r.next());
        time.advance(ms(50));
        d.submit("second");
        time.advance(ms(50));
        d.submit("last");
        time.advance(ms(100));
        assertEquals("last", r.next());
        time.advance(ms(500));
        d.close();
        assertTrue(r.runs.isEmpty(), "no trailing run after the single-submit burst: " + r.runs);
    }

    /**
     * lodash "should support a maxWait option": a submit every 50 ms never lets 100 ms of quiet
     * pass, and maxWait = 250 ms still runs the latest value every 250 ms (worked out by hand from
     * lodash's algorithm). Without maxWait the same input starves until it stops.
     */
    @Test
    void maxWaitRunsTheLatestValueUnderSteadyInputAndWithoutItSteadyInputStarves() throws Exception {
        DebounceRecorder<Long> withMax = new DebounceRecorder<>();
        DebounceRecorder<Long> without = new DebounceRecorder<>();
        Debouncer<Long> a = Debouncer.<Long>builder(ms(100), withMax).maxWait(ms(250)).timeSource(time).build();
        Debouncer<Long> b = Debouncer.<Long>builder(ms(100), without).timeSource(time).build();
        List<Long> expected = new ArrayList<>();
        for (long t = 0; t < 1000; t += 50) {
            a.submit(t);
            b.submit(t);
            time.advance(ms(50));
            if ((t + 50) % 250 == 0) {
                assertEquals(t, withMax.next(), "the run at " + (t + 50) + " ms carries the latest value");
                withMax.awaitRunnerEnded(); // so that no later edge finds this run still going
                expected.add(t);
            }
        }
        assertEquals(List.of(200L, 450L, 700L, 950L), expected);
        assertTrue(without.runs.isEmpty(), "without maxWait nothing ran during steady input");
        time.advance(ms(50));
        assertEquals(950L, without.next(), "100 ms after the last submit");
        a.close();
        b.close();
        assertTrue(withMax.runs.isEmpty() && without.runs.isEmpty());
    }

    @Test
    void flushRunsThePendingValueNowAndEndsTheBurst() throws Exception {
        DebounceRecorder<String> r = new DebounceRecorder<>();
        Debouncer<String> d = Debouncer.<String>builder(ms(100), r).leading(true).timeSource(time).build();
        assertFalse(d.flush(), "nothing pending");
        d.submit("a");
        assertEquals("a", r.next());
        assertFalse(d.flush(), "the leading run took a: no trailing value is pending");
        d.submit("b");
        d.submit("c");
        assertTrue(d.flush());
        assertEquals("c", r.next());
        assertEquals(0, time.pending(), "the burst's timer is gone");
        assertFalse(d.flush());
        time.advance(ms(100));
        d.submit("d");
        assertEquals("d", r.next(), "after a quiet period the next submit is a leading one again");
        d.close();
    }

    @Test
    void cancelDiscardsThePendingValueAndForgetsTheBurst() throws Exception {
        DebounceRecorder<String> r = new DebounceRecorder<>();
        Debouncer<String> d = Debouncer.<String>builder(ms(100), r).leading(true).timeSource(time).build();
        assertFalse(d.cancel(), "nothing to discard");
        d.submit("a");
        assertEquals("a", r.next());
        d.submit("b");
        assertTrue(d.cancel(), "b would have run on the trailing edge");
        assertEquals(0, time.pending());
        time.advance(ms(500));
        d.submit("c");
        assertEquals("c", r.next(), "after cancel the next submit is a leading one, as in lodash");
        d.close();
        assertTrue(r.runs.isEmpty(), "b never ran: " + r.runs);
    }

    @Test
    void closeFlushesThePendingValueWaitsForItAndRefusesMoreSubmits() {
        List<String> runs = new ArrayList<>(); // written by the action's thread, read after close()
        Debouncer<String> d = Debouncer.<String>builder(ms(100), runs::add).timeSource(time).build();
        d.submit("a");
        d.submit("b");
        d.close();
        assertEquals(List.of("b"), runs, "close ran the pending value and waited for it");
        assertEquals(0, time.pending());
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> d.submit("c"));
        assertTrue(closed.getMessage().endsWith("is closed"), closed.getMessage());
        d.close();
        assertFalse(d.flush());
    }

    @Test
    void closeWithoutFlushDiscardsThePendingValue() {
        List<String> runs = new ArrayList<>();
        Debouncer<String> d = Debouncer.<String>builder(ms(100), runs::add).flushOnClose(false).timeSource(time).build();
        d.submit("a");
        d.close();
        time.advance(ms(500));
        assertEquals(List.of(), runs);
        assertEquals(0, time.pending());
    }

    @Test
    void closeWaitsForTheRunningActionAndItsDeferredRun() throws Exception {
        DebounceRecorder<String> r = new DebounceRecorder<>();
        CountDownLatch gate = new CountDownLatch(1);
        r.gate = gate;
        Debouncer<String> d = Debouncer.<String>builder(ms(100), r).timeSource(time).build();
        d.submit("a");
        time.advance(ms(100));
        assertEquals("a", r.next()); // running, held at the gate
        d.submit("b");
        var closer = onNewThread("closer", () -> {
            d.close(); // flushes b (deferred behind a), then waits for both
            return List.copyOf(r.runs) + " running=" + r.running.get();
        });
        awaitCondition(() -> closer.thread().getState() == Thread.State.WAITING, "close() waits");
        assertFalse(closer.isDone());
        gate.countDown();
        assertEquals("[b] running=0", closer.get(), "when close returned, both runs had finished");
        assertEquals(1, r.maxRunning.get());
    }

    @Test
    void aRunDueWhileTheActionRunsIsDeferredAndTheLastValueWins() throws Exception {
        DebounceRecorder<String> r = new DebounceRecorder<>();
        CountDownLatch gate = new CountDownLatch(1);
        r.gate = gate;
        Debouncer<String> d = Debouncer.<String>builder(ms(100), r).timeSource(time).build();
        d.submit("a");
        time.advance(ms(100));
        assertEquals("a", r.next()); // held at the gate
        d.submit("b");
        time.advance(ms(100)); // b is due: deferred
        d.submit("c");
        time.advance(ms(100)); // c is due: replaces the deferred b
        assertEquals(1, r.running.get(), "still only a is running");
        assertTrue(r.runs.isEmpty());
        r.gate = null;
        gate.countDown();
        assertEquals("c", r.next(), "the deferred run starts when a returns, with the last value");
        d.close();
        assertTrue(r.runs.isEmpty(), "b never ran: " + r.runs);
        assertEquals(1, r.maxRunning.get(), "runs never overlapped");
    }

    @Test
    void theActionRunsOnAVirtualThreadOfItsOwnAtTheRootContext() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        try (Scope scope = Scope.open(c -> c.withTimeSource(time).withTimeout(Duration.ofHours(1)))) {
            Debouncer<String> d = Debouncer.of(ms(100), v -> seen.add(Thread.currentThread().isVirtual() + " "
                    + Thread.currentThread().getName() + " deadline=" + dev.weft.Context.current().deadline().isPresent()));
            d.submit("x");
            time.advance(ms(100)); // the debouncer took the scope's ManualTime
            assertEquals("true weft-debouncer deadline=false", next(seen, "the run"));
            d.close();
        }
    }

    @Test
    void aThrowingActionGoesToTheHandlerAndTheDebouncerKeepsWorking() throws Exception {
        BlockingQueue<String> failures = new LinkedBlockingQueue<>();
        BlockingQueue<String> runs = new LinkedBlockingQueue<>();
        Debouncer<String> d = Debouncer.<String>builder(ms(100), v -> {
            runs.add(v);
            if (v.equals("bad")) {
                throw new IllegalStateException("action failed for " + v + " (expected by the test)");
            }
        }).onError((v, e) -> failures.add(v + ": " + e.getMessage())).timeSource(time).build();
        d.submit("bad");
        time.advance(ms(100));
        assertEquals("bad: action failed for bad (expected by the test)", next(failures, "the failure"));
        d.submit("good");
        time.advance(ms(100));
        next(runs, "the bad run");
        assertEquals("good", next(runs, "the run after the failure"));
        d.close();
        assertTrue(failures.isEmpty());
    }

    @Test
    void withoutAHandlerAFailureIsLoggedAndAThrowingHandlerIsLoggedTooAndNeitherStopsTheDebouncer() throws Exception {
        BlockingQueue<String> runs = new LinkedBlockingQueue<>();
        Debouncer<String> logged = Debouncer.<String>builder(ms(100), v -> {
            runs.add(v);
            throw new IllegalStateException("action failed (expected by the test, logged at WARN)");
        }).timeSource(time).build();
        AtomicInteger handled = new AtomicInteger();
        Debouncer<String> badHandler = Debouncer.<String>builder(ms(100), v -> {
            runs.add(v);
            throw new IllegalStateException("action failed (expected by the test)");
        }).onError((v, e) -> {
            handled.incrementAndGet();
            throw new IllegalArgumentException("handler failed (expected by the test, logged at WARN)");
        }).timeSource(time).build();
        for (int round = 0; round < 2; round++) {
            logged.submit("l" + round);
            badHandler.submit("h" + round);
            time.advance(ms(100));
        }
        logged.close();
        badHandler.close();
        List<String> all = new ArrayList<>(runs);
        all.sort(null);
        assertEquals(List.of("h0", "h1", "l0", "l1"), all, "both kept running after failures");
        assertEquals(2, handled.get());
    }

    @Test
    void badArgumentsAreRejectedWithTheirName() {
        Debouncer.Action<String> noop = v -> { };
        assertEquals("wait", assertThrows(NullPointerException.class, () -> Debouncer.of(null, noop)).getMessage());
        assertEquals("action", assertThrows(NullPointerException.class, () -> Debouncer.of(ms(1), null)).getMessage());
        assertEquals("wait must be positive, was PT0S",
                assertThrows(IllegalArgumentException.class, () -> Debouncer.of(Duration.ZERO, noop)).getMessage());
        assertEquals("wait must be positive, was PT-0.001S",
                assertThrows(IllegalArgumentException.class, () -> Debouncer.of(ms(-1), noop)).getMessage());
        Debouncer.Builder<String> b = Debouncer.builder(ms(100), noop);
        assertEquals("maxWait must not be shorter than wait (PT0.1S), was PT0.05S",
                assertThrows(IllegalArgumentException.class, () -> b.maxWait(ms(50))).getMessage());
        assertEquals("maxWait must be positive, was PT0S",
                assertThrows(IllegalArgumentException.class, () -> b.maxWait(Duration.ZERO)).getMessage());
        assertEquals("maxWait", assertThrows(NullPointerException.class, () -> b.maxWait(null)).getMessage());
        assertEquals("handler", assertThrows(NullPointerException.class, () -> b.onError(null)).getMessage());
        assertEquals("time", assertThrows(NullPointerException.class, () -> b.timeSource(null)).getMessage());
        assertEquals("name", assertThrows(NullPointerException.class, () -> b.name(null)).getMessage());
        assertEquals("leading and trailing are both false: the action would never run",
                assertThrows(IllegalArgumentException.class, () -> b.trailing(false).build()).getMessage());
        Debouncer<String> d = b.trailing(true).name("saver").timeSource(time).build();
        assertEquals("value", assertThrows(NullPointerException.class, () -> d.submit(null)).getMessage());
        assertEquals("Debouncer[saver, wait=PT0.1S, trailing]", d.toString());
        assertSame(0, time.pending());
        d.close();
    }
}
