package dev.weft.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.LeakCheckExtension;
import dev.weft.Scope;
import dev.weft.time.Backoff.Jitter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/** Backoff: cenkalti/backoff's tests, the AWS jitter formulas with injected randomness, limits and bad inputs. */
@ExtendWith(LeakCheckExtension.class)
@SuppressWarnings("try") // scopes opened only to set the context (clock, deadline) of the code inside
class BackoffTest {

    /** A random source that returns the given values from nextDouble(), in order, then repeats the last. */
    static RandomGenerator scripted(double... values) {
        return new RandomGenerator() {
            private int i;

            @Override
            public double nextDouble() {
                return values[Math.min(i++, values.length - 1)];
            }

            @Override
            public long nextLong() {
                throw new AssertionError("only nextDouble() is used");
            }
        };
    }

    private static List<Long> millis(Backoff backoff, int n) {
        Backoff.Delays delays = backoff.start(new ManualTime());
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(delays.next().orElseThrow().toMillis());
        }
        return out;
    }

    @Test
    void cenkaltisSequenceEachDelayWithinTheJitterOfItsBaseAndNeverOverTheCap() {
        long[] bases = {500, 1000, 2000, 4000, 5000, 5000, 5000, 5000, 5000, 5000};
        Backoff backoff = Backoff.exponential(Duration.ofMillis(500), Duration.ofSeconds(5)).withMultiplier(2)
                .withJitter(0.1);
        for (int round = 0; round < 200; round++) {
            Backoff.Delays delays = backoff.start(new ManualTime());
            for (long base : bases) {
                long d = delays.next().orElseThrow().toNanos();
                long low = base * 900_000L;
                long high = Math.min(5_000_000_000L, base * 1_100_000L);
                assertTrue(d >= low && d <= high, "delay " + d + " ns outside [" + low + ", " + high + "] for base " + base);
            }
        }
    }

    @Test
    void proportionalJitterSpansItsWholeRangeAndTheCapAppliesAfterIt() {
        Backoff backoff = Backoff.exponential(Duration.ofMillis(500), Duration.ofSeconds(5)).withJitter(0.1)
                .withRandom(scripted(0.0, 0.5, 0.0, 0.999_999, 0.999_999, 0.0));
        // bases 500, 1000, 2000, 4000, 5000, 5000; r = 0 gives base * 0.9, 0.5 the base, ~1 base * 1.1,
        // and 5000 * 1.1 is capped at 5000: the cap comes after the jitter
        assertEquals(List.of(450L, 1000L, 1800L, 4399L, 5000L, 4500L), millis(backoff, 6));
    }

    @Test
    void noJitterGivesTheBasesAndConstantGivesTheSameDelay() {
        assertEquals(List.of(100L, 300L, 900L, 2000L, 2000L),
                millis(Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(2)).withMultiplier(3), 5));
        assertEquals(List.of(100L, 200L, 400L, 800L), millis(Backoff.exponential(Duration.ofMillis(100), Duration.ofHours(1)), 4));
        assertEquals(List.of(250L, 250L, 250L), millis(Backoff.constant(Duration.ofMillis(250)), 3));
        assertEquals(List.of(0L, 0L), millis(Backoff.constant(Duration.ZERO), 2));
        assertEquals(List.of(125L, 250L), millis(Backoff.constant(Duration.ofMillis(250)).withJitter(1.0)
                .withRandom(scripted(0.25, 0.999_999)), 2), "a constant delay is also the cap of its jitter");
    }

    @Test
    void fullJitterIsRandomZeroToBase() {
        Backoff backoff = Backoff.exponential(Duration.ofMillis(400), Duration.ofSeconds(10)).withJitter(Jitter.FULL)
                .withRandom(scripted(0.25, 0.0, 0.999_999));
        assertEquals(List.of(100L, 0L, 1599L), millis(backoff, 3)); // bases 400, 800, 1600
    }

    @Test
    void equalJitterIsHalfTheBasePlusRandomZeroToHalf() {
        Backoff backoff = Backoff.exponential(Duration.ofMillis(400), Duration.ofSeconds(10)).withJitter(Jitter.EQUAL)
                .withRandom(scripted(0.5, 0.0, 0.999_999));
        assertEquals(List.of(300L, 400L, 1599L), millis(backoff, 3)); // 200 + 100, 400 + 0, 800 + ~800
    }

    @Test
    void decorrelatedJitterIsRandomInitialToThreeTimesThePreviousCappedAtMax() {
        Backoff backoff = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1)).withJitter(Jitter.DECORRELATED)
                .withRandom(scripted(0.5, 1.0 - 1e-12, 0.999_999, 0.0));
        // 100 + 0.5 * (300 - 100) = 200; 100 + ~1 * (600 - 100) = ~600; ~1800 capped to 1000; 100 + 0 = 100
        assertEquals(List.of(200L, 599L, 1000L, 100L), millis(backoff, 4));
    }

    @Test
    void jitteredDelaysStayWithinTheirFormulasBoundsWithRealRandomness() {
        long initial = 10_000_000L;
        long max = 500_000_000L;
        Backoff base = Backoff.exponential(Duration.ofNanos(initial), Duration.ofNanos(max));
        for (Jitter jitter : new Jitter[] {Jitter.FULL, Jitter.EQUAL, Jitter.DECORRELATED}) {
            Backoff.Delays delays = base.withJitter(jitter).start(new ManualTime());
            long b = initial;
            long previous = initial;
            for (int i = 0; i < 50; i++) {
                long d = delays.next().orElseThrow().toNanos();
                long low = switch (jitter) {
                    case FULL -> 0;
                    case EQUAL -> b / 2;
                    default -> initial;
                };
                long high = jitter == Jitter.DECORRELATED ? Math.min(max, previous * 3) : b;
                assertTrue(d >= low && d <= high, jitter + ": delay " + d + " ns outside [" + low + ", " + high + "]");
                previous = d;
                b = Math.min(max, b * 2);
            }
        }
    }

    @Test
    void anOverflowingProductClampsToTheCap() {
        Backoff huge = Backoff.exponential(Duration.ofNanos(Long.MAX_VALUE / 2), Duration.ofNanos(Long.MAX_VALUE))
                .withMultiplier(2.1);
        Backoff.Delays delays = huge.start(new ManualTime());
        assertEquals(Long.MAX_VALUE / 2, delays.next().orElseThrow().toNanos());
        assertEquals(Long.MAX_VALUE, delays.next().orElseThrow().toNanos());
        assertEquals(Long.MAX_VALUE, delays.next().orElseThrow().toNanos());

        Backoff.Delays many = Backoff.exponential(Duration.ofMillis(1), Duration.ofHours(1)).withJitter(0.5)
                .start(new ManualTime());
        for (int i = 0; i < 10_000; i++) {
            long d = many.next().orElseThrow().toNanos();
            assertTrue(d >= 0 && d <= Duration.ofHours(1).toNanos(), "delay " + i + " = " + d);
        }
        Backoff endless = Backoff.exponential(Duration.ofDays(1), Duration.ofSeconds(Long.MAX_VALUE));
        assertEquals(Duration.ofNanos(Long.MAX_VALUE), endless.max(), "a cap beyond long nanoseconds saturates");
        Backoff.Delays growing = endless.start(new ManualTime());
        long last = 0;
        for (int i = 0; i < 100; i++) {
            long d = growing.next().orElseThrow().toNanos();
            assertTrue(d >= last, "delay " + i + " = " + d + " after " + last + ": never wraps around");
            last = d;
        }
        assertEquals(Long.MAX_VALUE, last);
    }

    @Test
    void maxAttemptsCountsTheFirstAttempt() {
        Backoff.Delays three = Backoff.constant(Duration.ofSeconds(1)).withMaxAttempts(3).start(new ManualTime());
        assertEquals(Optional.of(Duration.ofSeconds(1)), three.next());
        assertEquals(Optional.of(Duration.ofSeconds(1)), three.next());
        assertEquals(Optional.empty(), three.next());
        assertEquals(3, three.failedAttempts());
        assertEquals(Optional.empty(), Backoff.constant(Duration.ofSeconds(1)).withMaxAttempts(1).start().next());
    }

    @Test
    void maxElapsedIsMeasuredFromTheStartOnTheInjectedClock() {
        ManualTime time = new ManualTime();
        time.advance(Duration.ofHours(5)); // the start, not the clock's origin, counts
        Backoff.Delays delays = Backoff.exponential(Duration.ofSeconds(1), Duration.ofMinutes(1))
                .withMaxElapsed(Duration.ofSeconds(10)).start(time);
        time.advance(Duration.ofSeconds(8));
        assertEquals(Optional.of(Duration.ofSeconds(1)), delays.next(), "8 s + 1 s is within 10 s");
        time.advance(Duration.ofSeconds(1));
        assertEquals(Optional.empty(), delays.next(), "9 s + 2 s would start past 10 s");

        Backoff.Delays exactly = Backoff.constant(Duration.ofSeconds(2)).withMaxElapsed(Duration.ofSeconds(10)).start(time);
        time.advance(Duration.ofSeconds(8));
        assertEquals(Optional.of(Duration.ofSeconds(2)), exactly.next(), "an attempt starting exactly at the limit is allowed");
        time.advance(Duration.ofNanos(1));
        assertEquals(Optional.empty(), exactly.next());
    }

    @Test
    void startMeasuresOnTheCurrentContextsTimeSource() throws Exception {
        ManualTime time = new ManualTime();
        Backoff backoff = Backoff.constant(Duration.ofSeconds(1)).withMaxElapsed(Duration.ofSeconds(3));
        Backoff.Delays delays;
        try (var scope = Scope.open(c -> c.withTimeSource(time))) {
            delays = backoff.start();
        }
        assertTrue(delays.next().isPresent());
        time.advance(Duration.ofSeconds(2).plusNanos(1));
        assertEquals(Optional.empty(), delays.next(), "the manual clock moved 2 s: 2 s + 1 s is past 3 s");
    }

    @Test
    void withMethodsReturnNewValuesAndLeaveTheOriginalAlone() {
        Backoff original = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(5));
        Backoff jittered = original.withJitter(Jitter.FULL).withMaxAttempts(4).withMaxElapsed(Duration.ofMinutes(1))
                .withMultiplier(1.5);
        assertEquals(Jitter.NONE, original.jitter());
        assertEquals(2.0, original.multiplier());
        assertEquals(Optional.empty(), original.maxAttempts());
        assertEquals(Optional.empty(), original.maxElapsed());
        assertEquals(Jitter.FULL, jittered.jitter());
        assertEquals(1.5, jittered.multiplier());
        assertEquals(Optional.of(4), jittered.maxAttempts());
        assertEquals(Optional.of(Duration.ofMinutes(1)), jittered.maxElapsed());
        assertEquals(Duration.ofMillis(100), jittered.initial());
        assertEquals(Duration.ofSeconds(5), jittered.max());
        assertEquals(0.25, original.withJitter(0.25).jitterFraction());
        assertEquals(Jitter.PROPORTIONAL, original.withJitter(0.25).jitter());

        assertEquals(original, Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(5)));
        assertEquals(original.hashCode(), Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(5)).hashCode());
        assertNotEquals(original, jittered);
        assertNotEquals(Backoff.constant(Duration.ofSeconds(5)), Backoff.exponential(Duration.ofSeconds(5), Duration.ofSeconds(5)));
        assertEquals("Backoff[exponential PT0.1S x1.5 up to PT5S, jitter FULL, maxAttempts 4, maxElapsed PT1M]",
                jittered.toString());
        assertEquals("Backoff[constant PT1S, jitter PROPORTIONAL ±0.5]", Backoff.constant(Duration.ofSeconds(1)).withJitter(0.5).toString());
    }

    private static void assertRejects(Class<? extends Throwable> type, String argument, Executable call) {
        Throwable e = assertThrows(type, call);
        assertTrue(e.getMessage() != null && e.getMessage().contains(argument),
                "the message should name '" + argument + "': " + e.getMessage());
    }

    @Test
    void badInputsAreRejectedWithTheArgumentNamed() {
        Duration s = Duration.ofSeconds(1);
        Backoff b = Backoff.exponential(s, s);
        assertRejects(NullPointerException.class, "initial", () -> Backoff.exponential(null, s));
        assertRejects(NullPointerException.class, "max", () -> Backoff.exponential(s, null));
        assertRejects(IllegalArgumentException.class, "initial", () -> Backoff.exponential(Duration.ZERO, s));
        assertRejects(IllegalArgumentException.class, "initial", () -> Backoff.exponential(Duration.ofSeconds(-1), s));
        assertRejects(IllegalArgumentException.class, "max", () -> Backoff.exponential(s, Duration.ofMillis(999)));
        assertRejects(NullPointerException.class, "delay", () -> Backoff.constant(null));
        assertRejects(IllegalArgumentException.class, "delay", () -> Backoff.constant(Duration.ofNanos(-1)));
        assertRejects(IllegalArgumentException.class, "multiplier", () -> b.withMultiplier(0.99));
        assertRejects(IllegalArgumentException.class, "multiplier", () -> b.withMultiplier(Double.NaN));
        assertRejects(IllegalArgumentException.class, "multiplier", () -> b.withMultiplier(Double.POSITIVE_INFINITY));
        assertRejects(IllegalArgumentException.class, "multiplier", () -> Backoff.constant(s).withMultiplier(2));
        assertRejects(NullPointerException.class, "jitter", () -> b.withJitter((Jitter) null));
        assertRejects(IllegalArgumentException.class, "fraction", () -> b.withJitter(Jitter.PROPORTIONAL));
        assertRejects(IllegalArgumentException.class, "fraction", () -> b.withJitter(-0.1));
        assertRejects(IllegalArgumentException.class, "fraction", () -> b.withJitter(1.01));
        assertRejects(IllegalArgumentException.class, "fraction", () -> b.withJitter(Double.NaN));
        assertRejects(IllegalArgumentException.class, "maxAttempts", () -> b.withMaxAttempts(0));
        assertRejects(NullPointerException.class, "maxElapsed", () -> b.withMaxElapsed(null));
        assertRejects(IllegalArgumentException.class, "maxElapsed", () -> b.withMaxElapsed(Duration.ZERO));
        assertRejects(NullPointerException.class, "random", () -> b.withRandom(null));
        assertRejects(NullPointerException.class, "time", () -> b.start(null));
    }
}
