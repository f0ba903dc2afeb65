package dev.weft.chan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.LeakCheckExtension;
import dev.weft.TestSupport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** close and fail: drain then closed, send after close throws, idempotence, the failure reaches every receiver. */
@ExtendWith(LeakCheckExtension.class)
class ChannelCloseTest {

    @Test
    void receiversDrainTheBufferThenSeeTheChannelClosed() throws Exception {
        Channel<String> ch = Channel.buffered(3);
        ch.send("a");
        ch.send("b");
        ch.close();
        assertTrue(ch.isClosedForSend());
        assertFalse(ch.isClosedForReceive(), "two elements are still buffered");
        assertEquals("a", ch.receive());
        assertEquals(Optional.of("b"), ch.tryReceive());
        assertTrue(ch.isClosedForReceive());
        ChannelClosedException e = assertThrows(ChannelClosedException.class, ch::receive);
        assertNull(e.getCause(), "a plain close has no cause");
        assertThrows(ChannelClosedException.class, ch::tryReceive);
        assertThrows(ChannelClosedException.class, ch::receive, "closed stays closed");
    }

    @Test
    void sendAfterCloseThrowsAndSendsNothing() throws Exception {
        Channel<String> ch = Channel.buffered(3);
        ch.close();
        ChannelClosedException e = assertThrows(ChannelClosedException.class, () -> ch.send("late"));
        assertTrue(e.getMessage().contains("send to a closed channel"), e.getMessage());
        assertThrows(ChannelClosedException.class, () -> ch.trySend("late"));
        assertEquals(0, ch.size());
        assertThrows(ChannelClosedException.class, ch::receive);
    }

    @Test
    void closeIsIdempotentAndTheFirstCloseWins() throws Exception {
        Channel<String> ch = Channel.buffered(2);
        ch.send("kept");
        ch.close();
        ch.close();
        assertFalse(ch.fail(new IOException("too late")), "a fail after close records nothing");
        assertEquals("kept", ch.receive());
        assertNull(assertThrows(ChannelClosedException.class, ch::receive).getCause());

        Channel<String> failed = Channel.buffered(2);
        IOException first = new IOException("first");
        assertTrue(failed.fail(first));
        assertFalse(failed.fail(new IOException("second")));
        failed.close();
        assertSame(first, assertThrows(ChannelClosedException.class, failed::receive).getCause());
    }

    @Test
    void failCarriesItsCauseToEveryReceiverAfterTheBufferIsDrained() throws Exception {
        Channel<String> ch = Channel.buffered(4);
        IOException cause = new IOException("disk gone");
        List<TestSupport.Helper<Throwable>> waiting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiting.add(TestSupport.<Throwable>onNewThread("receiver-" + i, () -> {
                try {
                    return new IllegalStateException("received " + ch.receive());
                } catch (ChannelClosedException e) {
                    return e;
                }
            }).awaitBlocked());
        }
        ch.fail(cause);
        for (var w : waiting) {
            Throwable t = w.get();
            assertInstanceOf(ChannelClosedException.class, t);
            assertSame(cause, t.getCause(), "every waiting receiver gets the failure");
        }
        assertSame(cause, assertThrows(ChannelClosedException.class, ch::receive).getCause(), "and every later one");

        Channel<String> buffered = Channel.buffered(4);
        buffered.send("x");
        buffered.fail(cause);
        assertEquals("x", buffered.receive(), "the buffer is drained first");
        ChannelClosedException e = assertThrows(ChannelClosedException.class, buffered::receive);
        assertSame(cause, e.getCause());
        assertTrue(e.getMessage().contains("disk gone"), e.getMessage());
        assertSame(cause, assertThrows(ChannelClosedException.class, buffered::tryReceive).getCause());
        assertSame(cause, assertThrows(ChannelClosedException.class, () -> buffered.send("y")).getCause(),
                "a send to a failed channel names the failure too");
    }

    @Test
    void aFailureThatIsAnErrorReachesReceiversAsItself() {
        Channel<String> ch = Channel.buffered(1);
        AssertionError bug = new AssertionError("invariant broken upstream");
        ch.fail(bug);
        assertSame(bug, assertThrows(AssertionError.class, ch::receive), "an Error is never wrapped");
        assertSame(bug, assertThrows(AssertionError.class, ch::tryReceive));
    }

    @Test
    void closeWakesAWaitingReceiver() throws Exception {
        Channel<String> ch = Channel.rendezvous();
        var receiver = TestSupport.onNewThread("receiver", ch::receive).awaitBlocked();
        ch.close();
        assertInstanceOf(ChannelClosedException.class, receiver.failure());
    }

    @Test
    void sendersWaitingOnAFullChannelFailAtCloseAndTheirElementsAreNotReceived() throws Exception {
        Channel<String> ch = Channel.buffered(1);
        ch.send("in the buffer");
        var blocked = TestSupport.onNewThread("blocked sender", () -> {
            ch.send("never sent");
            return null;
        }).awaitBlocked();
        ch.close();
        Throwable t = blocked.failure();
        assertInstanceOf(ChannelClosedException.class, t);
        assertEquals("in the buffer", ch.receive());
        assertThrows(ChannelClosedException.class, ch::receive, "the blocked sender's element was not sent");
    }

    @Test
    void aSenderWaitingOnARendezvousChannelFailsAtClose() throws Exception {
        Channel<String> ch = Channel.rendezvous();
        var blocked = TestSupport.onNewThread("blocked sender", () -> {
            ch.send("x");
            return null;
        }).awaitBlocked();
        ch.fail(new IOException("stop"));
        ChannelClosedException e = assertInstanceOf(ChannelClosedException.class, blocked.failure());
        assertEquals("stop", e.getCause().getMessage());
        assertTrue(ch.isClosedForReceive());
    }

    @Test
    void nullCausesAreRejected() {
        Channel<String> ch = Channel.buffered(1);
        NullPointerException e = assertThrows(NullPointerException.class, () -> ch.fail(null));
        assertEquals("cause", e.getMessage());
        assertFalse(ch.isClosedForSend());
    }

    @Test
    void toStringShowsTheState() throws Exception {
        Channel<String> ch = Channel.buffered(2);
        ch.send("a");
        assertEquals("Channel[buffered(2), 1 buffered, 0 senders and 0 receivers waiting, open]", ch.toString());
        ch.fail(new IOException());
        assertTrue(ch.toString().endsWith("failed]"), ch.toString());
        assertTrue(Channel.rendezvous().toString().startsWith("Channel[rendezvous"));
        Channel<String> u = Channel.unbounded();
        u.close();
        assertTrue(u.toString().startsWith("Channel[unbounded") && u.toString().endsWith("closed]"), u.toString());
    }
}
