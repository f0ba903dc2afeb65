package dev.weft.jmh;

import dev.weft.Par;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A bounded parallel map, in input order: the average time to map every item and collect the
 * results in a list, with at most {@link ParWork#LIMIT} items in progress (ms per operation).
 * Two cases:
 * <ul>
 *   <li>{@code ...Trivial}: {@value ParWork#TRIVIAL_ITEMS} items of trivial CPU work
 *       ({@link ParWork#trivial}). This measures the machinery per item: a thread per item, or a
 *       worker pulling the next one.</li>
 *   <li>{@code ...Sleep}: {@value ParWork#SLEEP_ITEMS} items that each sleep for 1 ms
 *       ({@link ParWork#sleep}): the blocking-I/O case, bounded by the limit (ideally about
 *       {@code 1000 / 64 = 16} sleeps of 1 ms in a row).</li>
 * </ul>
 *
 * <p>Peers in this class (plain Java 21):
 * <ul>
 *   <li>{@code weft}: {@code Par.map(items, 64, fn)}: at most 64 worker tasks that pull the
 *       next index.</li>
 *   <li>{@code semaphoreExecutor}: the classic hand-written bound: a new
 *       {@code Executors.newVirtualThreadPerTaskExecutor()} per operation (closed at its end, as
 *       {@code Par} waits for its threads), a {@link Semaphore} of 64 permits acquired before each
 *       {@code submit} and released when the item ends, then every {@code Future.get()} in order.
 *       A virtual thread per item, never more than 64 at once.</li>
 *   <li>{@code parallelStream} (CPU case only): {@code items.parallelStream().map(fn).toList()}
 *       on the common fork-join pool; it has no limit and no cancellation, and it is the JDK's
 *       answer for CPU work, so it is the floor for the trivial case.</li>
 * </ul>
 * {@code dev.weft.jmh.preview.PreviewParBench} runs {@code Gatherers.mapConcurrent(64, fn)} and
 * Jox's {@code Par.parLimit(64, tasks)} on the same items with the same functions; run
 * {@code 'ParBench'} to get all of them in one run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(org.openjdk.jmh.annotations.Scope.Thread)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
public class ParBench {
    private List<Integer> trivialItems;
    private List<Integer> sleepItems;

    @Setup(Level.Trial)
    public void items() {
        trivialItems = ParWork.items(ParWork.TRIVIAL_ITEMS);
        sleepItems = ParWork.items(ParWork.SLEEP_ITEMS);
    }

    @Benchmark
    public List<Integer> weftTrivial() throws InterruptedException {
        return Par.map(trivialItems, ParWork.LIMIT, ParWork::trivial);
    }

    @Benchmark
    public List<Integer> weftSleep() throws InterruptedException {
        return Par.map(sleepItems, ParWork.LIMIT, ParWork::sleep);
    }

    @Benchmark
    public List<Integer> semaphoreExecutorTrivial() throws Exception {
        return semaphoreExecutor(trivialItems, false);
    }

    @Benchmark
    public List<Integer> semaphoreExecutorSleep() throws Exception {
        return semaphoreExecutor(sleepItems, true);
    }

    @Benchmark
    public List<Integer> parallelStreamTrivial() {
        return trivialItems.parallelStream().map(ParWork::trivial).toList();
    }

    private static List<Integer> semaphoreExecutor(List<Integer> items, boolean sleep)
            throws InterruptedException, ExecutionException {
        Semaphore permits = new Semaphore(ParWork.LIMIT);
        List<Future<Integer>> futures = new ArrayList<>(items.size());
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Integer item : items) {
                permits.acquire();
                futures.add(executor.submit(() -> {
                    try {
                        return sleep ? ParWork.sleep(item) : ParWork.trivial(item);
                    } finally {
                        permits.release();
                    }
                }));
            }
            List<Integer> results = new ArrayList<>(items.size());
            for (Future<Integer> f : futures) {
                results.add(f.get());
            }
            return results;
        }
    }
}
