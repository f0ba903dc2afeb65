package dev.weft.time;

import dev.weft.Context;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * How long to wait between attempts: exponential or constant delays, with jitter, a cap, a
 * maximum number of attempts and a maximum elapsed time. An immutable value: every
 * {@code with...} method returns a new one, so one {@code Backoff} can be shared by any number of
 * {@link Retry retries} and threads.
 *
 * <pre>{@code
 * Backoff backoff = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(5))
 *         .withJitter(Backoff.Jitter.FULL)
 *         .withMaxAttempts(6);
 * }</pre>
 *
 * <h2>The delays</h2>
 * The delay after the <i>k</i>-th failed attempt (<i>k</i> = 1, 2, ...) starts from a base:
 * <ul>
 *   <li>{@linkplain #exponential exponential}: {@code base(k) = min(max, initial * multiplier^(k-1))},
 *       the multiplier being 2 unless {@link #withMultiplier} says otherwise. A product that
 *       overflows (or grows past {@code max}) is clamped to {@code max}.</li>
 *   <li>{@linkplain #constant constant}: {@code base(k) = delay}.</li>
 * </ul>
 * Then the jitter spreads it (the formulas of the AWS Architecture Blog's "Exponential Backoff
 * and Jitter", with {@code random(a, b)} uniform in {@code [a, b)}):
 * <ul>
 *   <li>{@link Jitter#NONE}: {@code base}.</li>
 *   <li>{@link Jitter#FULL}: {@code random(0, base)}.</li>
 *   <li>{@link Jitter#EQUAL}: {@code base/2 + random(0, base/2)}.</li>
 *   <li>{@link Jitter#DECORRELATED}: {@code min(max, random(initial, previous * 3))}, where
 *       {@code previous} is the delay handed out before (the initial delay at first); it does not
 *       use the base or the multiplier.</li>
 *   <li>{@link Jitter#PROPORTIONAL}, set with {@link #withJitter(double) withJitter(f)}:
 *       {@code random(base * (1 - f), base * (1 + f))}, cenkalti/backoff's randomization
 *       factor.</li>
 * </ul>
 * The cap applies <em>after</em> the jitter: no delay is ever longer than {@code max} (unlike
 * cenkalti/backoff, whose randomized delay may exceed its maximum interval by the factor).
 *
 * <h2>When to stop</h2>
 * <ul>
 *   <li>{@link #withMaxAttempts(int) withMaxAttempts(n)}: at most {@code n} attempts in all, the
 *       first one included (Failsafe's and Resilience4j's {@code maxAttempts}, cenkalti's
 *       {@code WithMaxTries}).</li>
 *   <li>{@link #withMaxElapsed(Duration) withMaxElapsed(d)}: no attempt starts later than
 *       {@code d} after the start of the sequence, measured on the time source the sequence was
 *       started on (the context's, for a {@link Retry}): a delay that would end past it stops
 *       the sequence instead.</li>
 * </ul>
 * By default there is no limit of either kind: bound a retry by a limit or by its context's
 * deadline (a {@link Retry} never waits past the deadline).
 *
 * <h2>Randomness</h2>
 * The jitter draws {@link RandomGenerator#nextDouble()} from {@link ThreadLocalRandom} unless
 * {@link #withRandom} injects a generator, for example one that returns fixed values in a test.
 * {@code nextDouble()} is the only method called, on the thread that asks for the delay.
 *
 * <p>{@link #start()} begins one sequence of delays: a {@link Delays}, the state of one retry
 * loop, for Go-style hand-written loops (cenkalti/backoff's {@code NextBackOff}).
 */
public final class Backoff {

    /** How the delays are spread around their base; see the {@linkplain Backoff class documentation}. */
    public enum Jitter {
        /** No jitter: the base. */
        NONE,
        /** {@code random(0, base)}: AWS's "full jitter". */
        FULL,
        /** {@code base/2 + random(0, base/2)}: AWS's "equal jitter". */
        EQUAL,
        /** {@code min(max, random(initial, previous * 3))}: AWS's "decorrelated jitter". */
        DECORRELATED,
        /** {@code random(base * (1 - f), base * (1 + f))}, set with {@link Backoff#withJitter(double)}. */
        PROPORTIONAL
    }

    private final boolean exponential;
    private final long initialNanos;
    private final long maxNanos;
    private final double multiplier;
    private final Jitter jitter;
    private final double fraction;
    private final int maxAttempts;
    private final long maxElapsedNanos;
    /** Null: {@link ThreadLocalRandom#current()} at each draw. */
    private final RandomGenerator random;

    private Backoff(boolean exponential, long initialNanos, long maxNanos, double multiplier, Jitter jitter,
            double fraction, int maxAttempts, long maxElapsedNanos, RandomGenerator random) {
        this.exponential = exponential;
        this.initialNanos = initialNanos;
        this.maxNanos = maxNanos;
        this.multiplier = multiplier;
        this.jitter = jitter;
        this.fraction = fraction;
        this.maxAttempts = maxAttempts;
        this.maxElapsedNanos = maxElapsedNanos;
        this.random = random;
    }

    /**
     * Delays that start at {@code initial} and are multiplied by 2 (see {@link #withMultiplier})
     * after each attempt, up to {@code max}; no jitter, no limit on attempts or time.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code initial} is not positive or {@code max} is less
     *     than {@code initial}
     */
    public static Backoff exponential(Duration initial, Duration max) {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial must be positive, was " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max must be at least initial (" + initial + "), was " + max);
        }
        return new Backoff(true, TimerMath.saturatedNanos(initial), TimerMath.saturatedNanos(max), 2.0, Jitter.NONE, 0,
                Integer.MAX_VALUE, Long.MAX_VALUE, null);
    }

    /**
     * The same {@code delay} after every attempt (zero retries at once); no jitter, no limit on
     * attempts or time. With jitter, {@code delay} is also the cap.
     *
     * @throws NullPointerException if {@code delay} is null
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public static Backoff constant(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, was " + delay);
        }
        long nanos = TimerMath.saturatedNanos(delay);
        return new Backoff(false, nanos, nanos, 1.0, Jitter.NONE, 0, Integer.MAX_VALUE, Long.MAX_VALUE, null);
    }

    /**
     * The factor by which an exponential backoff's base grows after each attempt (2 by default).
     *
     * @throws IllegalArgumentException if {@code multiplier} is less than 1 or not finite, or if
     *     this backoff is constant
     */
    public Backoff withMultiplier(double multiplier) {
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be finite and at least 1, was " + multiplier);
        }
        if (!exponential) {
            throw new IllegalArgumentException("multiplier " + multiplier
                    + " needs an exponential backoff; this one is constant");
        }
        return new Backoff(true, initialNanos, maxNanos, multiplier, jitter, fraction, maxAttempts, maxElapsedNanos,
                random);
    }

    /**
     * Spreads the delays with one of the AWS jitters ({@code NONE}, {@code FULL}, {@code EQUAL},
     * {@code DECORRELATED}); for {@code PROPORTIONAL}, use {@link #withJitter(double)}.
     *
     * @throws NullPointerException if {@code jitter} is null
     * @throws IllegalArgumentException if {@code jitter} is {@code PROPORTIONAL}
     */
    public Backoff withJitter(Jitter jitter) {
        Objects.requireNonNull(jitter, "jitter");
        if (jitter == Jitter.PROPORTIONAL) {
            throw new IllegalArgumentException(
                    "jitter PROPORTIONAL needs its fraction: use withJitter(double fraction) instead");
        }
        return new Backoff(exponential, initialNanos, maxNanos, multiplier, jitter, 0, maxAttempts, maxElapsedNanos,
                random);
    }

    /**
     * Spreads each delay uniformly over {@code base * (1 ± fraction)}, then caps it at the maximum
     * ({@link Jitter#PROPORTIONAL}). {@code withJitter(0.1)} is ±10%.
     *
     * @throws IllegalArgumentException if {@code fraction} is not in {@code [0, 1]}
     */
    public Backoff withJitter(double fraction) {
        if (!(fraction >= 0.0 && fraction <= 1.0)) {
            throw new IllegalArgumentException("fraction must be between 0 and 1, was " + fraction);
        }
        return new Backoff(exponential, initialNanos, maxNanos, multiplier, Jitter.PROPORTIONAL, fraction, maxAttempts,
                maxElapsedNanos, random);
    }

    /**
     * At most {@code maxAttempts} attempts in all, the first one included: {@code withMaxAttempts(1)}
     * never retries.
     *
     * @throws IllegalArgumentException if {@code maxAttempts} is not positive
     */
    public Backoff withMaxAttempts(int maxAttempts) {
        if (maxAttempts <= 0) {
            throw new IllegalArgumentException("maxAttempts must be positive, was " + maxAttempts);
        }
        return new Backoff(exponential, initialNanos, maxNanos, multiplier, jitter, fraction, maxAttempts,
                maxElapsedNanos, random);
    }

    /**
     * No attempt starts later than {@code maxElapsed} after the sequence started: a delay that
     * would end past it stops the sequence instead.
     *
     * @throws NullPointerException if {@code maxElapsed} is null
     * @throws IllegalArgumentException if {@code maxElapsed} is not positive
     */
    public Backoff withMaxElapsed(Duration maxElapsed) {
        return new Backoff(exponential, initialNanos, maxNanos, multiplier, jitter, fraction, maxAttempts,
                TimerMath.positiveNanos(maxElapsed, "maxElapsed"), random);
    }

    /**
     * Draws the jitter from {@code random} ({@link RandomGenerator#nextDouble()}, called on the
     * thread that asks for a delay; a generator shared by concurrent retries must be thread-safe).
     *
     * @throws NullPointerException if {@code random} is null
     */
    public Backoff withRandom(RandomGenerator random) {
        Objects.requireNonNull(random, "random");
        return new Backoff(exponential, initialNanos, maxNanos, multiplier, jitter, fraction, maxAttempts,
                maxElapsedNanos, random);
    }

    /** The first base delay (the constant delay of a constant backoff). */
    public Duration initial() {
        return Duration.ofNanos(initialNanos);
    }

    /** The cap: no delay is longer. */
    public Duration max() {
        return Duration.ofNanos(maxNanos);
    }

    /** The growth factor of the base (1 for a constant backoff). */
    public double multiplier() {
        return multiplier;
    }

    public Jitter jitter() {
        return jitter;
    }

    /** The fraction of {@link Jitter#PROPORTIONAL} jitter; 0 for the other kinds. */
    public double jitterFraction() {
        return fraction;
    }

    /** The attempt limit, the first attempt included; empty if there is none. */
    public Optional<Integer> maxAttempts() {
        return maxAttempts == Integer.MAX_VALUE ? Optional.empty() : Optional.of(maxAttempts);
    }

    /** The elapsed-time limit; empty if there is none. */
    public Optional<Duration> maxElapsed() {
        return maxElapsedNanos == Long.MAX_VALUE ? Optional.empty() : Optional.of(Duration.ofNanos(maxElapsedNanos));
    }

    /** Starts a sequence of delays whose elapsed time is measured on the current context's time source. */
    public Delays start() {
        return start(Context.current().timeSource());
    }

    /**
     * Starts a sequence of delays whose elapsed time is measured on {@code time}.
     *
     * @throws NullPointerException if {@code time} is null
     */
    public Delays start(TimeSource time) {
        Objects.requireNonNull(time, "time");
        return new Delays(time, hasMaxElapsed() ? time.nanoTime() : 0);
    }

    /** A sequence that started at {@code startNanos} on {@code time} (read only if {@link #hasMaxElapsed()}). */
    Delays delaysSince(TimeSource time, long startNanos) {
        return new Delays(time, startNanos);
    }

    /** True if there is an elapsed-time limit, so that a sequence must read the clock when it starts. */
    boolean hasMaxElapsed() {
        return maxElapsedNanos != Long.MAX_VALUE;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Backoff b && exponential == b.exponential && initialNanos == b.initialNanos
                && maxNanos == b.maxNanos && Double.compare(multiplier, b.multiplier) == 0 && jitter == b.jitter
                && Double.compare(fraction, b.fraction) == 0 && maxAttempts == b.maxAttempts
                && maxElapsedNanos == b.maxElapsedNanos && random == b.random;
    }

    @Override
    public int hashCode() {
        return Objects.hash(exponential, initialNanos, maxNanos, multiplier, jitter, fraction, maxAttempts,
                maxElapsedNanos, System.identityHashCode(random));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Backoff[");
        if (exponential) {
            sb.append("exponential ").append(initial()).append(" x").append(multiplier).append(" up to ").append(max());
        } else {
            sb.append("constant ").append(initial());
        }
        sb.append(", jitter ").append(jitter);
        if (jitter == Jitter.PROPORTIONAL) {
            sb.append(" ±").append(fraction);
        }
        maxAttempts().ifPresent(n -> sb.append(", maxAttempts ").append(n));
        maxElapsed().ifPresent(d -> sb.append(", maxElapsed ").append(d));
        return sb.append(']').toString();
    }

    /**
     * One sequence of delays: the state of one retry loop. Call {@link #next()} after each failed
     * attempt. Not thread-safe: it belongs to the loop that started it.
     *
     * <pre>{@code
     * Backoff.Delays delays = backoff.start();
     * while (true) {
     *     try {
     *         return fetch();
     *     } catch (IOException e) {
     *         Optional<Duration> wait = delays.next();
     *         if (wait.isEmpty()) {
     *             throw e;                 // attempts or time used up
     *         }
     *         Sleep.sleep(wait.get());     // woken by the context's cancellation and deadline
     *     }
     * }
     * }</pre>
     */
    public final class Delays {
        private final TimeSource time;
        /** When the sequence started on {@link #time}, read only if there is an elapsed-time limit. */
        private final long startNanos;
        private int failedAttempts;
        /** The next exponential base. */
        private long base = initialNanos;
        /** The previous delay, for decorrelated jitter. */
        private long previous = initialNanos;

        private Delays(TimeSource time, long startNanos) {
            this.time = time;
            this.startNanos = startNanos;
        }

        /**
         * The wait before the next attempt, called once after each failed attempt; empty when the
         * backoff says stop: the attempts are used up, or the next attempt would start past the
         * maximum elapsed time.
         */
        public Optional<Duration> next() {
            if (!attemptLeft()) {
                return Optional.empty();
            }
            long delay = nextDelayNanos();
            return withinMaxElapsed(delay) ? Optional.of(Duration.ofNanos(delay)) : Optional.empty();
        }

        /** How many failed attempts {@link #next()} has been told about so far. */
        public int failedAttempts() {
            return failedAttempts;
        }

        /** Counts one more failed attempt; false if it was the last one allowed. */
        boolean attemptLeft() {
            failedAttempts++;
            return failedAttempts < maxAttempts;
        }

        /** The next delay, jittered and capped; advances the sequence. */
        long nextDelayNanos() {
            long b = base;
            if (exponential) {
                double grown = b * multiplier;
                base = grown >= maxNanos ? maxNanos : (long) grown;
            }
            if (jitter == Jitter.NONE) {
                previous = b; // exact: no round trip through a double
                return b;
            }
            double d = switch (jitter) {
                case NONE -> b; // handled above
                case FULL -> draw() * b;
                case EQUAL -> b / 2.0 + draw() * (b / 2.0);
                case DECORRELATED -> initialNanos + draw() * (previous * 3.0 - initialNanos);
                case PROPORTIONAL -> b * (1.0 - fraction + 2.0 * fraction * draw());
            };
            long delay = d >= maxNanos ? maxNanos : Math.max(0, (long) d);
            previous = delay;
            return delay;
        }

        /** True if an attempt after {@code delayNanos} from now starts within the maximum elapsed time. */
        boolean withinMaxElapsed(long delayNanos) {
            if (!hasMaxElapsed()) {
                return true;
            }
            long elapsed = time.nanoTime() - startNanos;
            return TimerMath.saturatedAdd(elapsed, delayNanos) <= maxElapsedNanos;
        }

        private double draw() {
            RandomGenerator g = random != null ? random : ThreadLocalRandom.current();
            return g.nextDouble();
        }

        @Override
        public String toString() {
            return "Backoff.Delays[" + failedAttempts + " failed attempts, of " + Backoff.this + "]";
        }
    }
}
