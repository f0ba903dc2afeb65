package dev.weft.time;

import java.time.Duration;
import java.time.Instant;

/** Saturating nanosecond arithmetic and fire-time values, shared by every class of {@code dev.weft.time}. */
final class TimerMath {
    private TimerMath() {}

    /** {@code a + b}, saturated to {@code Long.MAX_VALUE} or {@code Long.MIN_VALUE} instead of wrapping. */
    static long saturatedAdd(long a, long b) {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) {
            return b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        return r;
    }

    /** {@code d} in nanoseconds, saturated to {@code Long.MIN_VALUE}/{@code MAX_VALUE} instead of overflowing. */
    static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException overflow) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /**
     * The wall-clock instant of {@code due}, a reading of {@code time}'s nano clock: now minus how
     * late the timer runs. On {@link ManualTime}, whose timers run with the clock at their due time,
     * it is exactly {@code time.now()}. This is the value Go's tickers and timers deliver.
     */
    static Instant fireTime(TimeSource time, long due) {
        Instant now = time.now();
        long late = time.nanoTime() - due;
        return late == 0 ? now : now.minusNanos(late);
    }

    /**
     * A positive duration as nanoseconds, saturated at {@code Long.MAX_VALUE}.
     *
     * @throws NullPointerException if {@code d} is null
     * @throws IllegalArgumentException if {@code d} is zero or negative
     */
    static long positiveNanos(Duration d, String name) {
        if (d == null) {
            throw new NullPointerException(name);
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
        return saturatedNanos(d);
    }
}
