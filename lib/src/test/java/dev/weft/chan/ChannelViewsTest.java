package dev.weft.chan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.LeakCheckExtension;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Go's directional channels: the views delegate to the channel and cannot be cast back to it. */
@ExtendWith(LeakCheckExtension.class)
class ChannelViewsTest {

    @Test
    void aReceiveOnlyViewCannotSendOrCloseNorBeCastBack() throws Exception {
        Channel<String> ch = Channel.buffered(2);
        ReceiveChannel<String> view = ch.receiveOnly();
        assertFalse(view instanceof SendChannel, "a consumer cannot send or close through it");
        assertFalse(view instanceof Channel);
        ch.send("a");
        assertEquals(1, view.size());
        assertEquals(2, view.capacity());
        assertEquals("a", view.receive());
        ch.send("b");
        assertEquals(Optional.of("b"), view.tryReceive());
        ch.send("c");
        assertEquals("c", Select.select(view.onReceive(v -> v)));
        ch.close();
        assertTrue(view.isClosedForReceive());
        assertEquals("closed", Select.select(view.onReceiveOrClosed(v -> v, () -> "closed")));
        assertTrue(view.toString().startsWith("receive-only view of Channel[buffered(2)"), view.toString());
    }

    @Test
    void aSendOnlyViewCannotReceiveNorBeCastBack() throws Exception {
        Channel<String> ch = Channel.buffered(3);
        SendChannel<String> view = ch.sendOnly();
        assertFalse(view instanceof ReceiveChannel, "a producer cannot read through it");
        view.send("a");
        assertTrue(view.trySend("b"));
        assertEquals("sent", Select.select(view.onSend("c", () -> "sent")));
        assertEquals(3, view.size());
        assertEquals(3, view.capacity());
        assertEquals("a", ch.receive());
        assertFalse(view.isClosedForSend());
        view.close();
        assertTrue(ch.isClosedForSend());
        assertFalse(view.fail(new IllegalStateException()), "already closed");
        assertTrue(view.toString().startsWith("send-only view of Channel[buffered(3)"), view.toString());
        Channel<String> other = Channel.buffered(1);
        assertTrue(other.sendOnly().fail(new IllegalStateException("x")));
        assertTrue(other.isClosedForReceive());
    }

    /**
     * What library code (a ticker, a timer) does: create a capacity-1 channel, feed it with
     * non-blocking offers that drop when full, and hand out only the receive-only view.
     */
    @Test
    void libraryCodeFeedsACapacityOneChannelWithDroppingOffersAndHandsOutTheView() throws Exception {
        Channel<Integer> slot = Channel.buffered(1);
        ReceiveChannel<Integer> ticks = slot.receiveOnly();
        assertTrue(slot.trySend(1));
        assertFalse(slot.trySend(2), "a slow reader: the second tick is dropped, the offer does not block");
        assertEquals(Integer.valueOf(1), Select.select(ticks.onReceive(v -> v)));
        assertTrue(slot.trySend(3));
        assertEquals(Optional.of(3), slot.tryReceive(), "stop/reset drains a stale tick");
        assertEquals(Optional.empty(), ticks.tryReceive());
    }
}
