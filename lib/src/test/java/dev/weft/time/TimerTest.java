package dev.weft.time;

import static dev.weft.TestSupport.awaitCondition;
import static dev.weft.time.Clocks.next;
import static dev.weft.TestSupport.onNewThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Context;
import dev.weft.DeadlineExceededException;
import dev.weft.LeakCheckExtension;
import dev.weft.TestSupport;
import dev.weft.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Timer, on ManualTime: Go 1.23's Stop/Reset results, no stale value, AfterFunc, cancellation and bad input. */
@ExtendWith(LeakCheckExtension.class)
class TimerTest {
    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    private final ManualTime time = new ManualTime(START);

    private static Duration s(double seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    private Instant at(double seconds) {
        return START.plus(s(seconds));
    }

    @Test
    void stopBeforeTheFireReturnsTrueAndASecondStopFalse() {
        Timer timer = Timer.after(s(1), time);
        assertTrue(timer.stop());
        assertFalse(timer.stop());
        assertEquals(0, time.pending(), "a stopped timer leaves nothing scheduled");
        time.advance(s(5));
        assertEquals(Optional.empty(), timer.tryReceive());

        BlockingQueue<String> ran = new LinkedBlockingQueue<>();
        Timer func = Timer.afterFunc(s(1), () -> ran.add("ran"), time);
        assertTrue(func.stop());
        assertFalse(func.stop());
        time.advance(s(5));
        assertEquals(0, time.pending());
        assertTrue(ran.isEmpty(), "a stopped afterFunc never runs");
    }

    @Test
    void theValueIsTheScheduledFireTimeAndItIsDeliveredOnce() throws Exception {
        Timer timer = Timer.after(s(2), time);
        time.advance(s(5));
        assertEquals(at(2), timer.receive(), "the scheduled fire time, not the time of the read");
        assertEquals(Optional.empty(), timer.tryReceive());
        assertEquals(0, time.pending(), "a fired timer leaves nothing scheduled");
        assertFalse(timer.stop(), "the value was received: stop prevented nothing");
    }

    /** Go 1.23: a value that fired but was never received is discarded by Stop, which then reports true. */
    @Test
    void stopDiscardsAFiredButUnreceivedValueAndReturnsTrue() {
        Timer timer = Timer.after(s(1), time);
        time.advance(s(1));
        assertTrue(timer.stop(), "nobody had received the value: the call stopped its delivery");
        assertEquals(Optional.empty(), timer.tryReceive(), "no stale value after stop");
        assertFalse(timer.stop());
    }

    @Test
    void resetReportsWhetherTheTimerWasActiveAndNeverDeliversAStaleValue() {
        Timer timer = Timer.after(s(1), time);
        assertTrue(timer.reset(s(3)), "pending: active");
        time.advance(s(1));
        assertEquals(Optional.empty(), timer.tryReceive(), "the first arming was replaced");
        time.advance(s(2));
        assertTrue(timer.reset(s(1)), "fired but unreceived: still active, and discarded");
        assertEquals(Optional.empty(), timer.tryReceive(), "no stale value after reset");
        time.advance(s(1));
        assertEquals(Optional.of(at(4)), timer.tryReceive());
        assertFalse(timer.reset(s(1)), "received: not active");
        time.advance(s(1));
        assertEquals(Optional.of(at(5)), timer.tryReceive(), "a reset timer fires again");
        assertFalse(timer.stop());
        assertFalse(timer.reset(s(1)), "stopped: not active");
        assertTrue(timer.stop());
    }

    @Test
    void zeroAndNegativeDurationsAlwaysFireAtOnceWithTheCurrentTime() throws Exception {
        time.advance(s(3));
        assertEquals(Optional.of(at(3)), Timer.after(Duration.ZERO, time).tryReceive(), "fired inside after()");
        assertEquals(Optional.of(at(3)), Timer.after(s(-10), time).tryReceive(), "Go clamps a negative duration to zero");
        Timer reused = Timer.after(s(1), time);
        time.advance(s(1));
        assertTrue(reused.reset(Duration.ZERO), "fired, unreceived: active");
        assertEquals(Optional.of(at(4)), reused.tryReceive());

        CountDownLatch ran = new CountDownLatch(2);
        Timer func = Timer.afterFunc(Duration.ZERO, ran::countDown, time);
        assertFalse(func.stop(), "already started");
        assertFalse(func.reset(s(-1)), "a fired afterFunc timer is not active; reset runs it again");
        assertTrue(ran.await(TestSupport.WAIT.toMillis(), TimeUnit.MILLISECONDS), "both runs happened");
        assertEquals(0, time.pending());
    }

    /** Every timer fires with the clock at its own deadline: ManualTime's clock only moves forward, so in deadline order. */
    @Test
    void timersFireInDeadlineOrder() {
        Timer third = Timer.after(s(3), time);
        Timer first = Timer.after(s(1), time);
        Timer second = Timer.after(s(2), time);
        Timer alsoFirst = Timer.after(s(1), time);
        time.advance(s(10));
        assertEquals(List.of(at(1), at(1), at(2), at(3)), List.of(first.tryReceive().orElseThrow(),
                alsoFirst.tryReceive().orElseThrow(), second.tryReceive().orElseThrow(), third.tryReceive().orElseThrow()));
    }

    @Test
    void resetToAFarTimeDoesNotWakeABlockedReceiverAndResetToATinyOneDoes() throws Exception {
        Timer timer = Timer.after(s(1), time);
        var reader = onNewThread("reader", timer::receive);
        awaitCondition(() -> timer.waitingReceivers() == 1, "the reader blocks");
        assertTrue(timer.reset(Duration.ofHours(1)));
        time.advance(s(10));
        assertEquals(1, timer.waitingReceivers(), "still blocked: nothing fired");
        assertEquals(1, time.pending());
        assertFalse(reader.isDone());
        assertTrue(timer.reset(Duration.ofMillis(1)));
        time.advance(Duration.ofMillis(1));
        assertEquals(at(10.001), reader.get());
        assertEquals(0, time.pending());
    }

    @Test
    void afterFuncRunsOnItsOwnVirtualThreadAtTheRootContextAndStopDoesNotWaitForIt() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        Timer timer;
        try (Scope scope = Scope.open(c -> c.withTimeSource(time).withTimeout(Duration.ofHours(1)))) {
            timer = Timer.afterFunc(s(1), () -> {
                Thread me = Thread.currentThread();
                seen.add(me.isVirtual() + " " + me.getName() + " deadline=" + Context.current().deadline().isPresent());
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            time.advance(s(1));
            assertTrue(started.await(TestSupport.WAIT.toMillis(), TimeUnit.MILLISECONDS));
            assertFalse(timer.stop(), "the function has started: stop prevented nothing, and returned at once");
            release.countDown();
        }
        assertEquals("true weft-afterFunc deadline=false", next(seen, "the function's view"));
    }

    @Test
    void resetOnAnAfterFuncTimerReschedulesItOrRunsItAgain() throws Exception {
        BlockingQueue<Long> runs = new LinkedBlockingQueue<>();
        Timer timer = Timer.afterFunc(s(1), () -> runs.add(time.nanoTime()), time);
        assertTrue(timer.reset(s(2)), "rescheduled before it ran");
        time.advance(s(2));
        next(runs, "the first run");
        assertFalse(timer.reset(s(1)), "it had run: reset schedules it again");
        time.advance(s(1));
        next(runs, "the second run");
        assertEquals(0, time.pending());
    }

    @Test
    void aThrowingFunctionIsLoggedAndTheTimerCanRunAgain() throws Exception {
        BlockingQueue<String> runs = new LinkedBlockingQueue<>();
        Timer timer = Timer.afterFunc(s(1), () -> {
            runs.add("ran");
            throw new IllegalStateException("afterFunc failed (expected by the test)");
        }, time);
        time.advance(s(1));
        next(runs, "the first run");
        timer.reset(s(1));
        time.advance(s(1));
        next(runs, "the run after the failure");
    }

    @Test
    void receiveIsWokenByTheDeadlineAndAnAfterFuncTimerHasNoValue() throws Exception {
        Timer timer = Timer.after(Duration.ofHours(1), time);
        var reader = onNewThread("owner", () -> {
            try (Scope scope = Scope.open(c -> c.withTimeSource(time).withTimeout(s(1)))) {
                return timer.receive();
            }
        });
        awaitCondition(() -> timer.waitingReceivers() == 1, "the owner blocks in receive");
        time.advance(s(1));
        assertInstanceOf(DeadlineExceededException.class, reader.failure());
        assertEquals(0, timer.waitingReceivers());
        assertTrue(timer.stop());

        Timer func = Timer.afterFunc(s(1), () -> { }, time);
        IllegalStateException noValue = assertThrows(IllegalStateException.class, func::receive);
        assertTrue(noValue.getMessage().contains("afterFunc timer delivers no value"), noValue.getMessage());
        assertThrows(IllegalStateException.class, func::tryReceive);
        assertTrue(func.stop());
    }

    @Test
    void timersWithoutATimeSourceUseTheCurrentContexts() throws Exception {
        try (Scope scope = Scope.open(c -> c.withTimeSource(time))) {
            Timer timer = Timer.after(s(1));
            CountDownLatch ran = new CountDownLatch(1);
            Timer.afterFunc(s(1), ran::countDown);
            assertEquals(2, time.pending());
            time.advance(s(1));
            assertEquals(at(1), timer.receive());
            assertTrue(ran.await(TestSupport.WAIT.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void badArgumentsAreRejectedWithTheirName() {
        assertEquals("delay", assertThrows(NullPointerException.class, () -> Timer.after(null, time)).getMessage());
        assertEquals("time", assertThrows(NullPointerException.class, () -> Timer.after(s(1), null)).getMessage());
        assertEquals("delay", assertThrows(NullPointerException.class, () -> Timer.afterFunc(null, () -> { })).getMessage());
        assertEquals("fn", assertThrows(NullPointerException.class, () -> Timer.afterFunc(s(1), null, time)).getMessage());
        assertEquals("time", assertThrows(NullPointerException.class, () -> Timer.afterFunc(s(1), () -> { }, null)).getMessage());
        Timer timer = Timer.after(s(1), time);
        assertEquals("delay", assertThrows(NullPointerException.class, () -> timer.reset(null)).getMessage());
        assertTrue(timer.toString().contains("active"), timer.toString());
        assertTrue(timer.stop(), "the rejected reset left it armed");
    }
}
