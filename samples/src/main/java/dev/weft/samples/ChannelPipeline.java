package dev.weft.samples;

import static dev.weft.samples.Check.millisSince;

import dev.weft.CancelledException;
import dev.weft.Scope;
import dev.weft.Subtask;
import dev.weft.chan.Channel;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pipeline with back-pressure: three stages joined by bounded channels inside one scope.
 *
 * <p>Go idiom: {@code gen(ctx) -> sq(ctx, in) -> sink}, each stage a goroutine that ranges over its
 * input, sends to a {@code make(chan int, 4)} and closes its output with {@code defer close(out)};
 * every stage also selects on {@code ctx.Done()} so that cancelling the context stops all of them.
 * In weft the stages need no {@code select}: cancelling the scope wakes every blocked
 * {@code send}/{@code receive}.
 *
 * <ul>
 *   <li>Part 1: a fast producer and a slow sink. The bounded channels clamp the producer: it is
 *       never more than the two buffers (and the element the middle stage holds) ahead.</li>
 *   <li>Part 2: an endless producer; the sink has what it needs after 500 elements and cancels the
 *       scope. Every stage stops, {@code join} reports the cancellation after all of them ended,
 *       and no channel is left with a waiting sender or receiver: nothing leaks.</li>
 * </ul>
 */
public final class ChannelPipeline implements Scenario {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelPipeline.class);
    private static final int CAPACITY = 4;

    public static void main(String[] args) {
        Tour.exit(Tour.run(List.of(new ChannelPipeline())));
    }

    @Override
    public String title() {
        return "Pipeline with back-pressure";
    }

    @Override
    public String goIdiom() {
        return "gen -> sq -> sink over make(chan int, 4), defer close(out), range in, select on ctx.Done()";
    }

    @Override
    public void run() throws Exception {
        backPressure();
        cancellationStopsEveryStage();
    }

    private void backPressure() throws InterruptedException {
        int n = 2_000;
        Channel<Integer> numbers = Channel.buffered(CAPACITY);
        Channel<Long> squares = Channel.buffered(CAPACITY);
        AtomicInteger produced = new AtomicInteger();
        AtomicInteger consumed = new AtomicInteger();
        AtomicInteger maxAhead = new AtomicInteger();
        long start = System.nanoTime();
        long sum;
        try (var scope = Scope.open(c -> c.withName("pipeline"))) {
            scope.fork(() -> {
                for (int i = 1; i <= n; i++) {
                    numbers.send(i);
                    int ahead = produced.incrementAndGet() - consumed.get();
                    maxAhead.accumulateAndGet(ahead, Math::max);
                }
                numbers.close();
            });
            scope.fork(() -> {
                for (int x : numbers) {
                    squares.send((long) x * x);
                }
                squares.close();
            });
            Subtask<Long> sink = scope.fork(() -> {
                long total = 0;
                for (long sq : squares) {
                    consumed.incrementAndGet();
                    total += sq;
                    if (consumed.get() % 100 == 0) {
                        Thread.sleep(1); // a slow consumer: every element costs it something
                    }
                }
                return total;
            });
            scope.join();
            sum = sink.get();
        }
        long expected = (long) n * (n + 1) * (2L * n + 1) / 6;
        LOG.info("{} squares summed to {} in {} ms; the producer was at most {} elements ahead of the sink",
                n, sum, millisSince(start), maxAhead.get());
        Check.equal(expected, sum, "the sum of the squares of 1.." + n);
        // two buffers, the element the middle stage holds while it waits to send, and the one the
        // sink has taken but not counted yet
        int bound = 2 * CAPACITY + 2;
        Check.that(maxAhead.get() <= bound, "the producer to stay within " + bound + " elements of the sink, was "
                + maxAhead.get() + " ahead");
    }

    private void cancellationStopsEveryStage() throws InterruptedException {
        Channel<Integer> numbers = Channel.buffered(CAPACITY);
        Channel<Integer> doubled = Channel.buffered(CAPACITY);
        AtomicLong taken = new AtomicLong();
        CancelledException joinError = null;
        List<Subtask<?>> stages;
        long start = System.nanoTime();
        try (var scope = Scope.open(c -> c.withName("endless pipeline"))) {
            Subtask<Void> producer = scope.fork(() -> {
                for (int i = 0; ; i++) {
                    numbers.send(i); // endless: only the cancellation stops it
                }
            });
            Subtask<Void> doubler = scope.fork(() -> {
                for (int x : numbers) {
                    doubled.send(2 * x);
                }
            });
            Subtask<Void> sink = scope.fork(() -> {
                for (int x : doubled) {
                    if (taken.incrementAndGet() == 500) {
                        LOG.info("  sink: got what it needs (last element {}), cancelling the scope", x);
                        scope.cancel();
                        return;
                    }
                }
            });
            stages = List.of(producer, doubler, sink);
            try {
                scope.join();
            } catch (CancelledException e) {
                joinError = e;
            }
        }
        List<Subtask.State> states = stages.stream().map(Subtask::state).toList();
        LOG.info("join() threw {} after {} ms; stage states: {}", joinError, millisSince(start), states);
        LOG.info("channels after the scope closed: {} and {}", numbers, doubled);
        Check.that(joinError != null, "join() to report the cancellation");
        Check.equal(List.of(Subtask.State.CANCELLED, Subtask.State.CANCELLED, Subtask.State.SUCCESS), states,
                "the stages' states (producer and doubler cancelled, the sink done)");
        for (Channel<Integer> ch : List.of(numbers, doubled)) {
            Check.that(ch.toString().contains("0 senders and 0 receivers waiting"),
                    "no stage left waiting on " + ch);
        }
    }
}
