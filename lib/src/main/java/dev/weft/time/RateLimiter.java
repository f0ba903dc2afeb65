package dev.weft.time;

import dev.weft.CancelledException;
import dev.weft.Context;
import dev.weft.DeadlineExceededException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A token bucket with the semantics of Go's {@code golang.org/x/time/rate.Limiter}: it holds at
 * most {@code burst} permits, starts full, and refills at {@code permitsPerSecond}.
 *
 * <pre>{@code
 * RateLimiter limiter = RateLimiter.of(100, 10);   // rate.NewLimiter(100, 10)
 * limiter.acquire(1);                              // limiter.Wait(ctx): waits, within the deadline
 * if (limiter.tryAcquire(1)) { ... }               // limiter.Allow(): never waits
 * RateLimiter.Reservation r = limiter.reserve(1);  // limiter.Reserve(): r.delay(), r.cancel()
 * }</pre>
 *
 * <ul>
 *   <li><b>Waiting, in arrival order.</b> {@link #acquire} takes its permits at once if the bucket
 *       has them, otherwise it reserves them (the bucket goes into debt) and sleeps until they
 *       have been refilled. Each request is given its time when it arrives, after the requests
 *       before it: a later request never takes permits promised to an earlier one nor pushes its
 *       time back, so a large request is not starved by a stream of small ones, and while anyone
 *       waits, {@link #tryAcquire} fails.</li>
 *   <li><b>Deadlines and cancellation.</b> {@code acquire} waits inside the current
 *       {@link Context}: it fails at once, without taking anything, with
 *       {@link DeadlineExceededException} if its wait would end after the context's deadline
 *       (a wait that ends exactly at it is allowed, as in Go), and a cancellation while it waits
 *       wakes it (without an interrupt) and makes it throw {@link CancelledException}. A waiter
 *       that gives up returns its permits as {@link Reservation#cancel()} does.</li>
 *   <li><b>Clear failures.</b> A request for more than {@code burst} permits could never be granted
 *       and throws {@link IllegalArgumentException} at once, from every method (Go's {@code Wait}
 *       returns an error, {@code Allow} false).</li>
 *   <li><b>Changing the rate.</b> {@link #setRate} and {@link #setBurst} take effect at once for
 *       new requests. The permits in the bucket (or its debt) are kept as they are at that moment;
 *       requests that already have their time (waiting {@code acquire}s and reservations) keep
 *       it, so the new rate or burst may be exceeded, or underused, by them, as
 *       {@code SetLimit}'s documentation says.</li>
 * </ul>
 *
 * <p>The limiter's clock is fixed when it is made: the current context's time source (a
 * {@link ManualTime} when made inside a scope opened with {@code withTimeSource(manualTime)}),
 * or the one given to {@link #of(double, int, TimeSource)}. Waits are measured on it.
 * The design and where it departs from Go are in {@code docs/adr/0018-rate-limiter.md}.
 *
 * <p>Memory consistency effects: actions in a thread prior to a {@link Reservation#cancel()} that
 * returns permits happen-before actions following an {@link #acquire} or {@link #tryAcquire} in
 * another thread that obtains permits after it.
 */
public final class RateLimiter {
    /*
     * Implementation overview. The state of x/time/rate's Limiter (rate, burst, tokens, last,
     * lastEvent) is one immutable State object, replaced by compare-and-set: every operation reads
     * the current State, computes the next one exactly as Go computes it under its mutex, and
     * publishes it with one CAS, retrying from a fresh State if another thread got there first.
     * So the operations are linearizable in the order of their successful CASes, with no lock and
     * no synchronized (which would pin virtual threads on JDK 21); a failing tryAcquire writes
     * nothing. Invariants, each kept by every transition:
     *   - tokens <= burst (it may be negative: a debt owed to reservations not yet acted on);
     *   - last never moves backwards (a thread whose clock reading is older than last computes at
     *     last, so no elapsed time is ever counted twice);
     *   - lastEvent is the time to act of the latest reservation (Go's lastEvent), moved back only
     *     by the cancel of that latest reservation.
     * In CAS order, a reservation's time to act is t + debt / rate, and the debt only grows by its
     * own request, so the times to act are non-decreasing: waiters act in arrival order. Refill is
     * tokens + elapsed * rate / 1e9, capped at burst; a wait is rounded up to whole nanoseconds, so
     * no one acts before its permits have accrued: in any interval of length T the permits granted
     * are at most burst + rate * T (jcstress: RateLimiterNeverExceedsBurstPlusRate).
     */
    private static final VarHandle STATE;
    private static final VarHandle CANCELLED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(RateLimiter.class, "state", State.class);
            CANCELLED = l.findVarHandle(Reservation.class, "cancelled", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** An acquire granted at once: no handle needed. */
    private static final Reservation GRANTED_NOW = new Reservation(null, 0, 0, 0);

    private final TimeSource time;
    private volatile State state;

    private RateLimiter(double permitsPerSecond, int burst, TimeSource time) {
        checkRate(permitsPerSecond);
        checkBurst(burst);
        this.time = time;
        long now = time.nanoTime();
        this.state = new State(permitsPerSecond, burst, burst, now, now);
    }

    /**
     * A limiter of {@code permitsPerSecond} with a bucket of {@code burst} permits, full at first,
     * on the current context's time source (Go's {@code rate.NewLimiter(r, b)}).
     *
     * @throws IllegalArgumentException if {@code permitsPerSecond} is not positive and finite, or
     *     {@code burst} is not positive
     */
    public static RateLimiter of(double permitsPerSecond, int burst) {
        return new RateLimiter(permitsPerSecond, burst, Context.current().timeSource());
    }

    /**
     * A limiter as {@link #of(double, int)}, on {@code time}.
     *
     * @throws NullPointerException if {@code time} is null
     * @throws IllegalArgumentException if {@code permitsPerSecond} is not positive and finite, or
     *     {@code burst} is not positive
     */
    public static RateLimiter of(double permitsPerSecond, int burst, TimeSource time) {
        Objects.requireNonNull(time, "time");
        return new RateLimiter(permitsPerSecond, burst, time);
    }

    /** {@code tryAcquire(1)}: Go's {@code Allow()}. */
    public boolean tryAcquire() {
        return tryAcquire(1);
    }

    /**
     * Takes {@code n} permits if the bucket has them now, without waiting (Go's {@code AllowN}).
     * Fails while anyone is waiting for permits, since their reserved permits are a debt.
     *
     * @return true if the permits were taken
     * @throws IllegalArgumentException if {@code n} is negative or more than the burst
     */
    public boolean tryAcquire(int n) {
        checkN(n);
        // A debt of any size waits at least 1 ns, so a zero wait never takes one: nothing is written.
        return reserve(n, 0, false) != null;
    }

    /** {@code acquire(1)}: Go's {@code Wait(ctx)}. */
    public void acquire() throws InterruptedException {
        acquire(1);
    }

    /**
     * Takes {@code n} permits, waiting in arrival order until the bucket has refilled them (Go's
     * {@code WaitN(ctx, n)}); see the class documentation. {@code acquire(0)} waits only for the
     * requests ahead of it.
     *
     * @throws IllegalArgumentException if {@code n} is negative or more than the burst
     * @throws DeadlineExceededException at once, taking nothing, if the wait would end after the
     *     current context's deadline
     * @throws CancelledException if the current context is or becomes cancelled first (the
     *     permits are returned as by {@link Reservation#cancel()})
     * @throws InterruptedException if the thread is interrupted while waiting and the context is
     *     not cancelled (the permits are returned likewise)
     */
    public void acquire(int n) throws InterruptedException {
        checkN(n);
        int burst = state.burst;
        if (n > burst) {
            throw moreThanBurst(n, burst);
        }
        Context ctx = Context.current();
        ctx.throwIfCancelled();
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before acquire(" + n + ")");
        }
        Optional<Duration> remaining = ctx.remaining();
        long maxWait = remaining.isPresent() ? TimerMath.saturatedNanos(remaining.get()) : Long.MAX_VALUE;
        Reservation r = reserve(n, maxWait, false);
        if (r == null) {
            throw new DeadlineExceededException("acquire(" + n + ") would wait about " + Duration.ofNanos(waitNanos(n))
                    + " for its permits, past the context's deadline in " + remaining.orElseThrow() + ": "
                    + this);
        }
        if (r == GRANTED_NOW) {
            return;
        }
        try {
            Sleep.until(time, r.timeToAct);
        } catch (CancelledException | InterruptedException e) {
            r.cancel();
            throw e;
        }
    }

    /** {@code reserve(1)}: Go's {@code Reserve()}. */
    public Reservation reserve() {
        return reserve(1);
    }

    /**
     * Takes {@code n} permits now, in arrival order like {@link #acquire}, and returns when they
     * may be used instead of waiting (Go's {@code ReserveN}): wait {@link Reservation#delay()},
     * then act, or {@link Reservation#cancel() cancel} to give the permits back.
     *
     * @throws IllegalArgumentException if {@code n} is negative or more than the burst
     */
    public Reservation reserve(int n) {
        checkN(n);
        return reserve(n, Long.MAX_VALUE, true);
    }

    /**
     * Go's {@code reserveN}: takes {@code n} permits unless the wait would exceed
     * {@code maxWaitNanos}. Returns null if it would (nothing taken), {@link #GRANTED_NOW} for a
     * grant with no wait when {@code handle} is false, and a reservation otherwise.
     */
    private Reservation reserve(int n, long maxWaitNanos, boolean handle) {
        long now = time.nanoTime();
        while (true) {
            State s = state;
            if (n > s.burst) {
                throw moreThanBurst(n, s.burst);
            }
            long t = Math.max(now, s.last);
            double left = s.tokensAt(t) - n;
            long wait = left < 0 ? Math.max(1, nanosFor(-left, s.rate)) : 0; // a debt always waits
            if (wait > maxWaitNanos) {
                return null;
            }
            long timeToAct = TimerMath.saturatedAdd(t, wait);
            if (STATE.compareAndSet(this, s, new State(s.rate, s.burst, left, t, timeToAct))) {
                return wait == 0 && !handle ? GRANTED_NOW : new Reservation(this, n, timeToAct, s.rate);
            }
        }
    }

    /** How long a request of {@code n} would wait now (for messages; takes nothing). */
    private long waitNanos(int n) {
        State s = state;
        double left = s.tokensAt(Math.max(time.nanoTime(), s.last)) - n;
        return left < 0 ? nanosFor(-left, s.rate) : 0;
    }

    /**
     * Changes the rate from now on (Go's {@code SetLimit}): the permits in the bucket at this
     * moment (or its debt) are kept, and refill continues at the new rate. Requests that already
     * have their time keep it.
     *
     * @throws IllegalArgumentException if {@code permitsPerSecond} is not positive and finite
     */
    public void setRate(double permitsPerSecond) {
        checkRate(permitsPerSecond);
        long now = time.nanoTime();
        while (true) {
            State s = state;
            long t = Math.max(now, s.last);
            if (STATE.compareAndSet(this, s, new State(permitsPerSecond, s.burst, s.tokensAt(t), t, s.lastEvent))) {
                return;
            }
        }
    }

    /**
     * Changes the burst from now on (Go's {@code SetBurst}): the permits in the bucket at this
     * moment (or its debt) are kept, but never more than the new burst, and it refills up to the
     * new burst. Requests that already have their time keep it.
     *
     * @throws IllegalArgumentException if {@code burst} is not positive
     */
    public void setBurst(int burst) {
        checkBurst(burst);
        long now = time.nanoTime();
        while (true) {
            State s = state;
            long t = Math.max(now, s.last);
            if (STATE.compareAndSet(this, s, new State(s.rate, burst, s.tokensAt(t), t, s.lastEvent))) {
                return;
            }
        }
    }

    /** The refill rate, in permits per second (Go's {@code Limit()}). */
    public double rate() {
        return state.rate;
    }

    /** The bucket's size: the most permits one request may take (Go's {@code Burst()}). */
    public int burst() {
        return state.burst;
    }

    /**
     * The permits in the bucket now (Go's {@code Tokens()}): fractional while it refills, negative
     * while requests wait for permits reserved ahead of the refill.
     */
    public double tokens() {
        State s = state;
        return s.tokensAt(Math.max(time.nanoTime(), s.last));
    }

    /** The time source the limiter measures on. */
    public TimeSource timeSource() {
        return time;
    }

    @Override
    public String toString() {
        State s = state;
        return "RateLimiter[" + s.rate + "/s, burst " + s.burst + ", tokens "
                + String.format(Locale.ROOT, "%.3f", s.tokensAt(Math.max(time.nanoTime(), s.last))) + "]";
    }

    private static void checkN(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative, was " + n);
        }
    }

    private static void checkRate(double permitsPerSecond) {
        if (!(permitsPerSecond > 0) || Double.isInfinite(permitsPerSecond)) {
            throw new IllegalArgumentException("permitsPerSecond must be positive and finite, was " + permitsPerSecond);
        }
    }

    private static void checkBurst(int burst) {
        if (burst <= 0) {
            throw new IllegalArgumentException("burst must be positive, was " + burst);
        }
    }

    private static IllegalArgumentException moreThanBurst(int n, int burst) {
        return new IllegalArgumentException("n = " + n + " is more than the limiter's burst of " + burst
                + ": it could never be granted");
    }

    /** Nanoseconds to accrue {@code tokens} at {@code rate}, rounded up (Go's durationFromTokens, which truncates). */
    static long nanosFor(double tokens, double rate) {
        double nanos = Math.ceil(tokens * 1e9 / rate);
        return nanos >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) nanos;
    }

    /** Tokens accrued in {@code nanos} at {@code rate} (Go's tokensFromDuration). */
    static double tokensIn(long nanos, double rate) {
        return nanos * rate / 1e9;
    }

    /** One immutable state of the bucket: x/time/rate's fields. */
    private static final class State {
        final double rate;
        final int burst;
        final double tokens;
        /** When {@link #tokens} was computed, on the limiter's clock. */
        final long last;
        /** The time to act of the latest reservation, past or future. */
        final long lastEvent;

        State(double rate, int burst, double tokens, long last, long lastEvent) {
            this.rate = rate;
            this.burst = burst;
            this.tokens = tokens;
            this.last = last;
            this.lastEvent = lastEvent;
        }

        /** The tokens at {@code t >= last}: refilled since {@code last}, capped at the burst (as Go's advance). */
        double tokensAt(long t) {
            long elapsed = t - last;
            double refilled = elapsed > 0 ? tokens + tokensIn(elapsed, rate) : tokens;
            return refilled > burst ? burst : refilled;
        }
    }

    /**
     * Permits taken by {@link #reserve(int)} (Go's {@code Reservation}): how long to wait before
     * using them, and a way to give them back.
     */
    public static final class Reservation {
        private final RateLimiter limiter;
        private final int permits;
        private final long timeToAct;
        /** The rate when the reservation was made: Go converts with it in {@code CancelAt}. */
        private final double rate;
        private volatile boolean cancelled;

        Reservation(RateLimiter limiter, int permits, long timeToAct, double rate) {
            this.limiter = limiter;
            this.permits = permits;
            this.timeToAct = timeToAct;
            this.rate = rate;
        }

        /** How many permits were reserved. */
        public int permits() {
            return permits;
        }

        /** How long from now until the permits may be used; zero once that time has come. */
        public Duration delay() {
            long left = timeToAct - limiter.time.nanoTime();
            return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
        }

        /**
         * The reservation holder will not use the permits: gives back as many as it can, the way
         * Go's {@code Reservation.Cancel} does.
         * <ul>
         *   <li>Once the permits' time has come (they count as used), nothing is given back. At
         *       that very instant (for example at once, on a {@link ManualTime} that has not moved)
         *       they still are.</li>
         *   <li>Otherwise the permits reserved <em>after</em> this reservation, which were given
         *       their times counting on these, are not given back; the rest are, up to the
         *       burst. Reservations already made keep their times, and the permits given back
         *       serve new requests.</li>
         *   <li>A second call does nothing (Go would give the permits back again).</li>
         * </ul>
         *
         * @return true if this call gave permits back
         */
        public boolean cancel() {
            if (!CANCELLED.compareAndSet(this, false, true) || permits == 0) {
                return false;
            }
            RateLimiter lim = limiter;
            long now = lim.time.nanoTime();
            if (timeToAct < now) {
                return false;
            }
            while (true) {
                State s = lim.state;
                long t = Math.max(now, s.last);
                double later = tokensIn(Math.max(0, s.lastEvent - timeToAct), rate);
                double restore = permits - later;
                if (restore <= 0) {
                    return false;
                }
                double tokens = Math.min(s.burst, s.tokensAt(t) + restore);
                long lastEvent = s.lastEvent;
                if (timeToAct == s.lastEvent) {
                    long previous = timeToAct - nanosFor(permits, rate);
                    if (previous >= t) {
                        lastEvent = previous;
                    }
                }
                if (STATE.compareAndSet(lim, s, new State(s.rate, s.burst, tokens, t, lastEvent))) {
                    return true;
                }
            }
        }

        /** True once {@link #cancel()} has been called. */
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public String toString() {
            return "RateLimiter.Reservation[" + permits + " permits, delay " + delay()
                    + (cancelled ? ", cancelled" : "") + "]";
        }
    }
}
