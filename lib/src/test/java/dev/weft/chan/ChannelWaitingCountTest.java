package dev.weft.chan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.LeakCheckExtension;
import dev.weft.Scope;
import dev.weft.Subtask;
import dev.weft.TestSupport;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** waitingReceivers() and waitingSenders(): the monitoring snapshot of who is blocked on a channel. */
@ExtendWith(LeakCheckExtension.class)
class ChannelWaitingCountTest {

    private static void awaitCount(IntSupplier count, int expected, String what) {
        TestSupport.awaitCondition(() -> count.getAsInt() == expected, what + " is " + expected);
    }

    @Test
    void blockedReceiversAndSelectClausesCountUntilTheyAreServed() throws Exception {
        Channel<String> ch = Channel.buffered(1);
        ReceiveChannel<String> view = ch.receiveOnly();
        assertEquals(0, ch.waitingReceivers());
        try (var scope = Scope.open()) {
            Subtask<String> plain = scope.fork(ch::receive);
            awaitCount(ch::waitingReceivers, 1, "receivers waiting");
            Subtask<String> select = scope.fork(() -> Select.select(ch.onReceive(v -> "select " + v)));
            awaitCount(view::waitingReceivers, 2, "receivers waiting, seen through the view");
            ch.send("a");
            awaitCount(ch::waitingReceivers, 1, "receivers waiting after one hand-off");
            ch.send("b");
            assertEquals(0, ch.waitingReceivers(), "a served waiter no longer counts once send returned");
            scope.join();
            assertEquals("a", plain.get(), "waiting receivers are served in arrival order");
            assertEquals("select b", select.get());
        }
    }

    @Test
    void aSelectWaitingOnTwoClausesOfTheChannelCountsOncePerClause() throws Exception {
        Channel<String> ch = Channel.rendezvous();
        try (var scope = Scope.open()) {
            Subtask<String> select = scope.fork(() -> Select.select(ch.onReceive(v -> "first " + v),
                    ch.onReceive(v -> "second " + v)));
            awaitCount(ch::waitingReceivers, 2, "receive clauses waiting");
            ch.send("x");
            scope.join();
            // The sender takes the clause it served; the select unlinks its other clause once it wakes.
            assertEquals(0, ch.waitingReceivers(), "the select returned: neither of its clauses still counts");
            assertTrue(select.get().endsWith(" x"), select.get());
        }
    }

    @Test
    void blockedSendersCountUntilRoomIsMadeAndACancelledOneLeaves() throws Exception {
        Channel<Integer> ch = Channel.buffered(1);
        SendChannel<Integer> view = ch.sendOnly();
        ch.send(0);
        try (var scope = Scope.open()) {
            scope.fork(() -> ch.send(1));
            awaitCount(view::waitingSenders, 1, "senders waiting, seen through the view");
            try (var inner = Scope.open()) {
                inner.fork(() -> ch.send(2));
                awaitCount(ch::waitingSenders, 2, "senders waiting");
                inner.cancel();
                try {
                    inner.join();
                } catch (dev.weft.CancelledException expected) {
                    // the cancelled sender gave up
                }
            }
            assertEquals(1, ch.waitingSenders(), "the cancelled sender left the queue");
            assertEquals(0, ch.receive());
            assertEquals(0, ch.waitingSenders(), "the waiting element moved into the freed slot");
            scope.join();
        }
        assertEquals(1, ch.receive());
        assertEquals(0, ch.size());
    }
}
