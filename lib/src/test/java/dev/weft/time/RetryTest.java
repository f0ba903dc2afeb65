package dev.weft.time;

import static dev.weft.TestSupport.onNewThread;
import static dev.weft.time.Clocks.parkedOn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.CancelledException;
import dev.weft.Context;
import dev.weft.LeakCheckExtension;
import dev.weft.TestSupport;
import dev.weft.Scope;
import dev.weft.Subtask;
import dev.weft.time.RetryFailedException.Reason;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/** Retry: cenkalti/backoff's retry tests and every stop reason, on ManualTime, plus hooks, hints and bad inputs. */
@ExtendWith(LeakCheckExtension.class)
@SuppressWarnings("try") // scopes opened only to set the context (clock, deadline) of the code inside
@Timeout(60) // a hang guard: a regression that waits forever fails (the test thread is interrupted)
class RetryTest {
    private static final Retry NO_WAIT = Retry.with(Backoff.constant(Duration.ZERO));

    /** An operation that fails with IOException("failure n") on calls 1..failures, then returns "ok after n". */
    static final class Flaky implements Callable<String> {
        final AtomicInteger calls = new AtomicInteger();
        final int failures;

        Flaky(int failures) {
            this.failures = failures;
        }

        @Override
        public String call() throws IOException {
            int n = calls.incrementAndGet();
            if (n <= failures) {
                throw new IOException("failure " + n);
            }
            return "ok after " + n;
        }
    }

    private static RetryFailedException stopped(Retry retry, Callable<?> op) {
        return assertThrows(RetryFailedException.class, () -> retry.call(op));
    }

    @Test
    void failsTwiceThenSucceedsThreeCallsTheValueAndTheWaitsTheBackoffSays() throws Exception {
        ManualTime time = new ManualTime();
        Flaky op = new Flaky(2);
        List<Retry.Event> events = new CopyOnWriteArrayList<>();
        Retry retry = Retry.with(Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1))).onRetry(events::add);
        var caller = onNewThread("retrying", () -> {
            try (var scope = Scope.open(c -> c.withTimeSource(time))) {
                return retry.call(op);
            }
        });
        parkedOn(time, 1, caller.thread());
        time.advance(Duration.ofMillis(99));
        parkedOn(time, 1, caller.thread());
        assertEquals(1, op.calls.get(), "99 ms into a 100 ms wait: no second attempt yet");
        time.advance(Duration.ofMillis(1));
        parkedOn(time, 1, caller.thread()); // waiting 200 ms after the second failure
        assertEquals(2, op.calls.get());
        time.advance(Duration.ofMillis(200));
        assertEquals("ok after 3", caller.get());
        assertEquals(3, op.calls.get());
        assertEquals(300_000_000L, time.nanoTime());
        assertEquals(List.of(1, 2), events.stream().map(Retry.Event::attempt).toList());
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200)), events.stream().map(Retry.Event::delay).toList());
        assertEquals(List.of("failure 1", "failure 2"), events.stream().map(e -> e.failure().getMessage()).toList());
    }

    @Test
    void aSuccessfulFirstAttemptIsTheOnlyCallAndRunsTheHookNever() throws Exception {
        Flaky op = new Flaky(0);
        AtomicInteger hooks = new AtomicInteger();
        assertEquals("ok after 1", NO_WAIT.onRetry(e -> hooks.incrementAndGet()).call(op));
        assertEquals(1, op.calls.get());
        assertEquals(0, hooks.get());
    }

    @Test
    void cancelDuringTheThirdAttemptStopsWithExactlyThreeCalls() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        IllegalStateException why = new IllegalStateException("shutting down");
        RetryFailedException e;
        try (var scope = Scope.open()) {
            e = stopped(NO_WAIT, () -> {
                int n = calls.incrementAndGet();
                if (n == 3) {
                    scope.cancel(why); // the context is cancelled while the third attempt runs
                }
                throw new IOException("failure " + n);
            });
        }
        assertEquals(3, calls.get());
        assertEquals(Reason.CANCELLED, e.reason());
        assertEquals(3, e.attempts());
        assertEquals("failure 3", e.lastError().getMessage());
        CancelledException cause = assertInstanceOf(CancelledException.class, e.getCause(), "the cancellation is the cause");
        assertSame(why, cause.cause());
        assertEquals(List.of("failure 1", "failure 2", "failure 3"), messages(e.getSuppressed()),
                "the earlier errors in order, then the last one");
    }

    @Test
    void aCancellationFromAnotherThreadDuringABlockedAttemptStopsAtOnceWithExactlyThreeCalls() throws Exception {
        ManualTime time = new ManualTime();
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<Scope> scopeRef = new AtomicReference<>();
        var caller = onNewThread("retrying", () -> {
            try (var scope = Scope.open(c -> c.withTimeSource(time))) {
                scopeRef.set(scope);
                return NO_WAIT.call(() -> {
                    if (calls.incrementAndGet() < 3) {
                        throw new IOException("failure " + calls.get());
                    }
                    Sleep.sleep(Duration.ofDays(1)); // the third attempt blocks in a weft call
                    return "never";
                });
            }
        });
        parkedOn(time, 1, caller.thread());
        scopeRef.get().cancel();
        RetryFailedException e = assertInstanceOf(RetryFailedException.class, caller.failure());
        assertEquals(3, calls.get());
        assertEquals(Reason.CANCELLED, e.reason());
        assertInstanceOf(CancelledException.class, e.lastError(), "the third attempt's own error");
        assertEquals(0, time.pending());
    }

    @Test
    void aCancellationDuringTheWaitStopsAtOnceWithTheLastError() throws Exception {
        ManualTime time = new ManualTime();
        Flaky op = new Flaky(5);
        AtomicReference<Scope> scopeRef = new AtomicReference<>();
        var caller = onNewThread("retrying", () -> {
            try (var scope = Scope.open(c -> c.withTimeSource(time))) {
                scopeRef.set(scope);
                return Retry.with(Backoff.constant(Duration.ofMinutes(1))).call(op);
            }
        });
        parkedOn(time, 1, caller.thread());
        scopeRef.get().cancel();
        RetryFailedException e = assertInstanceOf(RetryFailedException.class, caller.failure());
        assertEquals(Reason.CANCELLED, e.reason());
        assertEquals(1, op.calls.get());
        assertEquals("failure 1", e.lastError().getMessage());
        assertEquals(0, time.nanoTime(), "stopped without any virtual time passing");
        assertEquals(0, time.pending(), "the wait's wake-up was cancelled");
    }

    @Test
    void aCancellationAtTheVeryMomentTheWaitEndsStopsBeforeTheNextAttempt() throws Exception {
        ManualTime time = new ManualTime();
        Flaky op = new Flaky(5);
        var caller = onNewThread("retrying", () -> {
            try (var scope = Scope.open(c -> c.withTimeSource(time))) {
                time.scheduleAt(1_000_000_000L, scope::cancel); // due with the wait's end, and before it
                return Retry.with(Backoff.constant(Duration.ofSeconds(1))).call(op);
            }
        });
        parkedOn(time, 2, caller.thread());
        time.advance(Duration.ofSeconds(1));
        RetryFailedException e = assertInstanceOf(RetryFailedException.class, caller.failure());
        assertEquals(Reason.CANCELLED, e.reason());
        assertEquals(1, op.calls.get(), "the wait ended normally, but no attempt runs in a cancelled context");
    }

    @Test
    void anAttemptsOwnTimeoutIsRetriedLikeAnyOtherError() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        String value = NO_WAIT.call(() -> {
            if (calls.incrementAndGet() < 3) {
                throw new dev.weft.DeadlineExceededException("the attempt's own timeout (its scope's, not ours)");
            }
            return "third time lucky";
        });
        assertEquals("third time lucky", value);
        assertEquals(3, calls.get());
    }

    @Test
    void aScopeRecordsARetryStoppedByItsCancellationAsCancelledNotAsAFailure() throws Exception {
        ManualTime time = new ManualTime();
        IllegalStateException boom = new IllegalStateException("boom");
        AtomicReference<RetryFailedException> seen = new AtomicReference<>();
        try (var scope = Scope.open(c -> c.withTimeSource(time))) {
            Subtask<String> waitingBetweenAttempts = scope.fork(() -> {
                try {
                    return Retry.with(Backoff.constant(Duration.ofHours(1))).call(new Flaky(9));
                } catch (RetryFailedException e) {
                    seen.set(e);
                    throw e;
                }
            });
            Subtask<String> blockedInAnAttempt = scope.fork(() -> NO_WAIT.call(() -> {
                Sleep.sleep(Duration.ofHours(1));
                return "never";
            }));
            TestSupport.awaitCondition(() -> time.pending() == 2, "both retries wait on the clock");
            scope.fork(() -> {
                throw boom;
            });
            dev.weft.ScopeFailedException e = assertThrows(dev.weft.ScopeFailedException.class, scope::join);
            assertSame(boom, e.getCause());
            assertEquals(Subtask.State.CANCELLED, blockedInAnAttempt.state(), "its last error is the CancelledException");
            assertEquals(Subtask.State.CANCELLED, waitingBetweenAttempts.state(), "stopped by the cancellation");
            assertEquals(0, e.getSuppressed().length, "a cancelled retry is not reported as a failure");
        }
        RetryFailedException r = seen.get();
        assertEquals(Reason.CANCELLED, r.reason());
        assertInstanceOf(IOException.class, r.lastError(), "the last error is kept");
        CancelledException cause = assertInstanceOf(CancelledException.class, r.getCause());
        assertSame(boom, cause.cause(), "the scope's cause: its first failure");
    }

    @Test
    void aDeadlineOnAnotherClockPassingDuringAWaitStopsWithReasonDeadline() throws Exception {
        ManualTime outerClock = new ManualTime();
        ManualTime retryClock = new ManualTime();
        Flaky op = new Flaky(5);
        var caller = onNewThread("retrying", () -> {
            try (var outer = Scope.open(c -> c.withTimeSource(outerClock).withTimeout(Duration.ofSeconds(1)));
                    var inner = Scope.open(c -> c.withTimeSource(retryClock))) {
                return Retry.with(Backoff.constant(Duration.ofMillis(500))).call(op); // 500 ms fit in the 1 s left
            }
        });
        parkedOn(retryClock, 1, caller.thread());
        outerClock.advance(Duration.ofSeconds(1)); // the inherited deadline passes while the retry waits
        RetryFailedException e = assertInstanceOf(RetryFailedException.class, caller.failure());
        assertEquals(Reason.DEADLINE, e.reason());
        assertEquals(1, op.calls.get());
        assertEquals("failure 1", e.lastError().getMessage());
        assertEquals(0, retryClock.pending());
    }

    @Test
    void whenTheNextWaitWouldReachTheDeadlineItStopsAtOnceWithoutWaiting() throws Exception {
        ManualTime time = new ManualTime();
        for (Duration wait : new Duration[] {Duration.ofSeconds(2), Duration.ofSeconds(1)}) { // past, and exactly at
            Flaky op = new Flaky(5);
            RetryFailedException e;
            try (var scope = Scope.open(c -> c.withTimeSource(time).withTimeout(Duration.ofSeconds(1)))) {
                e = stopped(Retry.with(Backoff.constant(wait)), op);
                assertEquals(0, time.nanoTime(), "no time passed");
                assertEquals(1, time.pending(), "only the scope's own deadline timer, no wait was scheduled");
            }
            assertEquals(Reason.DEADLINE, e.reason(), "wait " + wait);
            assertEquals(1, op.calls.get());
            assertEquals("failure 1", e.lastError().getMessage());
        }
        Flaky op = new Flaky(1);
        var caller = onNewThread("retrying", () -> {
            try (var scope = Scope.open(c -> c.withTimeSource(time).withTimeout(Duration.ofSeconds(1)))) {
                return Retry.with(Backoff.constant(Duration.ofMillis(999))).call(op); // fits: waits and succeeds
            }
        });
        parkedOn(time, 2, caller.thread());
        time.advance(Duration.ofMillis(999));
        assertEquals("ok after 2", caller.get());
    }

    @Test
    void aDeadlineAlreadyPassedStillRunsTheOperationOnce() throws Exception {
        ManualTime time = new ManualTime();
        Instant past = time.now().minusSeconds(1);
        Flaky failing = new Flaky(5);
        Flaky succeeding = new Flaky(0);
        RetryFailedException e;
        String value;
        try (var scope = Scope.open(c -> c.withTimeSource(time).withDeadline(past))) {
            assertTrue(scope.isCancelled());
            e = stopped(NO_WAIT, failing);
            value = NO_WAIT.call(succeeding);
        }
        assertEquals(1, failing.calls.get());
        assertEquals(Reason.DEADLINE, e.reason());
        assertEquals("failure 1", e.lastError().getMessage());
        assertEquals("ok after 1", value);

        Flaky afterCancel = new Flaky(5);
        try (var scope = Scope.open()) {
            scope.cancel();
            assertEquals(Reason.CANCELLED, stopped(NO_WAIT, afterCancel).reason());
        }
        assertEquals(1, afterCancel.calls.get());
    }

    @Test
    void abortOnIsNotRetriedEvenWhenRetryIfMatches() {
        AtomicInteger calls = new AtomicInteger();
        Retry retry = NO_WAIT.retryIf(e -> e instanceof IOException).abortOn(e -> e instanceof FileNotFoundException);
        RetryFailedException e = stopped(retry, () -> {
            calls.incrementAndGet();
            throw new FileNotFoundException("gone");
        });
        assertEquals(1, calls.get());
        assertEquals(Reason.ABORTED, e.reason());
        assertEquals("gone", e.getCause().getMessage());
    }

    @Test
    void anErrorRetryIfRejectsIsAborted() {
        AtomicInteger calls = new AtomicInteger();
        RetryFailedException e = stopped(NO_WAIT.retryIf(x -> x instanceof IOException), () -> {
            if (calls.incrementAndGet() == 1) {
                throw new IOException("retried");
            }
            throw new IllegalArgumentException("not retried");
        });
        assertEquals(2, calls.get());
        assertEquals(Reason.ABORTED, e.reason());
        assertEquals("not retried", e.getCause().getMessage());
        assertEquals(List.of("retried"), messages(e.getSuppressed()));
    }

    @Test
    void exhaustedKeepsTheLastErrorAndTheEarlierOnesSuppressedInOrder() {
        Flaky op = new Flaky(10);
        RetryFailedException e = stopped(Retry.with(Backoff.constant(Duration.ZERO).withMaxAttempts(3)), op);
        assertEquals(Reason.EXHAUSTED, e.reason());
        assertEquals(3, e.attempts());
        assertEquals(3, op.calls.get());
        assertEquals("failure 3", e.getCause().getMessage());
        assertEquals(List.of("failure 1", "failure 2"), messages(e.getSuppressed()));
        assertTrue(e.getMessage().contains("EXHAUSTED") && e.getMessage().contains("after 3 attempts")
                && e.getMessage().contains("failure 3"), e.getMessage());
    }

    @Test
    void maxElapsedIsMeasuredFromTheStartOnTheContextsClock() throws Exception {
        ManualTime time = new ManualTime();
        time.advance(Duration.ofHours(1));
        AtomicInteger calls = new AtomicInteger();
        Retry retry = Retry.with(Backoff.constant(Duration.ZERO).withMaxElapsed(Duration.ofMillis(2500)));
        RetryFailedException e;
        try (var scope = Scope.open(c -> c.withTimeSource(time))) {
            e = stopped(retry, () -> {
                time.advance(Duration.ofSeconds(1)); // each attempt takes 1 s of virtual time
                throw new IOException("failure " + calls.incrementAndGet());
            });
        }
        // attempts start at 0 s, 1 s and 2 s after the start; a fourth would start at 3 s > 2.5 s
        assertEquals(3, calls.get());
        assertEquals(Reason.MAX_ELAPSED, e.reason());
        assertEquals("failure 3", e.getCause().getMessage());
    }

    @Test
    void everyStopReasonKeepsTheLastError() throws Exception {
        ManualTime time = new ManualTime();
        List<RetryFailedException> stops = new ArrayList<>();
        stops.add(stopped(Retry.with(Backoff.constant(Duration.ZERO).withMaxAttempts(2)), new Flaky(9)));
        try (var scope = Scope.open(c -> c.withTimeSource(time))) {
            stops.add(stopped(Retry.with(Backoff.constant(Duration.ofSeconds(5)).withMaxElapsed(Duration.ofSeconds(4))),
                    new Flaky(9)));
        }
        try (var scope = Scope.open(c -> c.withTimeSource(time).withTimeout(Duration.ofSeconds(1)))) {
            stops.add(stopped(Retry.with(Backoff.constant(Duration.ofSeconds(5))), new Flaky(9)));
        }
        try (var scope = Scope.open()) {
            scope.cancel();
            stops.add(stopped(NO_WAIT, new Flaky(9)));
        }
        stops.add(stopped(NO_WAIT.abortOn(e -> true), new Flaky(9)));
        assertEquals(List.of(Reason.EXHAUSTED, Reason.MAX_ELAPSED, Reason.DEADLINE, Reason.CANCELLED, Reason.ABORTED),
                stops.stream().map(RetryFailedException::reason).toList());
        for (RetryFailedException e : stops) {
            assertInstanceOf(IOException.class, e.lastError(), e.reason() + " keeps the last error");
            assertTrue(e.lastError().getMessage().startsWith("failure "), e.lastError().getMessage());
            if (e.reason() == Reason.CANCELLED) {
                assertInstanceOf(CancelledException.class, e.getCause(), "a cancelled context is the cause");
            } else {
                assertSame(e.lastError(), e.getCause(), e.reason() + ": the context is not cancelled, the last error is the cause");
            }
        }
    }

    @Test
    void theHookRunsBetweenAttemptsAndNeverAfterTheFinalFailure() {
        List<Integer> hooked = new ArrayList<>();
        Retry retry = Retry.with(Backoff.constant(Duration.ZERO).withMaxAttempts(3)).onRetry(e -> hooked.add(e.attempt()));
        stopped(retry, new Flaky(9));
        assertEquals(List.of(1, 2), hooked);
        hooked.clear();
        stopped(retry.abortOn(e -> true), new Flaky(9));
        assertEquals(List.of(), hooked, "an aborted first attempt is final");
    }

    @Test
    void aRetryAfterHintLongerThanTheBackoffIsHonouredAndAShorterOneIsNot() throws Exception {
        ManualTime time = new ManualTime();
        Flaky op = new Flaky(2);
        List<Duration> waits = new CopyOnWriteArrayList<>();
        Retry retry = Retry.with(Backoff.constant(Duration.ofSeconds(1)))
                .retryAfter(e -> e.getMessage().equals("failure 1") ? Duration.ofSeconds(3) : Duration.ofMillis(10))
                .onRetry(e -> waits.add(e.delay()));
        var caller = onNewThread("retrying", () -> {
            try (var scope = Scope.open(c -> c.withTimeSource(time))) {
                return retry.call(op);
            }
        });
        parkedOn(time, 1, caller.thread());
        time.advance(Duration.ofMillis(2999));
        parkedOn(time, 1, caller.thread());
        assertEquals(1, op.calls.get(), "the 3 s hint holds the retry back, past the backoff's 1 s");
        time.advance(Duration.ofMillis(1));
        parkedOn(time, 1, caller.thread());
        time.advance(Duration.ofSeconds(1)); // the 10 ms hint is shorter than the backoff: 1 s
        assertEquals("ok after 3", caller.get());
        assertEquals(List.of(Duration.ofSeconds(3), Duration.ofSeconds(1)), waits);
        assertEquals(4_000_000_000L, time.nanoTime());
    }

    @Test
    void aHintCountsTowardsTheDeadlineAndTheMaxElapsedTimeAndNullMeansNone() throws Exception {
        ManualTime time = new ManualTime();
        Retry hinted = NO_WAIT.retryAfter(e -> Duration.ofSeconds(10));
        try (var scope = Scope.open(c -> c.withTimeSource(time).withTimeout(Duration.ofSeconds(5)))) {
            assertEquals(Reason.DEADLINE, stopped(hinted, new Flaky(9)).reason());
        }
        Retry limited = Retry.with(Backoff.constant(Duration.ZERO).withMaxElapsed(Duration.ofSeconds(5)))
                .retryAfter(e -> Duration.ofSeconds(10));
        try (var scope = Scope.open(c -> c.withTimeSource(time))) {
            assertEquals(Reason.MAX_ELAPSED, stopped(limited, new Flaky(9)).reason());
        }
        assertEquals("ok after 2", NO_WAIT.retryAfter(e -> null).call(new Flaky(1)));
    }

    @Test
    void anErrorIsNeverRetriedAndCarriesTheEarlierErrors() {
        AtomicInteger calls = new AtomicInteger();
        AssertionError error = assertThrows(AssertionError.class, () -> NO_WAIT.call(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new IOException("first");
            }
            throw new AssertionError("broken");
        }));
        assertEquals("broken", error.getMessage());
        assertEquals(2, calls.get());
        assertEquals(List.of("first"), messages(error.getSuppressed()));

        StackOverflowError first = new StackOverflowError("at once");
        assertSame(first, assertThrows(StackOverflowError.class, () -> NO_WAIT.call(() -> {
            throw first;
        })));
    }

    @Test
    void anInterruptedExceptionFromAnAttemptIsThrownAsItself() {
        AtomicInteger calls = new AtomicInteger();
        InterruptedException interrupted = new InterruptedException("stop");
        assertSame(interrupted, assertThrows(InterruptedException.class, () -> NO_WAIT.call(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new IOException("first");
            }
            throw interrupted;
        })));
        assertEquals(2, calls.get());
        assertEquals(List.of("first"), messages(interrupted.getSuppressed()));
    }

    @Test
    void anInterruptDuringTheWaitThrowsInterruptedExceptionCausedByTheLastError() throws Exception {
        ManualTime time = new ManualTime();
        Flaky op = new Flaky(5);
        var caller = onNewThread("retrying", () -> {
            try (var scope = Scope.open(c -> c.withTimeSource(time))) {
                return Retry.with(Backoff.constant(Duration.ofMinutes(1))).call(op);
            }
        });
        parkedOn(time, 1, caller.thread());
        caller.thread().interrupt();
        InterruptedException e = assertInstanceOf(InterruptedException.class, caller.failure());
        assertEquals("failure 1", e.getCause().getMessage());
        assertEquals(1, op.calls.get());
        assertEquals(0, time.pending());
    }

    @Test
    void aCancelledAttemptThatConsumedTheInterruptLeavesTheFlagSet() throws Exception {
        RetryFailedException e;
        try (var scope = Scope.open()) {
            scope.cancel();
            e = stopped(NO_WAIT, () -> {
                throw new InterruptedException("as a cancelled task would see it");
            });
            assertTrue(Thread.interrupted(), "the consumed interrupt is restored for the caller");
        }
        assertEquals(Reason.CANCELLED, e.reason());
        assertInstanceOf(InterruptedException.class, e.lastError());
    }

    @Test
    void earlierErrorsAreBoundedToTheFirstAndTheMostRecent() {
        Flaky op = new Flaky(100);
        RetryFailedException e = stopped(Retry.with(Backoff.constant(Duration.ZERO).withMaxAttempts(20)), op);
        assertEquals("failure 20", e.getCause().getMessage());
        assertEquals(List.of("failure 1", "failure 13", "failure 14", "failure 15", "failure 16", "failure 17",
                "failure 18", "failure 19"), messages(e.getSuppressed()));
        assertEquals(RetryFailedException.MAX_EARLIER_ERRORS, e.getSuppressed().length);
        assertTrue(e.getMessage().contains("(11 earlier errors not kept)"), e.getMessage());
    }

    @Test
    void oneExceptionInstanceThrownAgainAndAgainIsNotSuppressedOnItself() {
        IOException same = new IOException("same");
        RetryFailedException e = stopped(Retry.with(Backoff.constant(Duration.ZERO).withMaxAttempts(4)), () -> {
            throw same;
        });
        assertSame(same, e.getCause());
        assertEquals(0, e.getSuppressed().length);
        assertEquals(0, same.getSuppressed().length);
    }

    @Test
    void aThrowingHookOrPredicateStopsTheRetryWithTheAttemptsErrorSuppressed() {
        IllegalStateException hookFailure = new IllegalStateException("hook");
        assertSame(hookFailure, assertThrows(IllegalStateException.class, () -> NO_WAIT.onRetry(e -> {
            throw hookFailure;
        }).call(new Flaky(1))));
        assertEquals(List.of("failure 1"), messages(hookFailure.getSuppressed()));

        IllegalStateException predicateFailure = new IllegalStateException("predicate");
        assertSame(predicateFailure, assertThrows(IllegalStateException.class, () -> NO_WAIT.retryIf(e -> {
            throw predicateFailure;
        }).call(new Flaky(1))));
        assertEquals(List.of("failure 1"), messages(predicateFailure.getSuppressed()));

        IllegalStateException hintFailure = new IllegalStateException("hint");
        assertSame(hintFailure, assertThrows(IllegalStateException.class, () -> NO_WAIT.retryAfter(e -> {
            throw hintFailure;
        }).call(new Flaky(1))));
        assertEquals(List.of("failure 1"), messages(hintFailure.getSuppressed()));
    }

    @Test
    void rethrowCauseHandsTheLastErrorOverWithTheEarlierOnes() {
        RetryFailedException e = stopped(Retry.with(Backoff.constant(Duration.ZERO).withMaxAttempts(2)), new Flaky(9));
        e.rethrowCause(IllegalStateException.class); // not the cause's type: returns
        IOException cause = assertThrows(IOException.class, () -> e.rethrowCause(IOException.class));
        assertEquals("failure 2", cause.getMessage());
        assertEquals(List.of("failure 1"), messages(cause.getSuppressed()));
        assertThrows(IOException.class, () -> e.rethrowCause(IOException.class));
        assertEquals(1, cause.getSuppressed().length, "handed over once");
    }

    @Test
    void runRetriesAVoidOperation() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        NO_WAIT.run(() -> {
            if (calls.incrementAndGet() < 3) {
                throw new IOException("again");
            }
        });
        assertEquals(3, calls.get());
    }

    @Test
    void aSuccessReadsNoClockUnlessThereIsAMaxElapsedTime() throws Exception {
        AtomicInteger readings = new AtomicInteger();
        ManualTime manual = new ManualTime();
        TimeSource counting = new TimeSource() {
            @Override
            public long nanoTime() {
                readings.incrementAndGet();
                return manual.nanoTime();
            }

            @Override
            public Instant now() {
                return manual.now();
            }

            @Override
            public Scheduled schedule(Duration delay, Runnable action) {
                return manual.schedule(delay, action);
            }
        };
        try (var scope = Scope.open(c -> c.withTimeSource(counting))) {
            assertEquals("ok after 1", Retry.with(Backoff.exponential(Duration.ofSeconds(1), Duration.ofMinutes(1)))
                    .call(new Flaky(0)));
            assertEquals(0, readings.get());
            Retry.with(Backoff.constant(Duration.ofSeconds(1)).withMaxElapsed(Duration.ofMinutes(1))).call(new Flaky(0));
            assertEquals(1, readings.get(), "the start of the elapsed time");
        }
    }

    @Test
    void aRetryIsImmutableAndReusable() throws Exception {
        Retry base = NO_WAIT;
        Retry aborting = base.abortOn(e -> true);
        assertEquals("ok after 2", base.call(new Flaky(1)), "abortOn made a new retry");
        assertEquals(Reason.ABORTED, stopped(aborting, new Flaky(1)).reason());
        assertEquals(Backoff.constant(Duration.ZERO), base.backoff());
        assertTrue(base.onRetry(e -> { }).retryAfter(e -> null).toString()
                .contains("with retry-after hints, with an onRetry hook"));
        assertFalse(Context.current().isCancelled());
    }

    @Test
    void badInputsAreRejectedWithTheArgumentNamed() {
        assertRejects("backoff", () -> Retry.with(null));
        assertRejects("predicate", () -> NO_WAIT.retryIf(null));
        assertRejects("predicate", () -> NO_WAIT.abortOn(null));
        assertRejects("hook", () -> NO_WAIT.onRetry(null));
        assertRejects("hint", () -> NO_WAIT.retryAfter(null));
        assertRejects("operation", () -> NO_WAIT.call(null));
        assertRejects("operation", () -> NO_WAIT.run(null));
        RetryFailedException e = stopped(NO_WAIT.abortOn(x -> true), new Flaky(1));
        assertRejects("type", () -> e.rethrowCause(null));
    }

    // ---- the real clock: a smoke test with generous bounds ---------------------------------

    @Test
    void onTheSystemClockARetryWaitsAtLeastItsBackoff() throws Exception {
        Flaky op = new Flaky(2);
        long start = System.nanoTime();
        assertEquals("ok after 3", Retry.with(Backoff.exponential(Duration.ofMillis(10), Duration.ofSeconds(1))).call(op));
        long took = System.nanoTime() - start;
        assertTrue(took >= 30_000_000L && took < TestSupport.WAIT.toNanos(), "10 ms + 20 ms of waits took " + took + " ns");
    }

    private static void assertRejects(String argument, Executable call) {
        NullPointerException e = assertThrows(NullPointerException.class, call);
        assertEquals(argument, e.getMessage());
    }

    private static List<String> messages(Throwable[] throwables) {
        List<String> out = new ArrayList<>();
        for (Throwable t : throwables) {
            out.add(t.getMessage());
        }
        return out;
    }
}
