package dev.weft.jmh;

import dev.weft.chan.Channel;
import dev.weft.chan.Select;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Exchanger;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One element handed from a producer to a consumer, both virtual threads: weft's channels against
 * Jox channels 1.0.1 and the JDK's queues, in the same run. The score is the average time per
 * element (ns/op): each invocation moves {@value #OPS} elements and counts as that many
 * operations, so thread start-up (identical for every peer) is spread over them.
 *
 * <ul>
 *   <li><b>Buffered</b> ({@code weftBuffered}, {@code joxBuffered}, {@code arrayBlockingQueue},
 *       {@code linkedTransferQueue}): {@code pairs} producer/consumer pairs, each pair with a
 *       channel (queue) of its own of capacity {@value #CAPACITY}; the producer sends
 *       {@code OPS / pairs} elements, the consumer receives them. With 1 pair it measures the
 *       hand-over between two threads that run at once; with 10 000 pairs (20 000 virtual threads
 *       on a few carriers) it measures the cost of blocking and waking, which dominates when the
 *       partner is not running. {@code LinkedTransferQueue} is unbounded ({@code put}/{@code take}),
 *       the JDK's fastest blocking queue, included as the floor of "no back-pressure".</li>
 *   <li><b>Rendezvous</b> ({@code weftRendezvous}, {@code joxRendezvous},
 *       {@code synchronousQueue}, {@code exchanger}, {@code linkedTransferQueueTransfer}): one
 *       producer, one consumer, one channel without a buffer; every element is a meeting. The
 *       exchanger's two threads both offer a value, the others move one element.</li>
 *   <li><b>Select over 2 channels</b> ({@code weftSelect}, {@code joxSelect}): two producers, each
 *       sending {@code OPS / 2} elements to a rendezvous channel of its own; one consumer receives
 *       all of them by selecting over both channels (Go's {@code select { case v := <-a: case v :=
 *       <-b: }}). Both libraries build their two clauses in every select, as a Go program does.</li>
 *   <li><b>Select with a clause ready</b> ({@code weftSelectReady}, {@code joxSelectReady}): one
 *       thread and two {@code buffered(16)} channels; each operation sends one element to each
 *       channel (which never waits) and then selects twice over both, so every select finds a
 *       clause ready and the two take both elements. The score is per select, sends included: the
 *       cost of the select itself, with no partner to wait for or wake.</li>
 * </ul>
 *
 * <p>Every peer moves the same cached {@code Integer} (no boxing allocation), starts its threads
 * with {@code Thread.startVirtualThread}, and waits for its consumers on a {@link CountDownLatch}.
 * weft's calls run outside any scope, as Jox's and the queues' do (the root context: no
 * cancellation signal to register with).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
public class ChannelBench {
    /** Elements moved per invocation. */
    public static final int OPS = 1_000_000;
    /** Capacity of the buffered channels and queues. */
    public static final int CAPACITY = 16;

    private static final Integer ELEMENT = 42;
    private static final Function<Integer, Integer> SAME = v -> v;

    /** The parameter of the buffered benchmarks only (the others have one pair, or one select). */
    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Pairs {
        /** Producer/consumer pairs, each with a channel of its own. */
        @Param({"1", "10000"})
        public int pairs;
    }

    /** A producer or consumer loop; may block. */
    @FunctionalInterface
    interface Loop {
        void run(int count) throws InterruptedException;
    }

    /** Creates the loops of one pair around a fresh channel: [producer, consumer]. */
    @FunctionalInterface
    interface PairFactory {
        Loop[] create();
    }

    private static void runPairs(int pairs, PairFactory factory) throws InterruptedException {
        int each = OPS / pairs;
        CountDownLatch done = new CountDownLatch(pairs);
        for (int p = 0; p < pairs; p++) {
            Loop[] loops = factory.create();
            Thread.startVirtualThread(() -> unchecked(loops[0], each));
            Thread.startVirtualThread(() -> {
                unchecked(loops[1], each);
                done.countDown();
            });
        }
        done.await();
    }

    private static void unchecked(Loop loop, int count) {
        try {
            loop.run(count);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- buffered(16), `pairs` pairs -------------------------------------------------------

    /** weft: {@code Channel.buffered(16)}, {@code send} / {@code receive}. */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public void weftBuffered(Pairs p) throws InterruptedException {
        runPairs(p.pairs, () -> {
            Channel<Integer> ch = Channel.buffered(CAPACITY);
            return new Loop[] {n -> {
                for (int i = 0; i < n; i++) {
                    ch.send(ELEMENT);
                }
            }, n -> {
                for (int i = 0; i < n; i++) {
                    ch.receive();
                }
            }};
        });
    }

    /** Jox: {@code Channel.newBufferedChannel(16)}, {@code send} / {@code receive}. */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public void joxBuffered(Pairs p) throws InterruptedException {
        runPairs(p.pairs, () -> {
            com.softwaremill.jox.Channel<Integer> ch = com.softwaremill.jox.Channel.newBufferedChannel(CAPACITY);
            return new Loop[] {n -> {
                for (int i = 0; i < n; i++) {
                    ch.send(ELEMENT);
                }
            }, n -> {
                for (int i = 0; i < n; i++) {
                    ch.receive();
                }
            }};
        });
    }

    /** JDK: {@code new ArrayBlockingQueue<>(16)}, {@code put} / {@code take}. */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public void arrayBlockingQueue(Pairs p) throws InterruptedException {
        runPairs(p.pairs, () -> {
            ArrayBlockingQueue<Integer> q = new ArrayBlockingQueue<>(CAPACITY);
            return new Loop[] {n -> {
                for (int i = 0; i < n; i++) {
                    q.put(ELEMENT);
                }
            }, n -> {
                for (int i = 0; i < n; i++) {
                    q.take();
                }
            }};
        });
    }

    /** JDK: {@code new LinkedTransferQueue<>()} (unbounded), {@code put} / {@code take}. */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public void linkedTransferQueue(Pairs p) throws InterruptedException {
        runPairs(p.pairs, () -> {
            LinkedTransferQueue<Integer> q = new LinkedTransferQueue<>();
            return new Loop[] {n -> {
                for (int i = 0; i < n; i++) {
                    q.put(ELEMENT);
                }
            }, n -> {
                for (int i = 0; i < n; i++) {
                    q.take();
                }
            }};
        });
    }

    // ---- rendezvous, one pair ----------------------------------------------------------------

    /** Runs one producer and one consumer loop of {@link #OPS} each, and waits for both. */
    private static void runOnePair(Loop producer, Loop consumer) throws InterruptedException {
        Thread p = Thread.startVirtualThread(() -> unchecked(producer, OPS));
        Thread c = Thread.startVirtualThread(() -> unchecked(consumer, OPS));
        p.join();
        c.join();
    }

    /** weft: {@code Channel.rendezvous()}, {@code send} / {@code receive}. */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public void weftRendezvous() throws InterruptedException {
        Channel<Integer> ch = Channel.rendezvous();
        runOnePair(n -> {
            for (int i = 0; i < n; i++) {
                ch.send(ELEMENT);
            }
        }, n -> {
            for (int i = 0; i < n; i++) {
                ch.receive();
            }
        });
    }

    /** Jox: {@code Channel.newRendezvousChannel()}, {@code send} / {@code receive}. */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public void joxRendezvous() throws InterruptedException {
        com.softwaremill.jox.Channel<Integer> ch = com.softwaremill.jox.Channel.newRendezvousChannel();
        runOnePair(n -> {
            for (int i = 0; i < n; i++) {
                ch.send(ELEMENT);
            }
        }, n -> {
            for (int i = 0; i < n; i++) {
                ch.receive();
            }
        });
    }

    /** JDK: {@code new SynchronousQueue<>()}, {@code put} / {@code take}. */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public void synchronousQueue() throws InterruptedException {
        SynchronousQueue<Integer> q = new SynchronousQueue<>();
        runOnePair(n -> {
            for (int i = 0; i < n; i++) {
                q.put(ELEMENT);
            }
        }, n -> {
            for (int i = 0; i < n; i++) {
                q.take();
            }
        });
    }

    /** JDK: {@code new Exchanger<>()}, both threads {@code exchange}. */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public void exchanger() throws InterruptedException {
        Exchanger<Integer> x = new Exchanger<>();
        runOnePair(n -> {
            for (int i = 0; i < n; i++) {
                x.exchange(ELEMENT);
            }
        }, n -> {
            for (int i = 0; i < n; i++) {
                x.exchange(ELEMENT);
            }
        });
    }

    /** JDK: {@code new LinkedTransferQueue<>()}, {@code transfer} / {@code take} (a rendezvous). */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public void linkedTransferQueueTransfer() throws InterruptedException {
        LinkedTransferQueue<Integer> q = new LinkedTransferQueue<>();
        runOnePair(n -> {
            for (int i = 0; i < n; i++) {
                q.transfer(ELEMENT);
            }
        }, n -> {
            for (int i = 0; i < n; i++) {
                q.take();
            }
        });
    }

    // ---- select over two rendezvous channels -------------------------------------------------

    /** Two producers of OPS / 2 each, one consumer of OPS, and waits for all three. */
    private static void runSelect(Loop first, Loop second, Loop consumer) throws InterruptedException {
        Thread a = Thread.startVirtualThread(() -> unchecked(first, OPS / 2));
        Thread b = Thread.startVirtualThread(() -> unchecked(second, OPS / 2));
        Thread c = Thread.startVirtualThread(() -> unchecked(consumer, OPS));
        a.join();
        b.join();
        c.join();
    }

    /** weft: {@code Select.select(a.onReceive(fn), b.onReceive(fn))}. */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public void weftSelect() throws InterruptedException {
        Channel<Integer> a = Channel.rendezvous();
        Channel<Integer> b = Channel.rendezvous();
        runSelect(n -> {
            for (int i = 0; i < n; i++) {
                a.send(ELEMENT);
            }
        }, n -> {
            for (int i = 0; i < n; i++) {
                b.send(ELEMENT);
            }
        }, n -> {
            for (int i = 0; i < n; i++) {
                Select.select(a.onReceive(SAME), b.onReceive(SAME));
            }
        });
    }

    /** Jox: {@code Select.select(a.receiveClause(fn), b.receiveClause(fn))}. */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public void joxSelect() throws InterruptedException {
        com.softwaremill.jox.Channel<Integer> a = com.softwaremill.jox.Channel.newRendezvousChannel();
        com.softwaremill.jox.Channel<Integer> b = com.softwaremill.jox.Channel.newRendezvousChannel();
        runSelect(n -> {
            for (int i = 0; i < n; i++) {
                a.send(ELEMENT);
            }
        }, n -> {
            for (int i = 0; i < n; i++) {
                b.send(ELEMENT);
            }
        }, n -> {
            for (int i = 0; i < n; i++) {
                com.softwaremill.jox.Select.select(a.receiveClause(SAME), b.receiveClause(SAME));
            }
        });
    }

    // ---- select with a clause ready, one thread ------------------------------------------------

    /** Two empty {@code buffered(16)} channels of each library, for one benchmark thread. */
    @State(org.openjdk.jmh.annotations.Scope.Thread)
    public static class Ready {
        final Channel<Integer> weftA = Channel.buffered(CAPACITY);
        final Channel<Integer> weftB = Channel.buffered(CAPACITY);
        final com.softwaremill.jox.Channel<Integer> joxA = com.softwaremill.jox.Channel.newBufferedChannel(CAPACITY);
        final com.softwaremill.jox.Channel<Integer> joxB = com.softwaremill.jox.Channel.newBufferedChannel(CAPACITY);
    }

    /** weft: a send to each channel, then two {@code Select.select(a.onReceive(fn), b.onReceive(fn))}. */
    @Benchmark
    @OperationsPerInvocation(2)
    public Integer weftSelectReady(Ready s) throws InterruptedException {
        s.weftA.send(ELEMENT);
        s.weftB.send(ELEMENT);
        Select.select(s.weftA.onReceive(SAME), s.weftB.onReceive(SAME));
        return Select.select(s.weftA.onReceive(SAME), s.weftB.onReceive(SAME));
    }

    /** Jox: a send to each channel, then two {@code Select.select(a.receiveClause(fn), b.receiveClause(fn))}. */
    @Benchmark
    @OperationsPerInvocation(2)
    public Integer joxSelectReady(Ready s) throws InterruptedException {
        s.joxA.send(ELEMENT);
        s.joxB.send(ELEMENT);
        com.softwaremill.jox.Select.select(s.joxA.receiveClause(SAME), s.joxB.receiveClause(SAME));
        return com.softwaremill.jox.Select.select(s.joxA.receiveClause(SAME), s.joxB.receiveClause(SAME));
    }
}
