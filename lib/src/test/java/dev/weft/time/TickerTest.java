package dev.weft.time;

import static dev.weft.time.Clocks.advanceWhileWaiting;
import static dev.weft.TestSupport.awaitCondition;
import static dev.weft.TestSupport.onNewThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.CancelledException;
import dev.weft.DeadlineExceededException;
import dev.weft.LeakCheckExtension;
import dev.weft.TestSupport;
import dev.weft.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Ticker, on ManualTime: Go's ticker behaviours, the Go 1.23 "no stale tick" rules, cancellation and bad input. */
@ExtendWith(LeakCheckExtension.class)
class TickerTest {
    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    private final ManualTime time = new ManualTime(START);

    private static Duration s(double seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    private Instant at(double seconds) {
        return START.plus(s(seconds));
    }

    /** Go's TestTicker: 5 ticks, Reset to twice the period, 5 more ticks take twice as long: 3x the first five in all. */
    @Test
    void fiveTicksThenResetToTwiceThePeriodAndFiveMoreTakeThreeTimesTheTimeInAll() throws Exception {
        Ticker ticker = Ticker.every(s(1), time);
        var reader = onNewThread("reader", () -> {
            List<Long> receivedAt = new ArrayList<>();
            List<Instant> values = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                if (i == 5) {
                    ticker.reset(s(2));
                }
                values.add(ticker.receive());
                receivedAt.add(time.nanoTime());
            }
            ticker.stop();
            return List.of(receivedAt, values);
        });
        List<? extends List<?>> result = advanceWhileWaiting(time, s(0.25), reader, ticker::waitingReceivers);
        List<?> receivedAt = result.get(0);
        long firstFive = (Long) receivedAt.get(4);
        long all = (Long) receivedAt.get(9);
        assertEquals(s(5).toNanos(), firstFive);
        assertEquals(3 * firstFive, all, "five ticks at twice the period take twice as long");
        assertEquals(List.of(at(1), at(2), at(3), at(4), at(5), at(7), at(9), at(11), at(13), at(15)), result.get(1));
        assertEquals(0, time.pending());
    }

    @Test
    void aSlowReaderGetsTheFireTimeOfTheOldestMissedTickAndTheOthersAreDropped() {
        Ticker ticker = Ticker.every(s(1), time);
        time.advance(s(1));
        assertEquals(Optional.of(at(1)), ticker.tryReceive());
        time.advance(s(3.5)); // ticks at 2, 3 and 4: the slot keeps 2, drops 3 and 4
        assertEquals(Optional.of(at(2)), ticker.tryReceive(), "the scheduled fire time, not the time of the read");
        assertEquals(Optional.empty(), ticker.tryReceive(), "the ticks at 3 and 4 were dropped");
        time.advance(s(0.5));
        assertEquals(Optional.of(at(5)), ticker.tryReceive(), "the schedule did not move: the next tick is at 5");
        ticker.stop();
    }

    @Test
    void noTickAfterStopAndNothingStaysScheduled() {
        Ticker ticker = Ticker.every(s(1), time);
        assertEquals(1, time.pending());
        time.advance(s(1));
        ticker.stop();
        assertEquals(Optional.empty(), ticker.tryReceive(), "the tick pending at stop is discarded");
        assertEquals(0, time.pending(), "a stopped ticker schedules nothing");
        time.advance(s(10));
        assertEquals(Optional.empty(), ticker.tryReceive());
        ticker.stop();
        assertEquals(0, time.pending());
    }

    @Test
    void resetRestartsTheScheduleFromNowAndDiscardsAPendingTick() {
        Ticker ticker = Ticker.every(s(1), time);
        time.advance(s(1.5));
        ticker.reset(s(3));
        assertEquals(Optional.empty(), ticker.tryReceive(), "the tick of the old schedule is discarded");
        assertEquals(1, time.pending(), "the old schedule was cancelled");
        time.advance(s(2.9));
        assertEquals(Optional.empty(), ticker.tryReceive());
        time.advance(s(0.1));
        assertEquals(Optional.of(at(4.5)), ticker.tryReceive());
        time.advance(s(3));
        assertEquals(Optional.of(at(7.5)), ticker.tryReceive());
        ticker.stop();
    }

    @Test
    void resetStartsAStoppedTickerAgain() {
        Ticker ticker = Ticker.every(s(1), time);
        ticker.stop();
        time.advance(s(5));
        ticker.reset(s(2));
        time.advance(s(2));
        assertEquals(Optional.of(at(7)), ticker.tryReceive());
        ticker.close();
        assertEquals(0, time.pending());
    }

    @Test
    void tryWithResourcesStopsTheTicker() {
        try (Ticker ticker = Ticker.every(s(1), time)) {
            time.advance(s(1));
            assertTrue(ticker.tryReceive().isPresent());
        }
        assertEquals(0, time.pending());
    }

    @Test
    void resetToAFarPeriodDoesNotWakeABlockedReceiverAndResetToATinyOneDoes() throws Exception {
        Ticker ticker = Ticker.every(s(1), time);
        var reader = onNewThread("reader", ticker::receive);
        awaitCondition(() -> ticker.waitingReceivers() == 1, "the reader blocks");
        time.advance(s(0.5));
        ticker.reset(Duration.ofHours(1));
        time.advance(s(10));
        assertEquals(1, ticker.waitingReceivers(), "still blocked: nothing fired");
        assertFalse(reader.isDone());
        ticker.reset(Duration.ofMillis(1));
        time.advance(Duration.ofMillis(1));
        assertEquals(at(10.501), reader.get());
        ticker.stop();
    }

    @Test
    void eachTickGoesToOneOfTheBlockedReceiversInArrivalOrder() throws Exception {
        Ticker ticker = Ticker.every(s(1), time);
        var first = onNewThread("first", ticker::receive);
        awaitCondition(() -> ticker.waitingReceivers() == 1, "the first reader blocks");
        var second = onNewThread("second", ticker::receive);
        awaitCondition(() -> ticker.waitingReceivers() == 2, "the second reader blocks");
        time.advance(s(1));
        assertEquals(at(1), first.get());
        assertEquals(1, ticker.waitingReceivers());
        time.advance(s(1));
        assertEquals(at(2), second.get());
        ticker.stop();
    }

    @Test
    void stopDoesNotWakeABlockedReceiverButItsScopesCancellationDoes() throws Exception {
        Ticker ticker = Ticker.every(s(1), time);
        AtomicReference<Scope> opened = new AtomicReference<>();
        var reader = onNewThread("owner", () -> {
            try (Scope scope = Scope.open()) {
                opened.set(scope);
                return ticker.receive();
            }
        });
        awaitCondition(() -> ticker.waitingReceivers() == 1, "the owner blocks in receive");
        ticker.stop();
        time.advance(s(5));
        assertEquals(1, ticker.waitingReceivers(), "Go: Stop does not close the channel");
        opened.get().cancel();
        Throwable thrown = reader.failure();
        assertInstanceOf(CancelledException.class, thrown);
        assertEquals(0, ticker.waitingReceivers(), "the cancelled receiver left the queue");
    }

    @Test
    void receiveEndsAtTheDeadlineOfAScopeOnTheSameManualTime() throws Exception {
        var reader = onNewThread("owner", () -> {
            try (Scope scope = Scope.open(c -> c.withTimeSource(time).withTimeout(s(2.5)))) {
                Ticker ticker = Ticker.every(Duration.ofHours(1)); // the context's time source: `time`
                try {
                    return ticker.receive();
                } finally {
                    ticker.stop();
                }
            }
        });
        awaitCondition(() -> time.pending() == 2, "the deadline and the ticker are scheduled");
        time.advance(s(2.5));
        assertInstanceOf(DeadlineExceededException.class, reader.failure());
        assertEquals(0, time.pending());
    }

    @Test
    void aTickerInAScopeUsesTheScopesTimeSource() throws Exception {
        try (Scope scope = Scope.open(c -> c.withTimeSource(time))) {
            Ticker ticker = Ticker.every(s(1));
            time.advance(s(1));
            assertEquals(at(1), ticker.receive(), "the tick is there: receive returns without waiting");
            ticker.stop();
        }
    }

    @Test
    void anInterruptEndsABlockedReceiveAndAnInterruptedOrCancelledCallerFailsAtOnce() throws Exception {
        Ticker ticker = Ticker.every(s(1), time);
        var reader = onNewThread("reader", ticker::receive);
        awaitCondition(() -> ticker.waitingReceivers() == 1, "the reader blocks");
        reader.thread().interrupt();
        assertInstanceOf(InterruptedException.class, reader.failure());
        assertEquals(0, ticker.waitingReceivers());

        time.advance(s(1)); // a tick is pending, but an interrupted caller fails first
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, ticker::receive);
        try (Scope scope = Scope.open()) {
            scope.cancel();
            assertThrows(CancelledException.class, ticker::receive);
        }
        assertEquals(Optional.of(at(1)), ticker.tryReceive(), "the failed receives took nothing");
        ticker.stop();
    }

    @Test
    void aHugePeriodSaturatesAndAClockAtTheEndOfTimeStopsScheduling() {
        Ticker huge = Ticker.every(Duration.ofSeconds(Long.MAX_VALUE), time);
        time.advance(Duration.ofDays(365));
        assertEquals(Optional.empty(), huge.tryReceive());
        huge.stop();
        time.advance(Duration.ofSeconds(Long.MAX_VALUE)); // the clock saturates at Long.MAX_VALUE
        Ticker ticker = Ticker.every(s(1), time);          // due "now": it fires inside every()
        assertTrue(ticker.tryReceive().isPresent());
        assertEquals(0, time.pending(), "no tick can be due after the end of representable time");
        ticker.stop();
    }

    @Test
    void badArgumentsAreRejectedWithTheirName() {
        NullPointerException nullPeriod = assertThrows(NullPointerException.class, () -> Ticker.every(null, time));
        assertEquals("period", nullPeriod.getMessage());
        NullPointerException nullTime = assertThrows(NullPointerException.class, () -> Ticker.every(s(1), null));
        assertEquals("time", nullTime.getMessage());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> Ticker.every(Duration.ZERO, time));
        assertEquals("period must be positive, was PT0S", zero.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> Ticker.every(s(-1)));
        assertEquals("period must be positive, was PT-1S", negative.getMessage());

        Ticker ticker = Ticker.every(s(1), time);
        assertThrows(IllegalArgumentException.class, () -> ticker.reset(Duration.ZERO));
        assertThrows(NullPointerException.class, () -> ticker.reset(null));
        time.advance(s(1));
        assertEquals(Optional.of(at(1)), ticker.tryReceive(), "a rejected reset changed nothing");
        assertTrue(ticker.toString().contains("every PT1S"), ticker.toString());
        ticker.stop();
        assertTrue(ticker.toString().contains("stopped"), ticker.toString());
    }
}
