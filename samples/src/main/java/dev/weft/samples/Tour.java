package dev.weft.samples;

import dev.weft.Scope;
import dev.weft.Subtask;
import java.util.List;

/**
 * The weft tour: runs every scenario in order, prints PASS or FAIL for each, and exits with
 * status 1 if any failed.
 *
 * <pre>
 * mvn -q -Ptour -pl samples -am verify -DskipTests
 * </pre>
 *
 * Every scenario is also runnable on its own through its {@code main} method.
 */
public final class Tour {
    private Tour() {}

    /** The scenarios, in the order the tour runs them. */
    static List<Scenario> scenarios() {
        return List.of(
                new FanOutWithDeadline(),
                new ErrgroupFetch(),
                new NestedCancellation(),
                new BoundedConsumer(),
                new ParallelMapWithDeadline(),
                new ChannelPipeline(),
                new FanOutFanIn(),
                new PrimeSieve(),
                new BatchingWriter(),
                new SessionCleanupDaemon(),
                new DebouncedChangeWatcher(),
                new RetryFlakyHttp());
    }

    public static void main(String[] args) {
        exit(run(scenarios()));
    }

    /** Runs {@code scenarios} in order and returns how many failed. */
    static int run(List<Scenario> scenarios) {
        long tourStart = System.nanoTime();
        warmUp();
        int failed = 0;
        int n = 0;
        for (Scenario scenario : scenarios) {
            n++;
            System.out.printf("%n== %d/%d %s  [%s]%n   Go: %s%n", n, scenarios.size(), scenario.title(),
                    scenario.getClass().getSimpleName(), scenario.goIdiom());
            long start = System.nanoTime();
            try {
                scenario.run();
                System.out.printf("PASS %s (%d ms)%n", scenario.title(), Check.millisSince(start));
            } catch (Throwable t) {
                failed++;
                System.out.printf("FAIL %s (%d ms): %s%n", scenario.title(), Check.millisSince(start), t);
                t.printStackTrace(System.out);
            }
        }
        System.out.printf("%nTour: %d passed, %d failed, %d ms%n", scenarios.size() - failed, failed,
                Check.millisSince(tourStart));
        return failed;
    }

    /**
     * One trivial scope before the first scenario, so that its timings do not include loading
     * weft's classes and starting the virtual-thread scheduler.
     */
    private static void warmUp() {
        try (var scope = Scope.open()) {
            Subtask<String> hello = scope.fork(() -> "hello");
            scope.join();
            hello.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends the JVM with status 1 if {@code failed} is positive; returns normally otherwise. */
    static void exit(int failed) {
        System.out.flush();
        if (failed > 0) {
            System.exit(1);
        }
    }
}
