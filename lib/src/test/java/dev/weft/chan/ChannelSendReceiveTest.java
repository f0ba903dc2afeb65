package dev.weft.chan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.LeakCheckExtension;
import dev.weft.TestSupport;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Sending and receiving: FIFO order per producer, rendezvous hand-off, the non-blocking forms, exactly once. */
@ExtendWith(LeakCheckExtension.class)
class ChannelSendReceiveTest {

    @Test
    void aBufferedChannelIsFifo() throws Exception {
        Channel<Integer> ch = Channel.buffered(5);
        for (int i = 0; i < 5; i++) {
            ch.send(i);
        }
        assertEquals(5, ch.size());
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            got.add(ch.receive());
        }
        assertEquals(List.of(0, 1, 2, 3, 4), got);
        assertEquals(0, ch.size());
    }

    @Test
    void eachProducersElementsArriveInTheOrderItSentThem() throws Exception {
        int producers = 4;
        int each = 20_000;
        Channel<long[]> ch = Channel.buffered(8);
        List<TestSupport.Helper<Void>> senders = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            long id = p;
            senders.add(TestSupport.onNewThread("producer-" + p, () -> {
                for (int i = 0; i < each; i++) {
                    ch.send(new long[] {id, i});
                }
                return null;
            }));
        }
        long[] last = {-1, -1, -1, -1};
        for (int n = 0; n < producers * each; n++) {
            long[] e = ch.receive();
            int p = (int) e[0];
            assertEquals(last[p] + 1, e[1], "producer " + p + "'s elements out of order");
            last[p] = e[1];
        }
        for (var s : senders) {
            s.get();
        }
        assertEquals(Optional.empty(), ch.tryReceive());
    }

    @Test
    void waitingSendersOfAFullChannelAreServedInArrivalOrderAfterTheBuffer() throws Exception {
        Channel<String> ch = Channel.buffered(1);
        ch.send("buffered");
        var first = TestSupport.onNewThread("first", () -> {
            ch.send("first");
            return null;
        }).awaitBlocked();
        var second = TestSupport.onNewThread("second", () -> {
            ch.send("second");
            return null;
        }).awaitBlocked();
        assertEquals("buffered", ch.receive());
        first.get(); // its element moved into the freed slot, so its send returned
        assertFalse(second.isDone());
        assertEquals("first", ch.receive());
        second.get();
        assertEquals("second", ch.receive());
    }

    @Test
    void aRendezvousSendWaitsUntilAReceiverTakesTheElement() throws Exception {
        Channel<String> ch = Channel.rendezvous();
        assertEquals(0, ch.capacity());
        var sender = TestSupport.onNewThread("sender", () -> {
            ch.send("hello");
            return "sent";
        }).awaitBlocked();
        assertFalse(sender.isDone(), "no receiver yet: the send waits");
        assertEquals(0, ch.size(), "a rendezvous channel buffers nothing");
        assertEquals("hello", ch.receive());
        assertEquals("sent", sender.get());
    }

    @Test
    void aRendezvousReceiveWaitsUntilASenderOffersAnElement() throws Exception {
        Channel<String> ch = Channel.rendezvous();
        var receiver = TestSupport.onNewThread("receiver", ch::receive).awaitBlocked();
        assertFalse(receiver.isDone());
        ch.send("hi");
        assertEquals("hi", receiver.get());
    }

    @Test
    void bufferedZeroIsARendezvousChannel() {
        Channel<String> ch = Channel.buffered(0);
        assertEquals(0, ch.capacity());
        assertFalse(ch.trySend("x"), "nobody is waiting to receive");
    }

    @Test
    void trySendAndTryReceiveNeverWait() throws Exception {
        Channel<Integer> ch = Channel.buffered(2);
        assertEquals(Optional.empty(), ch.tryReceive());
        assertTrue(ch.trySend(1));
        assertTrue(ch.trySend(2));
        assertFalse(ch.trySend(3), "full");
        assertEquals(Optional.of(1), ch.tryReceive());
        assertTrue(ch.trySend(3));
        assertEquals(Optional.of(2), ch.tryReceive());
        assertEquals(Optional.of(3), ch.tryReceive());
        assertEquals(Optional.empty(), ch.tryReceive());
    }

    @Test
    void tryOperationsOnARendezvousChannelSucceedOnlyWithAWaitingPartner() throws Exception {
        Channel<String> ch = Channel.rendezvous();
        assertFalse(ch.trySend("nobody"));
        assertEquals(Optional.empty(), ch.tryReceive());
        var receiver = TestSupport.onNewThread("receiver", ch::receive).awaitBlocked();
        assertTrue(ch.trySend("to the waiting receiver"));
        assertEquals("to the waiting receiver", receiver.get());
        var sender = TestSupport.onNewThread("sender", () -> {
            ch.send("from the waiting sender");
            return null;
        }).awaitBlocked();
        assertEquals(Optional.of("from the waiting sender"), ch.tryReceive());
        sender.get();
    }

    @Test
    void tryReceiveOfAFullChannelLetsAWaitingSenderIn() throws Exception {
        Channel<String> ch = Channel.buffered(1);
        ch.send("a");
        var sender = TestSupport.onNewThread("sender", () -> {
            ch.send("b");
            return null;
        }).awaitBlocked();
        assertEquals(Optional.of("a"), ch.tryReceive());
        sender.get();
        assertEquals(1, ch.size());
        assertEquals(Optional.of("b"), ch.tryReceive());
    }

    @Test
    void anUnboundedChannelNeverWaitsToSend() throws Exception {
        Channel<Integer> ch = Channel.unbounded();
        assertEquals(Integer.MAX_VALUE, ch.capacity());
        for (int i = 0; i < 100_000; i++) {
            ch.send(i); // no receiver: would block forever on a bounded channel
        }
        assertEquals(100_000, ch.size());
        for (int i = 0; i < 100_000; i++) {
            assertEquals(i, ch.receive());
        }
    }

    @Test
    void aLargeCapacityIsNotAllocatedUpFront() throws Exception {
        Channel<Integer> ch = Channel.buffered(Integer.MAX_VALUE - 8);
        ch.send(1);
        assertEquals(1, ch.receive());
    }

    @Test
    void theBufferWrapsAroundAndGrowsWithoutReorderingElements() throws Exception {
        Channel<Integer> ch = Channel.buffered(100);
        int next = 0;
        int expect = 0;
        for (int round = 0; round < 50; round++) { // interleave to move the ring's head around
            for (int i = 0; i < 7 + round % 13; i++) {
                ch.send(next++);
            }
            for (int i = 0; i < 5; i++) {
                assertEquals(expect++, ch.receive());
            }
            while (ch.size() > 60) {
                assertEquals(expect++, ch.receive());
            }
        }
        while (ch.size() > 0) {
            assertEquals(expect++, ch.receive());
        }
        assertEquals(next, expect);
    }

    @Test
    void everyElementIsReceivedExactlyOnceByConcurrentSendersAndReceivers() throws Exception {
        for (int capacity : new int[] {0, 1, 16}) {
            Channel<Integer> ch = Channel.buffered(capacity);
            int senders = 4;
            int each = 5_000;
            Set<Integer> seen = ConcurrentHashMap.newKeySet();
            AtomicInteger duplicates = new AtomicInteger();
            List<TestSupport.Helper<Void>> threads = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                int base = s * each;
                threads.add(TestSupport.onNewThread("sender-" + s, () -> {
                    for (int i = 0; i < each; i++) {
                        ch.send(base + i);
                    }
                    return null;
                }));
            }
            for (int r = 0; r < 3; r++) {
                threads.add(TestSupport.onNewThread("receiver-" + r, () -> {
                    for (Integer v : ch) {
                        if (!seen.add(v)) {
                            duplicates.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (int s = 0; s < senders; s++) {
                threads.get(s).get();
            }
            ch.close();
            for (var t : threads) {
                t.get();
            }
            assertEquals(0, duplicates.get(), "capacity " + capacity + ": an element was received twice");
            Set<Integer> all = new HashSet<>();
            for (int i = 0; i < senders * each; i++) {
                all.add(i);
            }
            assertEquals(all, seen, "capacity " + capacity + ": an element was lost");
        }
    }
}
