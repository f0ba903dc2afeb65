package dev.weft.jmh.preview;

import com.softwaremill.jox.structured.Par;
import dev.weft.jmh.ParWork;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Gatherers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JDK 25 half of {@code dev.weft.jmh.ParBench}: the same bounded, ordered map over the same
 * items with the same functions and the same limit of 64, with the same settings.
 * <ul>
 *   <li>{@code mapConcurrent}: {@code items.stream().gather(Gatherers.mapConcurrent(64, fn)).toList()}
 *       (final since JDK 24, so it lives in this JDK 25 source set: the jar's main set is
 *       {@code --release 21}). A virtual thread per item, at most 64 in flight, in order.</li>
 *   <li>{@code joxParLimit}: Jox structured 0.5.0 {@code Par.parLimit(64, tasks)} (JDK 25
 *       preview): a fork per task in a supervised scope, each waiting for one of 64 permits. The
 *       list of tasks (one {@code Callable} per item) is built once in the setup, which favours
 *       Jox: the others build nothing per item.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(org.openjdk.jmh.annotations.Scope.Thread)
@org.openjdk.jmh.annotations.Fork(value = 1, jvmArgsAppend = "--enable-preview")
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
public class PreviewParBench {
    private List<Integer> trivialItems;
    private List<Integer> sleepItems;
    private List<Callable<Integer>> trivialTasks;
    private List<Callable<Integer>> sleepTasks;

    @Setup(Level.Trial)
    public void items() {
        trivialItems = ParWork.items(ParWork.TRIVIAL_ITEMS);
        sleepItems = ParWork.items(ParWork.SLEEP_ITEMS);
        trivialTasks = trivialItems.stream().<Callable<Integer>>map(i -> () -> ParWork.trivial(i)).toList();
        sleepTasks = sleepItems.stream().<Callable<Integer>>map(i -> () -> ParWork.sleep(i)).toList();
    }

    @Benchmark
    public List<Integer> mapConcurrentTrivial() {
        return trivialItems.stream().gather(Gatherers.mapConcurrent(ParWork.LIMIT, ParWork::trivial)).toList();
    }

    @Benchmark
    public List<Integer> mapConcurrentSleep() {
        return sleepItems.stream().gather(Gatherers.mapConcurrent(ParWork.LIMIT, ParWork::sleepUnchecked)).toList();
    }

    @Benchmark
    public List<Integer> joxParLimitTrivial() throws InterruptedException {
        return Par.parLimit(ParWork.LIMIT, trivialTasks);
    }

    @Benchmark
    public List<Integer> joxParLimitSleep() throws InterruptedException {
        return Par.parLimit(ParWork.LIMIT, sleepTasks);
    }
}
