package dev.weft.samples;

import static dev.weft.samples.Check.millisSince;

import dev.weft.DeadlineExceededException;
import dev.weft.Scope;
import dev.weft.Subtask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fan-out with a deadline: ask five replicas at once, keep the answers that arrive within
 * one second, and give up on the rest.
 *
 * <p>Go idiom: {@code ctx, cancel := context.WithTimeout(ctx, time.Second)}, then
 * {@code g, ctx := errgroup.WithContext(ctx)} with one {@code g.Go} per replica, each goroutine
 * selecting on {@code ctx.Done()}, and {@code g.Wait()} returning
 * {@code context.DeadlineExceeded}. In weft the replicas need no {@code select}: the deadline
 * interrupts their blocking call, and {@code join()} throws {@link DeadlineExceededException}
 * only after every straggler has ended. The fast replicas' results stay readable.
 *
 * <p>The second part is {@link Scope#withTimeoutOrEmpty}, Go's
 * {@code ctx, cancel := context.WithTimeout(...); v, err := call(ctx); if errors.Is(err,
 * context.DeadlineExceeded) { use the fallback }} in one call (Trio's {@code move_on_after},
 * Kotlin's {@code withTimeoutOrNull}).
 */
public final class FanOutWithDeadline implements Scenario {
    private static final Logger LOG = LoggerFactory.getLogger(FanOutWithDeadline.class);
    /** Generous on purpose: the fast replicas must make it even on a busy two-core CI machine. */
    private static final Duration DEADLINE = Duration.ofSeconds(1);

    public static void main(String[] args) {
        Tour.exit(Tour.run(List.of(new FanOutWithDeadline())));
    }

    @Override
    public String title() {
        return "Fan-out with a deadline";
    }

    @Override
    public String goIdiom() {
        return "context.WithTimeout + errgroup.WithContext, one g.Go per replica, g.Wait() == context.DeadlineExceeded";
    }

    @Override
    public void run() throws Exception {
        fanOut();
        timeoutOrEmpty();
    }

    private void fanOut() throws InterruptedException {
        List<Replica> replicas = List.of(
                new Replica("eu-1", 20), new Replica("eu-2", 60), new Replica("us-1", 100),
                new Replica("us-2", 5_000), new Replica("ap-1", 8_000));
        List<Subtask<String>> answers = new ArrayList<>();
        List<Subtask.State> statesWhenJoinThrew = null;
        long joinThrewAfter = -1;

        long start = System.nanoTime();
        try (var scope = Scope.open(c -> c.withName("fan-out").withTimeout(DEADLINE))) {
            for (Replica replica : replicas) {
                answers.add(scope.fork(() -> replica.query("user:42")));
            }
            try {
                scope.join();
            } catch (DeadlineExceededException e) {
                joinThrewAfter = millisSince(start);
                statesWhenJoinThrew = answers.stream().map(Subtask::state).toList();
                LOG.info("join() threw after {} ms: {}", joinThrewAfter, e.getMessage());
            }
        }

        List<String> inTime = answers.stream()
                .filter(a -> a.state() == Subtask.State.SUCCESS)
                .map(Subtask::get)
                .toList();
        LOG.info("{} of {} replicas answered in time: {}", inTime.size(), replicas.size(), inTime);
        LOG.info("subtask states: {}", answers.stream().map(Subtask::state).toList());

        Check.that(joinThrewAfter >= 0, "join() to throw DeadlineExceededException");
        Check.that(joinThrewAfter >= DEADLINE.toMillis() - 10,
                "join() not to throw before the " + DEADLINE.toMillis() + " ms deadline, threw after " + joinThrewAfter);
        Check.that(joinThrewAfter < DEADLINE.toMillis() + 2_000,
                "join() to throw soon after the deadline (not after the 5 s and 8 s stragglers), took " + joinThrewAfter + " ms");
        Check.that(!statesWhenJoinThrew.contains(Subtask.State.RUNNING),
                "every straggler to have ended when join() threw, states were " + statesWhenJoinThrew);
        Check.equal(List.of("eu-1:USER:42", "eu-2:USER:42", "us-1:USER:42"), inTime, "the answers that arrived in time");
        for (int i = 0; i < replicas.size(); i++) {
            Replica replica = replicas.get(i);
            boolean slow = replica.latency.compareTo(DEADLINE) > 0;
            Check.equal(slow ? Subtask.State.CANCELLED : Subtask.State.SUCCESS, answers.get(i).state(),
                    "the state of replica " + replica.name);
            Check.equal(slow, replica.interrupted, "whether replica " + replica.name + " saw the interrupt");
        }
    }

    private void timeoutOrEmpty() throws InterruptedException {
        Replica slow = new Replica("ap-1", 8_000);
        long start = System.nanoTime();
        Optional<String> fromSlow = Scope.withTimeoutOrEmpty(Duration.ofMillis(100), () -> slow.query("user:7"));
        long slowTook = millisSince(start);
        LOG.info("withTimeoutOrEmpty(100 ms, ap-1) returned {} after {} ms", fromSlow, slowTook);

        Replica fast = new Replica("eu-1", 20);
        Optional<String> fromFast = Scope.withTimeoutOrEmpty(Duration.ofSeconds(1), () -> fast.query("user:7"));
        LOG.info("withTimeoutOrEmpty(1 s, eu-1) returned {}", fromFast);

        Check.equal(Optional.empty(), fromSlow, "the slow call's result");
        // On a busy machine the 100 ms may pass before the body's thread even starts: then the body
        // never runs (a fork after cancellation never runs). If it did start, the timeout interrupted it.
        Check.that(!slow.started || slow.interrupted,
                "the slow call to have been interrupted by its timeout (or never to have started)");
        Check.that(slowTook < 3_000, "withTimeoutOrEmpty to return soon after 100 ms, took " + slowTook + " ms");
        Check.equal(Optional.of("eu-1:USER:7"), fromFast, "the fast call's result");
    }

    /** A simulated replica: it answers after its latency, unless it is interrupted first. */
    private static final class Replica {
        final String name;
        final Duration latency;
        /** Written by the task before it ends; read by the owner after join, which happens-after. */
        boolean started;
        boolean interrupted;

        Replica(String name, long latencyMillis) {
            this.name = name;
            this.latency = Duration.ofMillis(latencyMillis);
        }

        String query(String key) throws InterruptedException {
            started = true;
            long start = System.nanoTime();
            try {
                Thread.sleep(latency); // simulated work: the replica's network round trip
            } catch (InterruptedException e) {
                interrupted = true;
                LOG.info("  {} interrupted after {} ms (latency {} ms): giving up", name, millisSince(start),
                        latency.toMillis());
                throw e;
            }
            LOG.info("  {} answered after {} ms", name, millisSince(start));
            return name + ":" + key.toUpperCase();
        }
    }
}
