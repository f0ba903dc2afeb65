package dev.weft.chan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.CancelledException;
import dev.weft.LeakCheckExtension;
import dev.weft.TestSupport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Go's range over a channel: for-each and the stream view drain until closed and rethrow a failure. */
@ExtendWith(LeakCheckExtension.class)
class ChannelIterationTest {

    @Test
    void forEachReceivesUntilTheChannelIsClosed() throws Exception {
        Channel<Integer> ch = Channel.buffered(2);
        var producer = TestSupport.onNewThread("producer", () -> {
            for (int i = 0; i < 10; i++) {
                ch.send(i);
            }
            ch.close();
            return null;
        });
        List<Integer> got = new ArrayList<>();
        for (int v : ch) {
            got.add(v);
        }
        producer.get();
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), got);
    }

    @Test
    void iterationRethrowsAFailureAfterTheBufferedElements() throws Exception {
        Channel<String> ch = Channel.buffered(3);
        ch.send("a");
        ch.send("b");
        IOException cause = new IOException("upstream broke");
        ch.fail(cause);
        List<String> got = new ArrayList<>();
        ChannelClosedException e = assertThrows(ChannelClosedException.class, () -> {
            for (String s : ch) {
                got.add(s);
            }
        });
        assertEquals(List.of("a", "b"), got);
        assertSame(cause, e.getCause());
    }

    @Test
    void theIteratorFollowsTheIteratorContract() throws Exception {
        Channel<String> ch = Channel.buffered(2);
        ch.send("only");
        ch.close();
        Iterator<String> it = ch.iterator();
        assertTrue(it.hasNext());
        assertTrue(it.hasNext(), "hasNext twice does not take a second element");
        assertEquals("only", it.next());
        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);
        assertThrows(UnsupportedOperationException.class, it::remove);
    }

    @Test
    void theStreamViewDrainsInOrder() throws Exception {
        Channel<Integer> ch = Channel.buffered(10);
        for (int i = 1; i <= 5; i++) {
            ch.send(i);
        }
        ch.close();
        assertEquals(List.of(2, 4, 6, 8, 10), ch.stream().map(i -> i * 2).toList());
    }

    @Test
    void aShortCircuitingStreamTakesOnlyWhatItNeeds() throws Exception {
        Channel<Integer> ch = Channel.buffered(10);
        for (int i = 1; i <= 5; i++) {
            ch.send(i);
        }
        assertEquals(Optional.of(3), ch.stream().filter(i -> i > 2).findFirst());
        assertEquals(2, ch.size(), "4 and 5 are still in the channel");
        assertEquals(List.of(4, 5), ch.stream().limit(2).toList());
        assertEquals(Optional.empty(), ch.tryReceive());
        ch.send(6);
        assertEquals(List.of(6), ch.stream().parallel().limit(1).toList(), "even a parallel stream reads no batch ahead");
    }

    @Test
    void theStreamRethrowsAFailure() {
        Channel<Integer> ch = Channel.buffered(1);
        IllegalStateException cause = new IllegalStateException("bad input");
        ch.fail(cause);
        assertSame(cause, assertThrows(ChannelClosedException.class, () -> ch.stream().count()).getCause());
    }

    @Test
    void anInterruptWhileIteratingThrowsACancellationAndKeepsTheFlag() throws Exception {
        Channel<String> ch = Channel.rendezvous();
        var iterating = TestSupport.onNewThread("iterating", () -> {
            try {
                for (String s : ch) {
                    return "got " + s;
                }
                return "ended";
            } catch (CancelledException e) {
                return Thread.currentThread().isInterrupted() + " " + e.cause().getClass().getSimpleName();
            }
        }).awaitBlocked();
        iterating.thread().interrupt();
        assertEquals("true InterruptedException", iterating.get());
        assertEquals(ChannelWaiters.NOBODY_WAITING, ChannelWaiters.waiters(ch), "the interrupted iterator left no receiver behind");
        assertFalse(ch.trySend("x"), "the interrupted iterator left no receiver behind");
    }

    @Test
    void aReceiveOnlyViewIteratesToo() throws Exception {
        Channel<String> ch = Channel.buffered(2);
        ch.send("v");
        ch.close();
        ReceiveChannel<String> view = ch.receiveOnly();
        List<String> got = new ArrayList<>();
        view.forEach(got::add);
        assertEquals(List.of("v"), got);
        assertInstanceOf(ChannelClosedException.class, assertThrows(ChannelClosedException.class, view::receive));
        assertEquals(0, view.stream().count());
    }
}
