package dev.weft.jmh.preview;

import com.softwaremill.jox.structured.Fork;
import com.softwaremill.jox.structured.Scopes;
import dev.weft.jmh.Tasks;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Subtask;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The preview half of {@code dev.weft.jmh.ScopeBench}: the same operation (open, fork {@code n}
 * trivial tasks, join, read every result, close) and the same settings, on the JDK 25 preview
 * {@link StructuredTaskScope} and on Jox structured 0.5.0 {@code supervised}. Built only on JDK 25;
 * the forked JVM runs with {@code --enable-preview}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(org.openjdk.jmh.annotations.Scope.Thread)
@org.openjdk.jmh.annotations.Fork(value = 1, jvmArgsAppend = "--enable-preview")
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
public class PreviewScopeBench {

    /** Forks per operation; the same values as {@code ScopeBench.n}. */
    @Param({"1", "100", "10000"})
    public int n;

    /** {@code StructuredTaskScope.open()} (joiner: await all successful or throw), fork n, join, get, close. */
    @Benchmark
    public void jdkStructuredTaskScope(Blackhole bh) throws InterruptedException {
        @SuppressWarnings("unchecked")
        Subtask<Integer>[] subtasks = new Subtask[n];
        try (StructuredTaskScope<Integer, Void> scope = StructuredTaskScope.open()) {
            for (int i = 0; i < subtasks.length; i++) {
                subtasks[i] = scope.fork(Tasks.CALLABLE);
            }
            scope.join();
            for (Subtask<Integer> s : subtasks) {
                bh.consume(s.get());
            }
        }
    }

    /** Jox: {@code supervised(scope -> { fork n; join each })}. */
    @Benchmark
    public void joxSupervised(Blackhole bh) throws InterruptedException {
        int count = n;
        Scopes.supervised(scope -> {
            @SuppressWarnings("unchecked")
            Fork<Integer>[] forks = new Fork[count];
            for (int i = 0; i < forks.length; i++) {
                forks[i] = scope.fork(Tasks.CALLABLE);
            }
            for (Fork<Integer> f : forks) {
                bh.consume(joinFork(f));
            }
            return null;
        });
    }

    private static Integer joinFork(Fork<Integer> fork) throws InterruptedException {
        try {
            return fork.join();
        } catch (ExecutionException e) {
            throw new AssertionError("a trivial task failed", e);
        }
    }
}
