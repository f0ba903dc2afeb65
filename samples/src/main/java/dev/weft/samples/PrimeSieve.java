package dev.weft.samples;

import static dev.weft.samples.Check.millisSince;

import dev.weft.CancelledException;
import dev.weft.Scope;
import dev.weft.chan.Channel;
import dev.weft.chan.ReceiveChannel;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generators: Go's concurrent prime sieve. A generator sends 2, 3, 4, ... on a channel; each prime
 * found adds a filter stage that drops the multiples of that prime. Every stage is a function that
 * starts a task and returns the receive side of its output channel, as a Go generator returns a
 * {@code <-chan int}.
 *
 * <p>Go idiom: {@code func generate(ctx) <-chan int} and {@code func filter(ctx, in <-chan int,
 * prime int) <-chan int}, each starting a goroutine that loops forever and stops on
 * {@code ctx.Done()}. Here the consumer takes the first 100 primes and cancels the scope: every
 * one of the 100 endless stages is blocked in a send or a receive at that moment, and every one
 * of them stops.
 */
public final class PrimeSieve implements Scenario {
    private static final Logger LOG = LoggerFactory.getLogger(PrimeSieve.class);
    private static final int PRIMES = 100;

    public static void main(String[] args) {
        Tour.exit(Tour.run(List.of(new PrimeSieve())));
    }

    @Override
    public String title() {
        return "Generators: the concurrent prime sieve";
    }

    @Override
    public String goIdiom() {
        return "func generate() <-chan int; func filter(in <-chan int, p int) <-chan int; cancel the ctx when done";
    }

    /** Go's {@code generate}: 2, 3, 4, ... until the scope is cancelled. */
    static ReceiveChannel<Integer> generate(Scope scope) {
        Channel<Integer> out = Channel.rendezvous();
        scope.fork(() -> {
            for (int i = 2; ; i++) {
                out.send(i);
            }
        });
        return out.receiveOnly();
    }

    /** Go's {@code filter}: the elements of {@code in} that {@code prime} does not divide. */
    static ReceiveChannel<Integer> filter(Scope scope, ReceiveChannel<Integer> in, int prime) {
        Channel<Integer> out = Channel.rendezvous();
        scope.fork(() -> {
            for (int i : in) {
                if (i % prime != 0) {
                    out.send(i);
                }
            }
        });
        return out.receiveOnly();
    }

    @Override
    public void run() throws Exception {
        List<Integer> primes = new ArrayList<>();
        CancelledException stopped = null;
        long start = System.nanoTime();
        try (var scope = Scope.open(c -> c.withName("sieve"))) {
            ReceiveChannel<Integer> ch = generate(scope);
            for (int k = 0; k < PRIMES; k++) {
                int prime = ch.receive();
                primes.add(prime);
                ch = filter(scope, ch, prime);
            }
            scope.cancel(); // Go: cancel() the context of every generator and filter
            try {
                scope.join();
            } catch (CancelledException e) {
                stopped = e;
            }
        }
        LOG.info("the first {} primes in {} ms: {} ... {}", primes.size(), millisSince(start),
                primes.subList(0, 10), primes.get(PRIMES - 1));
        LOG.info("all {} stages stopped: join() threw {}", PRIMES + 1, String.valueOf(stopped));
        Check.equal(firstPrimes(PRIMES), primes, "the primes found by the sieve");
        Check.that(stopped != null, "join() to report that the endless stages were cancelled");
    }

    /** The first {@code n} primes, by trial division. */
    private static List<Integer> firstPrimes(int n) {
        List<Integer> primes = new ArrayList<>();
        for (int c = 2; primes.size() < n; c++) {
            boolean prime = true;
            for (int p : primes) {
                if (p * p > c) {
                    break;
                }
                if (c % p == 0) {
                    prime = false;
                    break;
                }
            }
            if (prime) {
                primes.add(c);
            }
        }
        return primes;
    }
}
