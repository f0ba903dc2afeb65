package dev.weft.samples;

import static dev.weft.samples.Check.millisSince;

import dev.weft.DeadlineExceededException;
import dev.weft.Par;
import dev.weft.Scope;
import dev.weft.Subtask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A parallel map with a deadline: price 200 products through a downstream service that may take
 * at most 16 calls at once, within a time budget.
 *
 * <p>Go idiom: {@code ctx, cancel := context.WithTimeout(ctx, d)}, {@code g, ctx :=
 * errgroup.WithContext(ctx)}, {@code g.SetLimit(16)}, one {@code g.Go} per product writing
 * {@code prices[i]}, {@code g.Wait()}. In weft that is one call,
 * {@code Par.with(c -> c.withTimeout(d)).map(products, 16, this::price)}, which returns the
 * prices in product order. When the budget runs out, the calls in flight are interrupted and
 * the map throws {@link DeadlineExceededException} only once they have all ended, so nothing is
 * left running against the downstream.
 *
 * <p>The last part is the errgroup translation itself, {@code Scope.open(c -> c.withLimit(16))},
 * with {@code tryFork} (Go's {@code TryGo}) shedding the requests that find every slot busy.
 */
public final class ParallelMapWithDeadline implements Scenario {
    private static final Logger LOG = LoggerFactory.getLogger(ParallelMapWithDeadline.class);
    static final int PRODUCTS = 200;
    static final int LIMIT = 16;

    public static void main(String[] args) {
        Tour.exit(Tour.run(List.of(new ParallelMapWithDeadline())));
    }

    @Override
    public String title() {
        return "Parallel map with a deadline and a concurrency limit";
    }

    @Override
    public String goIdiom() {
        return "context.WithTimeout + errgroup.WithContext + g.SetLimit(16), prices[i] = price(ctx, id); g.TryGo";
    }

    @Override
    public void run() throws Exception {
        inTime();
        pastTheDeadline();
        loadShedding();
    }

    private void inTime() throws InterruptedException {
        PricingService pricing = new PricingService(id -> 5 + id % 20); // 5..24 ms a call
        List<Integer> products = IntStream.range(0, PRODUCTS).boxed().toList();
        long start = System.nanoTime();
        List<String> prices = Par.with(c -> c.withName("pricing").withTimeout(Duration.ofSeconds(5)))
                .map(products, LIMIT, pricing::price);
        long took = millisSince(start);
        LOG.info("priced {} products in {} ms, at most {} calls at once: {} ... {}", prices.size(), took,
                pricing.peakInFlight.get(), prices.get(0), prices.get(PRODUCTS - 1));

        Check.equal(products.stream().map(id -> "product " + id + ": " + (100 + id) + " EUR").toList(), prices,
                "the prices, in product order");
        Check.that(pricing.peakInFlight.get() <= LIMIT, "at most " + LIMIT + " calls at once, saw " + pricing.peakInFlight);
        Check.that(pricing.peakInFlight.get() >= 2, "the calls to run in parallel, saw " + pricing.peakInFlight);
    }

    private void pastTheDeadline() throws InterruptedException {
        // Three products hit a downstream that hangs: the budget, not the slowest call, bounds the wait.
        PricingService pricing = new PricingService(id -> id % 60 == 59 ? 60_000 : 10);
        List<Integer> products = IntStream.range(0, PRODUCTS).boxed().toList();
        Duration budget = Duration.ofMillis(400);
        long start = System.nanoTime();
        DeadlineExceededException timedOut = null;
        try {
            Par.with(c -> c.withName("pricing").withTimeout(budget)).map(products, LIMIT, pricing::price);
        } catch (DeadlineExceededException e) {
            timedOut = e;
        }
        long took = millisSince(start);
        LOG.info("with three hanging calls: {} after {} ms; {} calls were interrupted, {} still running",
                timedOut == null ? "no deadline" : "DeadlineExceededException", took, pricing.interrupted.size(),
                pricing.inFlight.get());

        Check.that(timedOut != null, "the map to throw DeadlineExceededException");
        Check.that(took >= budget.toMillis() - 10, "not to give up before the " + budget.toMillis() + " ms budget, took " + took);
        Check.that(took < budget.toMillis() + 3_000, "to give up soon after the budget, not after 60 s, took " + took);
        Check.equal(0, pricing.inFlight.get(), "the calls still running against the downstream when map threw");
        Check.that(pricing.interrupted.containsAll(List.of(59, 119, 179)),
                "the hanging calls to be interrupted, interrupted were " + pricing.interrupted);
        Check.that(pricing.peakInFlight.get() <= LIMIT, "at most " + LIMIT + " calls at once, saw " + pricing.peakInFlight);
    }

    /** The errgroup form: a limited scope, and TryGo to answer "busy" instead of queueing. */
    private void loadShedding() throws InterruptedException {
        CountDownLatch slow = new CountDownLatch(1);
        PricingService pricing = new PricingService(id -> 0);
        int accepted = 0;
        List<Integer> shed = new ArrayList<>();
        List<Subtask<String>> answers = new ArrayList<>();
        try (var scope = Scope.open(c -> c.withName("front-end").withLimit(4).withTimeout(Duration.ofSeconds(5)))) {
            for (int id = 0; id < 10; id++) {
                int product = id;
                Optional<Subtask<String>> taken = scope.tryFork(() -> {
                    slow.await(); // the downstream is slow right now
                    return pricing.price(product);
                });
                if (taken.isPresent()) {
                    accepted++;
                    answers.add(taken.get());
                } else {
                    shed.add(product); // Go: if !g.TryGo(f) { return http.StatusTooManyRequests }
                }
            }
            slow.countDown();
            scope.join();
        }
        LOG.info("tryFork with a limit of 4: {} accepted ({}), {} shed with 429 Too Many Requests: {}", accepted,
                answers.stream().map(Subtask::get).toList(), shed.size(), shed);
        Check.equal(4, accepted, "the requests accepted while the 4 slots were busy");
        Check.equal(List.of(4, 5, 6, 7, 8, 9), shed, "the requests shed");
    }

    /** A simulated downstream: each call sleeps for its latency, unless it is interrupted first. */
    private static final class PricingService {
        private final IntUnaryOperator latencyMillis;
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger peakInFlight = new AtomicInteger();
        final Set<Integer> interrupted = ConcurrentHashMap.newKeySet();

        PricingService(IntUnaryOperator latencyMillis) {
            this.latencyMillis = latencyMillis;
        }

        String price(int id) throws InterruptedException {
            peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(latencyMillis.applyAsInt(id)); // simulated network round trip
            } catch (InterruptedException e) {
                interrupted.add(id);
                throw e;
            } finally {
                inFlight.decrementAndGet();
            }
            return "product " + id + ": " + (100 + id) + " EUR";
        }
    }
}
