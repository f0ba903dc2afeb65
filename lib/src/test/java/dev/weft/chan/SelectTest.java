package dev.weft.chan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.LeakCheckExtension;
import dev.weft.TestSupport;
import dev.weft.Scope;
import dev.weft.time.ManualTime;
import dev.weft.time.TimeSource;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Select: exactly one clause, no bias, timeouts on the context's clock, defaults, closed channels, disabled cases. */
@ExtendWith(LeakCheckExtension.class)
class SelectTest {

    @Test
    void aReadyReceiveFiresAndTheOtherClauseTakesNothing() throws Exception {
        Channel<String> a = Channel.buffered(1);
        Channel<String> b = Channel.buffered(1);
        a.send("from a");
        String got = Select.select(a.onReceive(v -> "a:" + v), b.onReceive(v -> "b:" + v));
        assertEquals("a:from a", got);
        b.send("from b");
        assertEquals("b:from b", Select.select(a.onReceive(v -> "a:" + v), b.onReceive(v -> "b:" + v)));
        assertEquals(0, a.size() + b.size());
    }

    @Test
    void receiveBeatsTheTimeoutWhenAnElementArrivesFirst() throws Exception {
        ManualTime time = new ManualTime();
        Channel<String> ch = Channel.rendezvous();
        try (Scope scope = Scope.open(c -> c.withTimeSource(time))) {
            Thread selecting = Thread.currentThread();
            var feeder = TestSupport.onNewThread("feeder", () -> {
                TestSupport.awaitCondition(() -> time.pending() == 1, "the select scheduled its timeout");
                TestSupport.awaitBlocked(selecting);
                time.advance(Duration.ofMillis(999)); // not yet
                ch.send("just in time");
                return null;
            });
            String got = Select.select(ch.onReceive(v -> v), Select.onTimeout(Duration.ofSeconds(1), () -> "timeout"));
            feeder.get();
            assertEquals("just in time", got);
            assertEquals(0, time.pending(), "the select cancelled its timer");
        }
    }

    @Test
    void theTimeoutFiresOnTheContextsClockAndTakesNothing() throws Exception {
        ManualTime time = new ManualTime();
        Channel<String> ch = Channel.rendezvous();
        try (Scope scope = Scope.open(c -> c.withTimeSource(time))) {
            Thread selecting = Thread.currentThread();
            var advancer = TestSupport.onNewThread("advancer", () -> {
                TestSupport.awaitCondition(() -> time.pending() == 1, "the select scheduled its timeout");
                TestSupport.awaitBlocked(selecting);
                time.advance(Duration.ofSeconds(1));
                return null;
            });
            String got = Select.select(ch.onReceive(v -> v), Select.onTimeout(Duration.ofSeconds(1), () -> "timeout"));
            advancer.get();
            assertEquals("timeout", got);
        }
        assertEquals(ChannelWaiters.NOBODY_WAITING, ChannelWaiters.waiters(ch), "the timed-out select left no receiver behind");
        assertFalse(ch.trySend("x"), "the timed-out select left no receiver behind");
    }

    @Test
    void theEarliestOfSeveralTimeoutsFires() throws Exception {
        ManualTime time = new ManualTime();
        try (Scope scope = Scope.open(c -> c.withTimeSource(time))) {
            Thread selecting = Thread.currentThread();
            var advancer = TestSupport.onNewThread("advancer", () -> {
                TestSupport.awaitCondition(() -> time.pending() == 1, "the select scheduled its timeout");
                TestSupport.awaitBlocked(selecting);
                time.advance(Duration.ofSeconds(5));
                return null;
            });
            Channel<String> never = Channel.rendezvous();
            String got = Select.select(Select.onTimeout(Duration.ofSeconds(3), () -> "3s"), never.onReceive(v -> v),
                    Select.onTimeout(Duration.ofSeconds(2), () -> "2s"));
            advancer.get();
            assertEquals("2s", got);
        }
    }

    @Test
    void aSelectOfOnlyATimeoutIsACancellableSleepOnTheContextsClock() throws Exception {
        ManualTime time = new ManualTime();
        try (Scope scope = Scope.open(c -> c.withTimeSource(time))) {
            Thread selecting = Thread.currentThread();
            var advancer = TestSupport.onNewThread("advancer", () -> {
                TestSupport.awaitCondition(() -> time.pending() == 1, "the select scheduled its timeout");
                TestSupport.awaitBlocked(selecting);
                time.advance(Duration.ofMinutes(10));
                return null;
            });
            assertEquals("slept", Select.select(Select.onTimeout(Duration.ofMinutes(10), () -> "slept")));
            advancer.get();
        }
    }

    @Test
    void aTimeSourceThatCannotScheduleFailsTheSelectAndLeavesNothingBehind() throws Exception {
        IllegalStateException noTimers = new IllegalStateException("no timers here");
        TimeSource broken = new TimeSource() {
            @Override
            public long nanoTime() {
                return 0;
            }

            @Override
            public Instant now() {
                return Instant.EPOCH;
            }

            @Override
            public Scheduled schedule(Duration delay, Runnable action) {
                throw noTimers;
            }
        };
        Channel<String> ch = Channel.rendezvous();
        try (Scope scope = Scope.open(c -> c.withTimeSource(broken))) {
            assertSame(noTimers, assertThrows(IllegalStateException.class,
                    () -> Select.select(ch.onReceive(v -> v), Select.onTimeout(Duration.ofSeconds(1), () -> "timeout"))));
        }
        assertEquals(ChannelWaiters.NOBODY_WAITING, ChannelWaiters.waiters(ch), "the failed select left no receiver behind");
        assertFalse(ch.trySend("x"), "the failed select left no receiver behind");
    }

    @Test
    void aZeroTimeoutFiresWhenNothingIsReadyAndLosesToAReadyClause() throws Exception {
        Channel<String> ch = Channel.buffered(1);
        assertEquals("zero", Select.select(ch.onReceive(v -> v), Select.onTimeout(Duration.ZERO, () -> "zero")));
        ch.send("ready");
        assertEquals("ready", Select.select(ch.onReceive(v -> v), Select.onTimeout(Duration.ZERO, () -> "zero")));
    }

    @Test
    void onTheSystemClockATimeoutFiresByItself() throws Exception {
        Channel<String> ch = Channel.rendezvous();
        assertEquals("timeout", Select.select(ch.onReceive(v -> v), Select.onTimeout(Duration.ofMillis(20), () -> "timeout")));
        assertEquals(ChannelWaiters.NOBODY_WAITING, ChannelWaiters.waiters(ch));
    }

    @Test
    void aSendClauseFiresWhenAReceiverTakesTheValue() throws Exception {
        Channel<String> out = Channel.rendezvous();
        Channel<String> in = Channel.rendezvous();
        var receiver = TestSupport.onNewThread("receiver", out::receive);
        String got = Select.select(out.onSend("value", () -> "sent"), in.onReceive(v -> "received " + v));
        assertEquals("sent", got);
        assertEquals("value", receiver.get());
    }

    @Test
    void whenASendAndAReceiveAreBothReadyExactlyOneHappens() throws Exception {
        int sent = 0;
        int received = 0;
        for (int round = 0; round < 100; round++) {
            Channel<String> out = Channel.rendezvous();
            Channel<String> in = Channel.rendezvous();
            var taker = TestSupport.onNewThread("taker", out::receive).awaitBlocked();
            var giver = TestSupport.onNewThread("giver", () -> {
                in.send("incoming");
                return null;
            }).awaitBlocked();
            String got = Select.select(out.onSend("outgoing", () -> "sent"), in.onReceive(v -> "received " + v));
            if (got.equals("sent")) {
                sent++;
                assertEquals("outgoing", taker.get());
                assertFalse(giver.isDone(), "the receive clause lost: the giver still waits");
                assertEquals("incoming", in.receive());
                giver.get();
            } else {
                received++;
                assertEquals("received incoming", got);
                giver.get();
                assertFalse(taker.isDone(), "the send clause lost: the taker still waits");
                out.send("other");
                assertEquals("other", taker.get());
            }
        }
        assertTrue(sent > 0 && received > 0, "both clauses should win sometimes: sent " + sent + ", received " + received);
    }

    @Test
    void theDefaultFiresWhenNothingIsReadyAndNothingIsTaken() throws Exception {
        Channel<String> a = Channel.rendezvous();
        Channel<String> b = Channel.buffered(1);
        b.send("full");
        String got = Select.select(a.onReceive(v -> v), b.onSend("more", () -> "sent"), Select.orDefault(() -> "default"));
        assertEquals("default", got);
        assertEquals(Optional.of("full"), b.tryReceive());
        assertEquals(Optional.empty(), b.tryReceive(), "the send clause that lost sent nothing");
        b.send("ready");
        assertEquals("ready", Select.select(b.onReceive(v -> v), Select.orDefault(() -> "default")));
    }

    @Test
    void withTwoAlwaysReadyChannelsEachClauseWinsAtLeastFortyPercent() throws Exception {
        Channel<Integer> a = Channel.buffered(1);
        Channel<Integer> b = Channel.buffered(1);
        var fromA = a.<Integer>onReceive(v -> 0);
        var fromB = b.<Integer>onReceive(v -> 1);
        int[] wins = new int[2];
        int selects = 10_000;
        for (int i = 0; i < selects; i++) {
            a.trySend(1);
            b.trySend(1);
            wins[Select.select(fromA, fromB)]++;
        }
        assertTrue(wins[0] >= selects * 0.4 && wins[1] >= selects * 0.4,
                "a won " + wins[0] + ", b won " + wins[1] + " of " + selects);
    }

    @Test
    void amongThreeReadyClausesEachWinsAboutAThirdBecauseTheOrderIsAPermutation() throws Exception {
        Channel<Integer> never = Channel.rendezvous();
        Channel<Integer> a = Channel.buffered(1);
        Channel<Integer> b = Channel.buffered(1);
        Channel<Integer> c = Channel.buffered(1);
        List<Select.Clause<Integer>> clauses = List.of(never.onReceive(v -> 9), a.onReceive(v -> 0),
                b.onReceive(v -> 1), c.onReceive(v -> 2));
        int[] wins = new int[3];
        int selects = 9_000;
        for (int i = 0; i < selects; i++) {
            a.trySend(1);
            b.trySend(1);
            c.trySend(1);
            wins[Select.select(clauses)]++;
        }
        for (int w : wins) {
            assertTrue(w >= selects * 0.25, "wins " + w + " of " + selects + " per clause: " + List.of(wins[0], wins[1], wins[2]));
        }
    }

    @Test
    void aReceiveClauseOnAClosedChannelIsReady() throws Exception {
        Channel<String> open = Channel.rendezvous();
        Channel<String> closed = Channel.buffered(1);
        closed.close();
        assertThrows(ChannelClosedException.class, () -> Select.select(open.onReceive(v -> v), closed.onReceive(v -> v)));
        assertEquals("closed", Select.select(open.onReceive(v -> v), closed.onReceiveOrClosed(v -> v, () -> "closed")));
        IOException cause = new IOException("failed");
        Channel<String> failed = Channel.buffered(1);
        failed.send("first the element");
        failed.fail(cause);
        assertEquals("first the element", Select.select(failed.onReceiveOrClosed(v -> v, () -> "closed")));
        ChannelClosedException e = assertThrows(ChannelClosedException.class,
                () -> Select.select(failed.onReceiveOrClosed(v -> v, () -> "closed")));
        assertSame(cause, e.getCause(), "a failure is never mistaken for a normal end");
    }

    @Test
    void aSendClauseOnAClosedChannelMakesTheSelectThrow() throws Exception {
        Channel<String> closed = Channel.buffered(1);
        closed.close();
        Channel<String> open = Channel.rendezvous();
        assertThrows(ChannelClosedException.class,
                () -> Select.select(open.onReceive(v -> v), closed.onSend("x", () -> "sent")));

        Channel<String> failed = Channel.buffered(1);
        IllegalStateException cause = new IllegalStateException("upstream broke");
        failed.fail(cause);
        assertSame(cause, assertThrows(ChannelClosedException.class,
                () -> Select.select(failed.onSend("x", () -> "sent"))).getCause(), "a lone send clause names the failure");
        assertSame(cause, assertThrows(ChannelClosedException.class,
                () -> Select.select(failed.onSend("x", () -> "sent"), Select.orDefault(() -> "default"))).getCause(),
                "a closed channel's send clause is ready, so the default does not fire");
        assertFalse(open.trySend("y"), "the select released the open channel's lock and left nothing on it");
        assertEquals(ChannelWaiters.NOBODY_WAITING, ChannelWaiters.waiters(open));
        assertEquals(0, failed.size(), "nothing was added to the failed channel");
    }

    @Test
    void closingAChannelWakesASelectWaitingOnIt() throws Exception {
        Channel<String> a = Channel.rendezvous();
        Channel<String> b = Channel.rendezvous();
        var selecting = TestSupport.onNewThread("select", () -> Select.select(a.onReceive(v -> v),
                b.onReceiveOrClosed(v -> v, () -> "b closed"))).awaitBlocked();
        b.close();
        assertEquals("b closed", selecting.get());
        assertEquals(ChannelWaiters.NOBODY_WAITING, ChannelWaiters.waiters(a), "the woken select left no receiver on a");

        Channel<String> out = Channel.rendezvous();
        var sending = TestSupport.onNewThread("select", () -> Select.select(out.onSend("v", () -> "sent"))).awaitBlocked();
        out.close();
        assertInstanceOf(ChannelClosedException.class, sending.failure());
    }

    @Test
    void aLosingClauseOfAWaitingSelectLeavesItsChannelAlone() throws Exception {
        Channel<String> a = Channel.rendezvous();
        Channel<String> b = Channel.rendezvous();
        var selecting = TestSupport.onNewThread("select", () -> Select.select(a.onReceive(v -> "a " + v), b.onSend("from select", () -> "sent")))
                .awaitBlocked();
        a.send("first");
        assertEquals("a first", selecting.get());
        assertEquals(ChannelWaiters.NOBODY_WAITING, ChannelWaiters.waiters(b), "the send clause lost and offers nothing any more");
        assertEquals(ChannelWaiters.NOBODY_WAITING, ChannelWaiters.waiters(a), "nor does the receive clause wait any more");
    }

    @Test
    void aSelectNeverMatchesItsOwnSendAndReceiveOnTheSameChannel() throws Exception {
        Channel<String> ch = Channel.rendezvous();
        var selecting = TestSupport.onNewThread("select", () -> Select.select(ch.onSend("mine", () -> "sent"), ch.onReceive(v -> "received " + v)))
                .awaitBlocked();
        assertFalse(selecting.isDone(), "its own send and receive must not meet");
        assertEquals("mine", ch.receive());
        assertEquals("sent", selecting.get());
    }

    @Test
    void nilChannelIdiomADisabledCaseIsLeftOutOfTheList() throws Exception {
        Channel<Integer> a = Channel.buffered(4);
        Channel<Integer> b = Channel.buffered(4);
        for (int i = 0; i < 3; i++) {
            a.send(i);
            b.send(10 + i);
        }
        a.close();
        b.close();
        List<ReceiveChannel<Integer>> open = new ArrayList<>(List.of(a, b));
        List<Integer> merged = new ArrayList<>();
        while (!open.isEmpty()) {
            List<Select.Clause<Integer>> cases = new ArrayList<>();
            for (ReceiveChannel<Integer> in : open) {
                cases.add(in.onReceiveOrClosed(v -> v, () -> {
                    open.remove(in); // Go: in = nil
                    return null;
                }));
            }
            Integer v = Select.select(cases);
            if (v != null) {
                merged.add(v);
            }
        }
        merged.sort(null);
        assertEquals(List.of(0, 1, 2, 10, 11, 12), merged);
    }

    @Test
    void twoReadyClausesOnTheSameChannelTakeOneElement() throws Exception {
        Channel<String> ch = Channel.buffered(1);
        ch.send("x");
        String got = Select.select(ch.onReceive(v -> "first"), ch.onReceive(v -> "second"));
        assertTrue(got.equals("first") || got.equals("second"));
        assertEquals(0, ch.size());
    }

    @Test
    void whatTheClauseFunctionThrowsIsThrownAfterTheOperation() throws Exception {
        Channel<String> ch = Channel.buffered(1);
        ch.send("taken");
        IllegalStateException boom = new IllegalStateException("boom");
        assertSame(boom, assertThrows(IllegalStateException.class, () -> Select.select(ch.onReceive(v -> {
            throw boom;
        }))));
        assertEquals(0, ch.size(), "the element was received before the function ran");
    }

    @Test
    void clausesAreReusableAcrossSelects() throws Exception {
        Channel<Integer> ch = Channel.buffered(3);
        Select.Clause<Integer> receive = ch.onReceive(v -> v * 10);
        Select.Clause<Integer> send = ch.onSend(7, () -> -1);
        assertEquals(-1, Select.select(send));
        assertEquals(-1, Select.select(send));
        assertEquals(70, Select.select(receive));
        assertEquals(70, Select.select(receive));
    }
}
