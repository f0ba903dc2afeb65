package dev.weft.samples.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Par;
import dev.weft.Scope;
import dev.weft.ScopeFailedException;
import dev.weft.Subtask;
import dev.weft.chan.Channel;
import dev.weft.time.Backoff;
import dev.weft.time.Backoff.Jitter;
import dev.weft.time.RateLimiter;
import dev.weft.time.Retry;
import dev.weft.time.RetryFailedException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The code blocks of the repository README, verbatim (DocSnippetsMatchTest checks that they stay
 * identical), each run with the outcome the README promises.
 */
class ReadmeExamplesTest {

    // ---- the snippets -------------------------------------------------------------------------

    Page page(long id) throws InterruptedException {
        try (var scope = Scope.open(c -> c.withTimeout(Duration.ofSeconds(2)).withName("checkout"))) {
            Subtask<User> user = scope.fork(() -> users.find(id));
            Subtask<List<Order>> orders = scope.fork(() -> history.of(id));
            scope.join(); // first failure -> ScopeFailedException; deadline -> DeadlineExceededException
            return new Page(user.get(), orders.get());
        }
    }

    List<Price> quotes(List<String> skus) throws InterruptedException {
        RateLimiter pricingApi = RateLimiter.of(200, 20); // x/time/rate: 200 calls per second, bursts of 20
        Retry retry = Retry.with(Backoff.exponential(Duration.ofMillis(50), Duration.ofSeconds(1))
                .withJitter(Jitter.FULL)
                .withMaxAttempts(3));
        return Par.with(c -> c.withTimeout(Duration.ofSeconds(5)))
                .map(skus, 16, sku -> { // in the order of skus, at most 16 calls at once
                    pricingApi.acquire(); // fails at once if the wait would pass the deadline
                    return retry.call(() -> pricing.quote(sku)); // never sleeps past the deadline
                });
    }

    void shipAll(OrderSource source) throws InterruptedException {
        Channel<Order> orders = Channel.buffered(64); // make(chan Order, 64): at most 64 in flight
        try (var scope = Scope.open()) {
            scope.fork(() -> {
                for (Order o = source.next(); o != null; o = source.next()) {
                    orders.send(o); // waits while 64 are waiting to ship
                }
                orders.close(); // close(orders): no more values
            });
            scope.fork(() -> {
                for (Order o : orders) { // for o := range orders
                    shipping.ship(o);
                }
            });
            scope.join(); // a failing stage cancels the other, which wakes from send or receive
        }
    }

    // ---- what the snippets call ---------------------------------------------------------------

    record User(long id) {}

    record Order(long id) {}

    record Page(User user, List<Order> orders) {}

    record Price(String sku, long cents) {}

    interface Users {
        User find(long id) throws IOException;
    }

    interface History {
        List<Order> of(long id) throws IOException;
    }

    interface Pricing {
        Price quote(String sku) throws IOException;
    }

    interface Shipping {
        void ship(Order order) throws IOException;
    }

    interface OrderSource {
        Order next();
    }

    Users users = User::new;
    History history = id -> List.of(new Order(id * 10), new Order(id * 10 + 1));
    Pricing pricing = sku -> new Price(sku, sku.length());
    Shipping shipping = order -> {};

    // ---- the outcomes -------------------------------------------------------------------------

    @Test
    void thePageHasBothParts() throws InterruptedException {
        assertEquals(new Page(new User(7), List.of(new Order(70), new Order(71))), page(7));
    }

    @Test
    void theFirstFailureIsTheCauseOfThePagesFailure() {
        IOException down = new IOException("orders are down");
        history = id -> {
            throw down;
        };
        ScopeFailedException e = assertThrows(ScopeFailedException.class, () -> page(7));
        assertSame(down, e.getCause());
    }

    @Test
    void quotesComeInTheOrderOfTheSkusAndAFlakyCallIsRetried() throws InterruptedException {
        List<String> skus = IntStream.range(0, 20).mapToObj(i -> "sku-" + "x".repeat(i)).toList();
        Set<String> failedOnce = ConcurrentHashMap.newKeySet();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        pricing = sku -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                if (sku.length() % 5 == 0 && failedOnce.add(sku)) {
                    throw new IOException("flaky " + sku);
                }
                return new Price(sku, sku.length());
            } finally {
                inFlight.decrementAndGet();
            }
        };
        List<Price> prices = quotes(skus);
        assertEquals(skus, prices.stream().map(Price::sku).toList());
        assertEquals(skus.stream().map(s -> (long) s.length()).toList(), prices.stream().map(Price::cents).toList());
        assertEquals(4, failedOnce.size(), "the skus whose first call failed: " + failedOnce);
        assertTrue(maxInFlight.get() <= 16, "at most 16 calls at once, saw " + maxInFlight.get());
    }

    @Test
    void aQuoteThatKeepsFailingFailsTheMapWithItsLastError() {
        AtomicInteger calls = new AtomicInteger();
        pricing = sku -> {
            calls.incrementAndGet();
            throw new IOException("down for " + sku);
        };
        ScopeFailedException e = assertThrows(ScopeFailedException.class, () -> quotes(List.of("only")));
        assertEquals(3, calls.get(), "three attempts");
        RetryFailedException retryFailure = assertInstanceOf(RetryFailedException.class, e.getCause());
        assertEquals(RetryFailedException.Reason.EXHAUSTED, retryFailure.reason());
        assertEquals("down for only", retryFailure.lastError().getMessage());
    }

    @Test
    void everyOrderIsShippedOnceAndInOrder() throws InterruptedException {
        List<Order> shipped = Collections.synchronizedList(new ArrayList<>());
        shipping = shipped::add;
        shipAll(sourceOf(1_000));
        assertEquals(ordersUpTo(1_000), shipped);
    }

    @Test
    void aFailingShipmentStopsTheProducerWhereverItWaits() {
        IOException broken = new IOException("the truck broke down");
        Map<Long, Boolean> shipped = new ConcurrentHashMap<>();
        shipping = order -> {
            if (order.id() == 10) {
                throw broken;
            }
            shipped.put(order.id(), true);
        };
        // The source never ends: only the failure can stop the producer, blocked on a full channel.
        ScopeFailedException e = assertThrows(ScopeFailedException.class, () -> shipAll(sourceOf(Long.MAX_VALUE)));
        assertSame(broken, e.getCause());
        assertEquals(10, shipped.size(), "orders 0 to 9 shipped before the failure");
    }

    private static OrderSource sourceOf(long count) {
        AtomicLong next = new AtomicLong();
        return () -> {
            long id = next.getAndIncrement();
            return id < count ? new Order(id) : null;
        };
    }

    private static List<Order> ordersUpTo(int count) {
        return IntStream.range(0, count).mapToObj(Order::new).toList();
    }
}
