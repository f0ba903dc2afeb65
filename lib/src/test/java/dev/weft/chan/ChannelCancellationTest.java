package dev.weft.chan;

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
import dev.weft.ScopeFailedException;
import dev.weft.Subtask;
import dev.weft.time.ManualTime;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every blocking call honours the current context and the interrupt flag, and one that gives up
 * leaves nothing half-done.
 */
@ExtendWith(LeakCheckExtension.class)
class ChannelCancellationTest {

    /** What a blocking call on a scope's owner thread did when another thread cancelled the scope. */
    private static String cancelOwnerBlockedIn(Blocking call) throws Exception {
        AtomicReference<Scope> scope = new AtomicReference<>();
        CountDownLatch opened = new CountDownLatch(1);
        var owner = TestSupport.onNewThread("owner", () -> {
            try (Scope s = Scope.open()) {
                scope.set(s);
                opened.countDown();
                try {
                    return "returned " + call.run();
                } catch (CancelledException e) {
                    return "cancelled, interrupted=" + Thread.currentThread().isInterrupted();
                }
            }
        });
        assertTrue(opened.await(10, java.util.concurrent.TimeUnit.SECONDS));
        owner.awaitBlocked();
        scope.get().cancel();
        return owner.get();
    }

    @FunctionalInterface
    interface Blocking {
        Object run() throws Exception;
    }

    @Test
    void cancellingTheScopeWakesAnOwnerBlockedInSendWithoutAnInterrupt() throws Exception {
        Channel<String> ch = Channel.buffered(1);
        ch.send("full");
        assertEquals("cancelled, interrupted=false", cancelOwnerBlockedIn(() -> {
            ch.send("blocked");
            return "sent";
        }));
        assertEquals("full", ch.receive());
        assertEquals(Optional.empty(), ch.tryReceive(), "the cancelled send sent nothing");
        assertEquals(ChannelWaiters.NOBODY_WAITING, ChannelWaiters.waiters(ch), "the cancelled send left no waiting sender");
        assertTrue(ch.trySend("room"), "and left no waiting sender");
    }

    @Test
    void cancellingTheScopeWakesAnOwnerBlockedInReceive() throws Exception {
        Channel<String> ch = Channel.rendezvous();
        assertEquals("cancelled, interrupted=false", cancelOwnerBlockedIn(ch::receive));
        assertEquals(ChannelWaiters.NOBODY_WAITING, ChannelWaiters.waiters(ch), "the cancelled receive left no waiting receiver");
        assertFalse(ch.trySend("x"), "the cancelled receive left no waiting receiver");
    }

    @Test
    void cancellingTheScopeWakesAnOwnerBlockedInSelect() throws Exception {
        Channel<String> a = Channel.rendezvous();
        Channel<String> b = Channel.buffered(1);
        b.send("full");
        assertEquals("cancelled, interrupted=false",
                cancelOwnerBlockedIn(() -> Select.select(a.onReceive(v -> v), b.onSend("more", () -> "sent"))));
        assertEquals(ChannelWaiters.NOBODY_WAITING, ChannelWaiters.waiters(a), "no receive clause left behind");
        assertEquals(ChannelWaiters.NOBODY_WAITING, ChannelWaiters.waiters(b), "no send clause left behind");
        assertFalse(a.trySend("x"), "no receive clause left behind");
        assertEquals("full", b.receive());
        assertEquals(Optional.empty(), b.tryReceive(), "no send clause left behind");
    }

    @Test
    void iterationIsWokenByCancellation() throws Exception {
        Channel<String> ch = Channel.rendezvous();
        assertEquals("cancelled, interrupted=false", cancelOwnerBlockedIn(() -> {
            for (String s : ch) {
                return s;
            }
            return "ended";
        }));
    }

    @Test
    void aFailingSiblingCancelsAForkBlockedInReceive() throws Exception {
        Channel<String> never = Channel.rendezvous();
        IllegalStateException failure = new IllegalStateException("sibling failed");
        try (Scope scope = Scope.open()) {
            Subtask<String> blocked = scope.fork(never::receive);
            scope.fork(() -> {
                TestSupport.awaitCondition(() -> !never.toString().contains(" 0 receivers"), "the receive waits");
                throw failure;
            });
            ScopeFailedException e = assertThrows(ScopeFailedException.class, scope::join);
            assertSame(failure, e.getCause());
            assertEquals(Subtask.State.CANCELLED, blocked.state());
        }
    }

    @Test
    void theDeadlineEndsABlockedReceiveSendAndSelect() throws Exception {
        for (String op : new String[] {"receive", "send", "select"}) {
            ManualTime time = new ManualTime();
            Channel<String> ch = Channel.rendezvous();
            Thread caller = Thread.currentThread();
            var advancer = TestSupport.onNewThread("advancer", () -> {
                TestSupport.awaitCondition(() -> time.pending() >= 1, "the scope's deadline is scheduled");
                TestSupport.awaitBlocked(caller);
                time.advance(Duration.ofSeconds(2));
                return null;
            });
            try (Scope scope = Scope.open(c -> c.withTimeSource(time).withTimeout(Duration.ofSeconds(2)))) {
                assertThrows(DeadlineExceededException.class, () -> {
                    switch (op) {
                        case "receive" -> ch.receive();
                        case "send" -> ch.send("x");
                        default -> Select.select(ch.onReceive(v -> v), Select.onTimeout(Duration.ofHours(1), () -> "late"));
                    }
                }, op);
            }
            advancer.get();
            assertEquals(ChannelWaiters.NOBODY_WAITING, ChannelWaiters.waiters(ch), op + " left nobody waiting");
            assertFalse(ch.trySend("x"), op + " left no receiver");
            assertEquals(Optional.empty(), ch.tryReceive(), op + " left no sender");
        }
    }

    @Test
    void aBlockingCallInACancelledContextThrowsEvenIfItCouldProceed() throws Exception {
        Channel<String> ch = Channel.buffered(2);
        ch.send("ready");
        IllegalStateException cause = new IllegalStateException("stop");
        try (Scope scope = Scope.open()) {
            scope.cancel(cause);
            assertSame(cause, assertThrows(CancelledException.class, ch::receive).cause());
            assertThrows(CancelledException.class, () -> ch.send("more"));
            assertThrows(CancelledException.class, () -> Select.select(ch.onReceive(v -> v)));
            assertThrows(CancelledException.class, () -> {
                for (String s : ch) {
                    fail(s);
                }
            });
            // the non-blocking forms do not look at the context
            assertTrue(ch.trySend("tried"));
            assertEquals(Optional.of("ready"), ch.tryReceive());
            assertEquals("tried", Select.select(ch.onReceive(v -> v), Select.orDefault(() -> "default")));
        }
    }

    private static void fail(String s) {
        throw new AssertionError("received " + s);
    }

    @Test
    void anInterruptedBlockedCallThrowsInterruptedExceptionAndLeavesNothing() throws Exception {
        Channel<String> ch = Channel.buffered(1);
        ch.send("full");
        var sender = TestSupport.onNewThread("sender", () -> {
            ch.send("never");
            return null;
        }).awaitBlocked();
        sender.thread().interrupt();
        assertInstanceOf(InterruptedException.class, sender.failure());
        assertEquals(ChannelWaiters.NOBODY_WAITING, ChannelWaiters.waiters(ch), "the interrupted send left no sender");
        assertEquals("full", ch.receive());
        assertEquals(Optional.empty(), ch.tryReceive(), "the interrupted send sent nothing");

        Channel<String> empty = Channel.rendezvous();
        var receiver = TestSupport.onNewThread("receiver", empty::receive).awaitBlocked();
        receiver.thread().interrupt();
        assertInstanceOf(InterruptedException.class, receiver.failure());
        assertEquals(ChannelWaiters.NOBODY_WAITING, ChannelWaiters.waiters(empty), "the interrupted receive left no receiver");
        assertFalse(empty.trySend("x"), "the interrupted receive left no receiver");

        var selecting = TestSupport.onNewThread("select", () -> Select.select(empty.onReceive(v -> v))).awaitBlocked();
        selecting.thread().interrupt();
        assertInstanceOf(InterruptedException.class, selecting.failure());
        assertEquals(ChannelWaiters.NOBODY_WAITING, ChannelWaiters.waiters(empty), "the interrupted select left no receiver");
    }

    @Test
    void anInterruptBeforeABlockingCallThrowsAtOnceAndClearsTheFlag() throws Exception {
        Channel<String> ch = Channel.buffered(1);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> ch.send("x"));
        assertFalse(Thread.currentThread().isInterrupted());
        assertEquals(0, ch.size(), "nothing was sent");
        assertTrue(ch.trySend("x"));
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, ch::receive);
        assertEquals(1, ch.size(), "nothing was received");
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> Select.select(ch.onReceive(v -> v)));
        assertEquals(1, ch.size());
    }

    @Test
    void whenACallIsBothCancelledAndInterruptedTheCancellationWinsAndTheFlagStays() throws Exception {
        Channel<String> ch = Channel.rendezvous();
        AtomicReference<Scope> scope = new AtomicReference<>();
        CountDownLatch opened = new CountDownLatch(1);
        var owner = TestSupport.onNewThread("owner", () -> {
            try (Scope s = Scope.open()) {
                scope.set(s);
                opened.countDown();
                try {
                    return ch.receive();
                } catch (CancelledException e) {
                    return "cancelled, interrupted=" + Thread.interrupted();
                }
            }
        });
        opened.await();
        owner.awaitBlocked();
        // Both before the owner runs again: it wakes once and sees both.
        scope.get().cancel();
        owner.thread().interrupt();
        assertEquals("cancelled, interrupted=true", owner.get());
    }

    /**
     * A send whose element a receiver took at the moment the sender was cancelled counts as sent:
     * it returns normally, the receiver has the element, and it is received exactly once.
     */
    @Test
    void aSendTakenAtTheMomentOfItsCancellationCountsAsSentExactlyOnce() throws Exception {
        int normal = 0;
        for (int round = 0; round < 300; round++) {
            Channel<Integer> ch = Channel.rendezvous();
            AtomicReference<Scope> scope = new AtomicReference<>();
            CountDownLatch opened = new CountDownLatch(1);
            var sender = TestSupport.onNewThread("sender", () -> {
                try (Scope s = Scope.open()) {
                    scope.set(s);
                    opened.countDown();
                    try {
                        ch.send(round(s));
                        return "sent";
                    } catch (CancelledException e) {
                        return "cancelled";
                    }
                }
            });
            opened.await();
            sender.awaitBlocked();
            var canceller = TestSupport.onNewThread("canceller", () -> {
                scope.get().cancel();
                return null;
            });
            Optional<Integer> taken = ch.tryReceive();
            canceller.get();
            String outcome = sender.get();
            if (taken.isPresent()) {
                normal++;
                assertEquals("sent", outcome, "the element was received, so the send must not report a failure");
            } else {
                assertEquals("cancelled", outcome, "nothing was received, so the send must have failed");
            }
            assertEquals(Optional.empty(), ch.tryReceive(), "never a second copy");
        }
        assertTrue(normal > 0, "the receiver should win the race sometimes");
    }

    private static int round(Scope s) {
        return s.hashCode();
    }
}
