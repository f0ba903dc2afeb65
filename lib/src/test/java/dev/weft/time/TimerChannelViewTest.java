package dev.weft.time;

import static dev.weft.TestSupport.awaitCondition;
import static dev.weft.TestSupport.onNewThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.LeakCheckExtension;
import dev.weft.TestSupport;
import dev.weft.chan.Channel;
import dev.weft.chan.ReceiveChannel;
import dev.weft.chan.Select;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Ticker.channel() and Timer.channel(): Go's t.C as one clause of a select, with the Go 1.23 rules. */
@ExtendWith(LeakCheckExtension.class)
class TimerChannelViewTest {
    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    private final ManualTime time = new ManualTime(START);

    /** Go: for { select { case t := <-ticker.C: flush(t); case j := <-jobs: add(j) } }. */
    @Test
    void aTickIsOneClauseOfASelectAndCarriesTheScheduledFireTime() throws Exception {
        Channel<String> jobs = Channel.rendezvous();
        try (Ticker ticker = Ticker.every(Duration.ofSeconds(1), time)) {
            var loop = onNewThread("loop", () -> Select.select(
                    ticker.channel().onReceive(t -> "tick at " + t),
                    jobs.onReceive(j -> "job " + j)));
            awaitCondition(() -> ticker.waitingReceivers() == 1 && jobs.waitingReceivers() == 1, "the select waits on both");
            time.advance(Duration.ofSeconds(1));
            assertEquals("tick at " + START.plusSeconds(1), loop.get());
            assertEquals(0, jobs.waitingReceivers(), "the losing clause left the jobs channel");

            var second = onNewThread("loop", () -> Select.select(
                    ticker.channel().onReceive(t -> "tick at " + t),
                    jobs.onReceive(j -> "job " + j)));
            awaitCondition(() -> jobs.waitingReceivers() == 1, "the select waits again");
            jobs.send("j1");
            assertEquals("job j1", second.get());
            assertEquals(0, ticker.waitingReceivers(), "the losing tick clause left the ticker's channel");
            time.advance(Duration.ofSeconds(1));
            assertEquals(Optional.of(START.plusSeconds(2)), ticker.tryReceive(), "the lost clause took no tick");
        }
        assertEquals(0, time.pending());
    }

    @Test
    void afterStopOrResetASelectNeverGetsAStaleTick() throws Exception {
        Ticker ticker = Ticker.every(Duration.ofSeconds(1), time);
        time.advance(Duration.ofSeconds(1)); // a tick is buffered
        ticker.stop();
        assertEquals("none", Select.select(ticker.channel().onReceive(t -> "stale " + t), Select.orDefault(() -> "none")));
        ticker.reset(Duration.ofSeconds(5));
        time.advance(Duration.ofSeconds(1));
        assertEquals("none", Select.select(ticker.channel().onReceive(t -> "stale " + t), Select.orDefault(() -> "none")),
                "the old one-second schedule is gone");
        time.advance(Duration.ofSeconds(4));
        assertEquals("tick at " + START.plusSeconds(6),
                Select.select(ticker.channel().onReceive(t -> "tick at " + t), Select.orDefault(() -> "none")));
        ticker.stop();
        assertEquals(0, time.pending());
    }

    /** Go: select { case r := <-reply: use(r); case <-timer.C: fallback() }, and the timer stopped when the reply wins. */
    @Test
    void aTimerChannelIsGosTimeoutCaseAndStopReportsWhetherItWasReceived() throws Exception {
        Channel<String> reply = Channel.rendezvous();
        Timer timeout = Timer.after(Duration.ofSeconds(5), time);
        var waiting = onNewThread("caller", () -> Select.select(
                reply.onReceive(r -> "reply " + r),
                timeout.channel().onReceive(t -> "timed out at " + t)));
        awaitCondition(() -> timeout.waitingReceivers() == 1 && reply.waitingReceivers() == 1, "the select waits on both");
        time.advance(Duration.ofSeconds(5));
        assertEquals("timed out at " + START.plusSeconds(5), waiting.get());
        assertFalse(timeout.stop(), "the value was received through the channel: nothing left to prevent");

        Timer second = Timer.after(Duration.ofSeconds(5), time);
        var answered = onNewThread("caller", () -> Select.select(
                reply.onReceive(r -> "reply " + r),
                second.channel().onReceive(t -> "timed out at " + t)));
        awaitCondition(() -> reply.waitingReceivers() == 1, "the select waits");
        reply.send("42");
        assertEquals("reply 42", answered.get());
        assertTrue(second.stop(), "the timer had not fired: stop prevented it");
        time.advance(Duration.ofSeconds(10));
        assertEquals(Optional.empty(), second.tryReceive());
        assertEquals(0, time.pending());
    }

    @Test
    void aTimersChannelIsAlwaysTheSameInstanceEvenWhenThreadsAskForItAtOnce() throws Exception {
        for (int round = 0; round < 200; round++) {
            Timer timer = Timer.after(Duration.ofSeconds(1), time);
            CyclicBarrier start = new CyclicBarrier(2);
            var other = onNewThread("asker", () -> {
                start.await();
                return timer.channel();
            });
            start.await();
            ReceiveChannel<Instant> mine = timer.channel();
            assertSame(mine, other.get(), "round " + round);
            assertSame(mine, timer.channel());
            timer.stop();
        }
    }

    @Test
    void theChannelIsTheSameSlotAsReceiveAndIsNeverClosed() throws Exception {
        Ticker ticker = Ticker.every(Duration.ofSeconds(1), time);
        ReceiveChannel<Instant> ch = ticker.channel();
        assertSame(ch, ticker.channel());
        assertFalse(ch instanceof Channel, "a receive-only view: users cannot send fake ticks or close it");
        assertEquals(1, ch.capacity(), "Go's capacity-one timer channel");
        time.advance(Duration.ofSeconds(1));
        assertEquals(Optional.of(START.plusSeconds(1)), ch.tryReceive());
        assertEquals(Optional.empty(), ticker.tryReceive(), "a tick is taken once, by one of them");
        time.advance(Duration.ofSeconds(1));
        assertEquals(START.plusSeconds(2), ticker.receive());
        assertEquals(Optional.empty(), ch.tryReceive());
        ticker.stop();
        assertFalse(ch.isClosedForReceive(), "stop does not close the channel, as in Go");

        Instant armed = time.now();
        Timer timer = Timer.after(Duration.ofSeconds(1), time);
        time.advance(Duration.ofSeconds(1));
        assertEquals(armed.plusSeconds(1), timer.channel().receive());
        assertEquals(Optional.empty(), timer.tryReceive());
        assertEquals(0, time.pending());
    }

    @Test
    void anAfterFuncTimerHasNoChannel() {
        Timer timer = Timer.afterFunc(Duration.ofSeconds(1), () -> {}, time);
        IllegalStateException e = assertThrows(IllegalStateException.class, timer::channel);
        assertTrue(e.getMessage().contains("afterFunc timer delivers no value"), e.getMessage());
        assertTrue(timer.stop());
    }
}
