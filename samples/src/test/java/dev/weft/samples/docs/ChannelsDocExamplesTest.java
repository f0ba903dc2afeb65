package dev.weft.samples.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Scope;
import dev.weft.ScopeFailedException;
import dev.weft.Subtask;
import dev.weft.chan.Channel;
import dev.weft.chan.ChannelClosedException;
import dev.weft.chan.ReceiveChannel;
import dev.weft.chan.Select;
import dev.weft.chan.SendChannel;
import dev.weft.time.ManualTime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The code blocks of docs/channels.md, verbatim (DocSnippetsMatchTest checks that they stay
 * identical), each run with the outcome the page promises.
 */
class ChannelsDocExamplesTest {

    // ---- the snippets -------------------------------------------------------------------------

    List<Integer> squaresOf(List<Integer> numbers) throws InterruptedException {
        Channel<Integer> in = Channel.buffered(8);
        Channel<Integer> squares = Channel.buffered(8);
        try (var scope = Scope.open()) {
            scope.fork(() -> {
                for (int n : numbers) {
                    in.send(n); // waits while 8 are in flight
                }
                in.close(); // close(in): no more values
            });
            scope.fork(() -> {
                for (int n : in) { // for n := range in
                    squares.send(n * n);
                }
                squares.close();
            });
            Subtask<List<Integer>> sink = scope.fork(() -> {
                List<Integer> result = new ArrayList<>();
                for (int square : squares) {
                    result.add(square);
                }
                return result;
            });
            scope.join(); // a failing stage cancels the others: ScopeFailedException
            return sink.get();
        }
    }

    static ReceiveChannel<String> lines(Scope scope, LineSource source) {
        Channel<String> out = Channel.buffered(16);
        scope.fork(() -> {
            try {
                for (String line = source.next(); line != null; line = source.next()) {
                    out.send(line);
                }
                out.close(); // the end of the stream
            } catch (Throwable t) {
                out.fail(t); // the consumers get t once they have drained the buffer
                throw t;
            }
        });
        return out.receiveOnly(); // Go's <-chan string: consumers cannot send or close
    }

    String nextEvent(ReceiveChannel<String> events) throws InterruptedException {
        return Select.select(
                events.onReceiveOrClosed(e -> "event " + e, () -> "no more events"),
                Select.onTimeout(Duration.ofSeconds(1), () -> "idle"));
    }

    boolean offer(SendChannel<String> audit, String entry) throws InterruptedException {
        return Select.select(
                audit.onSend(entry, () -> true),
                Select.orDefault(() -> false)); // full: drop the entry instead of waiting
    }

    <T> void merge(List<ReceiveChannel<T>> inputs, SendChannel<T> out) throws InterruptedException {
        List<ReceiveChannel<T>> open = new ArrayList<>(inputs);
        while (!open.isEmpty()) {
            List<Select.Clause<T>> cases = new ArrayList<>();
            for (ReceiveChannel<T> in : open) {
                cases.add(in.onReceiveOrClosed(v -> v, () -> {
                    open.remove(in); // Go: in = nil, which disables this case
                    return null;
                }));
            }
            T v = Select.select(cases);
            if (v != null) {
                out.send(v);
            }
        }
        out.close();
    }

    // ---- the stand-ins the snippets call ------------------------------------------------------

    /** A source of lines: null at the end; may throw. */
    interface LineSource {
        String next() throws IOException;
    }

    static LineSource of(String... lines) {
        AtomicInteger i = new AtomicInteger();
        return () -> i.get() < lines.length ? lines[i.getAndIncrement()] : null;
    }

    // ---- what the page promises ---------------------------------------------------------------

    @Test
    void thePipelineSquaresEveryNumberInOrder() throws Exception {
        List<Integer> numbers = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            numbers.add(i);
        }
        List<Integer> squares = squaresOf(numbers);
        assertEquals(100, squares.size());
        assertEquals(1, squares.get(0));
        assertEquals(10_000, squares.get(99));
    }

    @Test
    void aGeneratorEndsItsStreamWithClose() throws Exception {
        try (var scope = Scope.open()) {
            ReceiveChannel<String> lines = lines(scope, of("a", "b", "c"));
            assertFalse(lines instanceof SendChannel, "the consumer gets a receive-only view");
            List<String> got = new ArrayList<>();
            lines.forEach(got::add);
            scope.join();
            assertEquals(List.of("a", "b", "c"), got);
        }
    }

    @Test
    void aGeneratorsFailureReachesTheConsumerAfterTheLinesBeforeIt() throws Exception {
        IOException broken = new IOException("disk gone");
        AtomicInteger calls = new AtomicInteger();
        LineSource failing = () -> {
            if (calls.incrementAndGet() == 3) {
                throw broken;
            }
            return "line " + calls.get();
        };
        try (var scope = Scope.open(c -> c.withFailFast(false))) {
            ReceiveChannel<String> lines = lines(scope, failing);
            List<String> got = new ArrayList<>();
            ChannelClosedException e = assertThrows(ChannelClosedException.class, () -> lines.forEach(got::add));
            assertEquals(List.of("line 1", "line 2"), got);
            assertSame(broken, e.getCause());
            ScopeFailedException failed = assertThrows(ScopeFailedException.class, scope::join);
            assertSame(broken, failed.getCause(), "the failure also reaches the scope: nothing is lost");
        }
    }

    @Test
    void nextEventReturnsAnEventTheEndOrIdleOnTheContextsClock() throws Exception {
        Channel<String> events = Channel.buffered(1);
        events.send("login");
        assertEquals("event login", nextEvent(events));

        ManualTime time = new ManualTime();
        try (var scope = Scope.open(c -> c.withTimeSource(time))) {
            Thread waiting = Thread.currentThread();
            Thread advancer = Thread.ofVirtual().start(() -> {
                while (time.pending() == 0 || waiting.getState() != Thread.State.WAITING) {
                    Thread.onSpinWait(); // until the select below is parked
                }
                time.advance(Duration.ofSeconds(1));
            });
            assertEquals("idle", nextEvent(events));
            advancer.join();
        }

        events.close();
        assertEquals("no more events", nextEvent(events));
    }

    @Test
    void offerDropsWhenTheChannelIsFull() throws Exception {
        Channel<String> audit = Channel.buffered(1);
        assertTrue(offer(audit, "first"));
        assertFalse(offer(audit, "second"), "full: dropped, not waited for");
        assertEquals("first", audit.receive());
        assertTrue(audit.tryReceive().isEmpty());
    }

    @Test
    void mergeForwardsEveryElementUntilEveryInputIsClosed() throws Exception {
        Channel<Integer> a = Channel.buffered(4);
        Channel<Integer> b = Channel.rendezvous();
        Channel<Integer> out = Channel.unbounded();
        try (var scope = Scope.open()) {
            scope.fork(() -> {
                for (int i = 0; i < 50; i++) {
                    a.send(i);
                }
                a.close();
            });
            scope.fork(() -> {
                for (int i = 100; i < 150; i++) {
                    b.send(i);
                }
                b.close();
            });
            scope.fork(() -> merge(List.of(a, b), out));
            scope.join();
        }
        List<Integer> merged = new ArrayList<>();
        out.forEach(merged::add);
        merged.sort(null);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            expected.add(i);
        }
        for (int i = 100; i < 150; i++) {
            expected.add(i);
        }
        assertEquals(expected, merged);
    }

    @Test
    void aStageThatFailsCancelsTheWholePipeline() {
        UncheckedIOException boom = new UncheckedIOException(new IOException("bad number"));
        Channel<Integer> in = Channel.buffered(2);
        ScopeFailedException e = assertThrows(ScopeFailedException.class, () -> {
            try (var scope = Scope.open()) {
                scope.fork(() -> {
                    for (int i = 0; ; i++) {
                        in.send(i); // an endless producer, stopped by the cancellation
                    }
                });
                scope.fork(() -> {
                    for (int n : in) {
                        if (n == 10) {
                            throw boom;
                        }
                    }
                });
                scope.join();
            }
        });
        assertSame(boom, e.getCause());
    }
}
