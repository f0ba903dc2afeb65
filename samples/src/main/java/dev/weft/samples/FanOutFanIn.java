package dev.weft.samples;

import dev.weft.Scope;
import dev.weft.Subtask;
import dev.weft.chan.Channel;
import dev.weft.chan.ReceiveChannel;
import dev.weft.chan.SendChannel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fan-out/fan-in: one channel of jobs read by several workers, their results merged into one
 * channel that is closed once every worker has finished.
 *
 * <p>Go idiom: {@code for w := 0; w < 4; w++ { go worker(jobs, results) }}, then
 * {@code go func() { wg.Wait(); close(results) }()}, and the caller ranges over {@code results}.
 * In weft the {@code WaitGroup} is a nested scope: a closer task opens it, forks the workers into
 * it, joins it and only then closes {@code results}. The workers only see the receive side of
 * {@code jobs} and the send side of {@code results}.
 */
public final class FanOutFanIn implements Scenario {
    private static final Logger LOG = LoggerFactory.getLogger(FanOutFanIn.class);
    private static final int WORKERS = 4;
    private static final int JOBS = 1_000;

    public static void main(String[] args) {
        Tour.exit(Tour.run(List.of(new FanOutFanIn())));
    }

    @Override
    public String title() {
        return "Fan-out/fan-in";
    }

    @Override
    public String goIdiom() {
        return "N workers range over jobs, send to results; wg.Wait() then close(results); range results";
    }

    record Result(int job, long value, String worker) {}

    @Override
    public void run() throws Exception {
        Channel<Integer> jobs = Channel.buffered(16);
        Channel<Result> results = Channel.buffered(16);
        Map<Integer, Long> byJob = new HashMap<>();
        Map<String, Integer> perWorker = new HashMap<>();
        try (var scope = Scope.open(c -> c.withName("fan-out"))) {
            scope.fork(() -> {
                for (int j = 1; j <= JOBS; j++) {
                    jobs.send(j);
                }
                jobs.close();
            });
            scope.fork(() -> {
                try (var workers = Scope.open(c -> c.withName("workers"))) { // Go: a sync.WaitGroup
                    for (int w = 0; w < WORKERS; w++) {
                        String name = "worker-" + w;
                        workers.fork(() -> work(name, jobs.receiveOnly(), results.sendOnly()));
                    }
                    workers.join();
                }
                results.close(); // only once every worker has finished sending
            });
            Subtask<Integer> received = scope.fork(() -> {
                int count = 0;
                for (Result r : results) {
                    if (byJob.put(r.job(), r.value()) != null) {
                        throw new IllegalStateException("job " + r.job() + " processed twice");
                    }
                    perWorker.merge(r.worker(), 1, Integer::sum);
                    count++;
                }
                return count;
            });
            scope.join();
            LOG.info("{} results merged from {} workers: {}", received.get(), perWorker.size(), perWorker);
        }
        Check.equal(JOBS, byJob.size(), "the number of distinct jobs processed");
        for (int j = 1; j <= JOBS; j++) {
            Check.equal(collatzSteps(j), byJob.get(j), "the result of job " + j);
        }
        Check.equal(WORKERS, perWorker.size(), "the number of workers that did some of the work");
    }

    private static void work(String name, ReceiveChannel<Integer> jobs, SendChannel<Result> results)
            throws InterruptedException {
        for (int job : jobs) {
            results.send(new Result(job, collatzSteps(job), name));
            if (job % 50 == 0) {
                Thread.sleep(1); // some jobs wait on I/O: the others keep the workers busy meanwhile
            }
        }
    }

    /** Some CPU work per job: the number of Collatz steps from {@code n} to 1. */
    static long collatzSteps(long n) {
        long steps = 0;
        while (n != 1) {
            n = (n & 1) == 0 ? n / 2 : 3 * n + 1;
            steps++;
        }
        return steps;
    }
}
