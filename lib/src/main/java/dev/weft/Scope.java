package dev.weft;

import dev.weft.internal.CancelSignal;
import dev.weft.internal.FailureLog;
import dev.weft.internal.LiveThreads;
import dev.weft.internal.ThreadList;
import dev.weft.time.TimeSource;
import java.io.InterruptedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.ClosedByInterruptException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import org.slf4j.MDC;

/**
 * A structured-concurrency scope: Go's {@code errgroup.WithContext} with the semantics of the
 * JDK's {@code StructuredTaskScope}, on JDK 21 without preview features.
 *
 * <pre>{@code
 * try (var scope = Scope.open(c -> c.withTimeout(Duration.ofSeconds(2)).withName("checkout"))) {
 *     Subtask<User> user = scope.fork(() -> users.find(id));
 *     Subtask<List<Order>> orders = scope.fork(() -> orders.of(id));
 *     scope.join();          // first failure -> ScopeFailedException; deadline -> DeadlineExceededException
 *     return new Page(user.get(), orders.get());
 * }
 * }</pre>
 *
 * <h2>Lifecycle</h2>
 * <ul>
 *   <li>{@link #open} makes the scope's {@link Context} current on the calling thread, the
 *       <em>owner</em>, until {@link #close()}. A scope opened while another context is current
 *       is its child (see {@link Context}).</li>
 *   <li>{@link #fork} starts a task in a new thread (virtual by default). The owner may fork, and
 *       so may the scope's own tasks (as {@code g.Go} may be called from a goroutine); any other
 *       thread gets {@link WrongThreadException}. A fork after cancellation never runs: its
 *       subtask is {@link Subtask.State#CANCELLED} at once.</li>
 *   <li>A scope opened with {@link Config#withLimit(int) withLimit(n)} (errgroup's
 *       {@code SetLimit}) has at most {@code n} tasks alive: {@code fork} waits for a free slot,
 *       in FIFO order, and {@link #tryFork} (errgroup's {@code TryGo}) forks only if one is free.
 *       The wait ends when a task ends, and also when the scope is cancelled (by its deadline, a
 *       failure, {@link #cancel()} or its parent), without an interrupt, on the owner too: the
 *       fork then never runs and its subtask is {@link Subtask.State#CANCELLED}. A thread
 *       interrupted while it waits cancels the scope, gets a {@code CANCELLED} subtask, and keeps
 *       its interrupt flag (see docs/adr/0007-scope-limits.md).</li>
 *   <li>{@link #join()} waits until every task has ended. It is called once, by the owner. It
 *       throws {@link ScopeFailedException} when a task failed (first failure as cause, every
 *       other failure suppressed), {@link DeadlineExceededException} when the deadline passed
 *       and cancelled a task, and {@link CancelledException} when the scope was otherwise
 *       cancelled and a task was cancelled with it. Like Go's {@code Wait}, it leaves the
 *       context cancelled, even when every task succeeded.</li>
 *   <li>{@link #close()} cancels whatever is unfinished, waits for every thread the scope
 *       started, even if the owner is interrupted (the interrupt flag is restored afterwards),
 *       and restores the previous context. It throws {@link StructureViolationException} when a
 *       scope opened inside this one is still open (after closing it), and
 *       {@link IllegalStateException} when tasks were forked and {@code join()} was never
 *       called (after waiting for them).</li>
 * </ul>
 *
 * <h2>Cancellation</h2>
 * The scope is cancelled by {@link #cancel()}, by the first failure (when fail-fast, the
 * default), by its deadline, by its parent's cancellation, or by {@code join}/{@code close}.
 * Cancelling interrupts every unfinished task (except a task that cancels its own scope: it
 * is not interrupted by its own call). weft never interrupts the owner. A task that ends
 * with an interrupt or a cancellation exception after the scope was cancelled is
 * {@link Subtask.State#CANCELLED}, not failed; any other exception is a real failure and is
 * reported (see docs/adr/0002-error-policy.md).
 *
 * <p>Memory consistency effects: actions in the owner prior to {@link #fork} happen-before the
 * forked task starts. Actions of every task happen-before {@link #join()} returns or throws, and
 * happen-before {@link #close()} returns: when {@code close} returns, no task of the scope is
 * running. Actions prior to a cancellation happen-before a cancelled task observes its interrupt.
 */
public final class Scope implements AutoCloseable {
    private static final VarHandle ACTIVE;

    static {
        try {
            ACTIVE = MethodHandles.lookup().findVarHandle(Scope.class, "active", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final int OPEN = 0;
    private static final int JOINED = 1;
    private static final int CLOSED = 2;

    private final Thread owner;
    private final String name;
    private final boolean failFast;
    private final ThreadFactory threadFactory;
    /** The free slots of a limited scope ({@link Config#withLimit}); null when unlimited. */
    private final Semaphore slots;
    private final ThreadList threads = new ThreadList();
    private final FailureLog failures = new FailureLog();
    private final Signal signal = new Signal();
    final Context context;
    private final Context previous;
    private final ParentLink parentLink;
    private final Instant ownDeadline;
    private final TimeSource.Scheduled deadlineTimer;
    /** The cause recorded by this scope's own deadline, to tell it from an inherited one. */
    private volatile Throwable ownDeadlineCause;

    private volatile int active;
    private volatile int state;
    private volatile boolean joined;
    private volatile boolean forked;
    private volatile boolean anyCancelled;
    /** Written by the task that records the first failure; read by the owner after every task ended. */
    private boolean firstFailureBeforeCancel;
    private volatile Thread waiter;
    /** Owner-only: a one-liner's join was interrupted, so close must not report a missing join. */
    private boolean abandoned;

    private Scope(Config config) {
        owner = Thread.currentThread();
        name = config.name;
        failFast = config.failFast;
        threadFactory = config.threadFactory;
        slots = config.limit == Config.UNLIMITED ? null : new Semaphore(config.limit);
        previous = Context.current();
        TimeSource ts = config.timeSource != null ? config.timeSource : previous.timeSource;
        boolean sameClock = ts == previous.timeSource;

        long now = 0;
        long own = Context.NO_DEADLINE;
        Instant ownInstant = null;
        if (config.timeout != null || config.deadline != null) {
            now = ts.nanoTime();
            Instant wall = ts.now();
            if (config.timeout != null) {
                own = saturatedAdd(now, saturatedNanos(config.timeout));
                ownInstant = plusSaturated(wall, config.timeout);
            }
            if (config.deadline != null) {
                long d = saturatedAdd(now, saturatedNanos(Duration.between(wall, config.deadline)));
                if (d < own) {
                    own = d;
                    ownInstant = config.deadline;
                }
            }
        }
        ownDeadline = ownInstant;
        long effective = sameClock ? Math.min(own, previous.deadlineNanos) : own;
        context = new Context(previous, this, signal, ts, effective, ownInstant, config.values);

        ParentLink link = null;
        if (previous.signal != null) {
            link = new ParentLink();
            if (!previous.signal.add(link)) {
                link = null;
                signal.cancel(previous.signal.cause());
            }
        }
        parentLink = link;

        TimeSource.Scheduled timer = null;
        if (own != Context.NO_DEADLINE && (!sameClock || own < previous.deadlineNanos)) {
            if (own - now <= 0) {
                deadlineReached();
            } else {
                // Absolute: the clock may have moved since `now` was read (ManualTime: by an advance).
                timer = ts.scheduleAt(own, this::deadlineReached);
            }
        }
        deadlineTimer = timer;
        Context.setCurrent(context);
    }

    /** Opens a fail-fast scope with no deadline, owned by the current thread. */
    public static Scope open() {
        return new Scope(Config.DEFAULT);
    }

    /**
     * Opens a scope configured by {@code configurer}, which receives the default {@link Config}:
     * {@code Scope.open(c -> c.withTimeout(Duration.ofSeconds(2)).withName("checkout"))}.
     *
     * @throws NullPointerException if {@code configurer} is null or returns null
     */
    public static Scope open(UnaryOperator<Config> configurer) {
        Objects.requireNonNull(configurer, "configurer");
        Config config = configurer.apply(Config.DEFAULT);
        if (config == null) {
            throw new NullPointerException("configurer returned null instead of a Scope.Config");
        }
        return new Scope(config);
    }

    /**
     * Forks {@code task} in a new thread of this scope. In a scope with a
     * {@linkplain Config#withLimit(int) limit}, waits first until fewer than that many tasks are
     * alive (FIFO). If the scope is cancelled before the task could start, including while this
     * call waits for a slot, the task never runs and its subtask is
     * {@link Subtask.State#CANCELLED}. If the calling thread is interrupted while it waits for a
     * slot, the scope is cancelled (the interrupt asks the thread to stop, and a fork cannot throw
     * {@link InterruptedException}), the subtask is {@code CANCELLED}, {@code join} then reports
     * the cancellation, and the interrupt flag stays set.
     *
     * @throws NullPointerException if {@code task} is null
     * @throws WrongThreadException if called by a thread that is neither the owner nor one of
     *     this scope's tasks
     * @throws IllegalStateException if the scope has been joined or closed
     */
    public <T> Subtask<T> fork(Callable<? extends T> task) {
        Objects.requireNonNull(task, "task");
        return start(task);
    }

    /**
     * Forks a task with no result that may throw checked exceptions; see {@link #fork(Callable)}.
     *
     * @throws NullPointerException if {@code task} is null
     */
    public Subtask<Void> fork(CheckedRunnable task) {
        Objects.requireNonNull(task, "task");
        return start(() -> {
            task.run();
            return null;
        });
    }

    /**
     * Forks {@code task} only if the scope has a free slot, like errgroup's {@code TryGo}: in a
     * scope with a {@linkplain Config#withLimit(int) limit}, returns empty at once when that many
     * tasks are alive, or when others are already waiting in {@link #fork} for a slot (they are
     * served first). A scope without a limit always forks. Like {@code fork}, a scope that is
     * cancelled returns a subtask that never runs ({@link Subtask.State#CANCELLED}).
     *
     * @return the subtask, or empty if no slot was free
     * @throws NullPointerException if {@code task} is null
     * @throws WrongThreadException if called by a thread that is neither the owner nor one of
     *     this scope's tasks
     * @throws IllegalStateException if the scope has been joined or closed
     */
    public <T> Optional<Subtask<T>> tryFork(Callable<? extends T> task) {
        Objects.requireNonNull(task, "task");
        return tryStart(task);
    }

    /**
     * {@link #tryFork(Callable)} for a task with no result that may throw checked exceptions.
     *
     * @throws NullPointerException if {@code task} is null
     */
    public Optional<Subtask<Void>> tryFork(CheckedRunnable task) {
        Objects.requireNonNull(task, "task");
        return tryStart(() -> {
            task.run();
            return null;
        });
    }

    private <T> Subtask<T> start(Callable<? extends T> body) {
        checkCanFork();
        ForkedTask<T> task = newTask(body);
        if (signal.isCancelled() || slots != null && !takeSlot()) {
            return cancelledBeforeStart(task);
        }
        return launch(task);
    }

    /** A task for {@code body}, with the forker's MDC; marks the scope as forked (a volatile write only the first time). */
    private <T> ForkedTask<T> newTask(Callable<? extends T> body) {
        ForkedTask<T> task = new ForkedTask<>(this, body, mdcSnapshot());
        if (!forked) {
            forked = true;
        }
        return task;
    }

    private <T> Optional<Subtask<T>> tryStart(Callable<? extends T> body) {
        checkCanFork();
        boolean cancelled = signal.isCancelled();
        if (!cancelled && slots != null && !slots.tryAcquire(1)) {
            return Optional.empty();
        }
        ForkedTask<T> task = newTask(body);
        return Optional.of(cancelled ? cancelledBeforeStart(task) : launch(task));
    }

    /**
     * Waits for a slot of a limited scope, in the scope's own context, so the scope's
     * cancellation (deadline included) wakes the wait without an interrupt. Returns false if the
     * fork must not run: the scope was cancelled, or the thread was interrupted (which cancels the
     * scope; see {@link #fork(Callable)}).
     */
    private boolean takeSlot() {
        if (slots.tryAcquire(1)) {
            return true;
        }
        try {
            slots.acquire(1, context);
            return true;
        } catch (CancelledException scopeCancelled) {
            return false;
        } catch (InterruptedException e) {
            signal.cancel(new CancelledException(describe()
                    + " cancelled: a thread waiting in fork() for a free slot was interrupted", e));
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Starts the task's thread; the caller holds a slot if the scope is limited, and it is given back on any failure. */
    private <T> Subtask<T> launch(ForkedTask<T> task) {
        Thread thread;
        try {
            thread = threadFactory.newThread(task);
        } catch (Throwable t) {
            releaseSlot();
            throw t;
        }
        if (thread == null) {
            releaseSlot();
            throw new NullPointerException("threadFactory " + threadFactory + " returned null");
        }
        ACTIVE.getAndAdd(this, 1);
        ThreadList.Node node = threads.add(thread);
        task.node = node;
        // Dekker pair with Signal.onCancelled: we pushed, now read the cause; cancel writes the
        // cause, then walks the list. One of us sees the other (see ThreadList).
        if (signal.isCancelled()) {
            ThreadList.remove(node);
            releaseSlot();
            decrementActive();
            return cancelledBeforeStart(task);
        }
        LiveThreads.started();
        try {
            thread.start();
        } catch (Throwable t) {
            LiveThreads.ended();
            ThreadList.remove(node);
            releaseSlot();
            decrementActive();
            throw t;
        }
        return task;
    }

    private void releaseSlot() {
        if (slots != null) {
            slots.release(1);
        }
    }

    private <T> Subtask<T> cancelledBeforeStart(ForkedTask<T> task) {
        anyCancelled = true;
        task.complete(Subtask.State.CANCELLED, null);
        return task;
    }

    /** Called once by every started task's thread when the task has ended. */
    void taskEnded(ForkedTask<?> task, boolean ran, Object value, Throwable failure) {
        ThreadList.remove(task.node);
        task.node = null;
        Subtask.State end;
        Object outcome = null;
        if (!ran) {
            anyCancelled = true;
            end = Subtask.State.CANCELLED;
        } else if (failure == null) {
            end = Subtask.State.SUCCESS;
            outcome = value;
        } else if (signal.isCancelled() && isCancellation(failure)) {
            anyCancelled = true;
            end = Subtask.State.CANCELLED;
        } else {
            if (failures.add(failure)) {
                firstFailureBeforeCancel = failFast ? signal.cancel(failure) : !signal.isCancelled();
            }
            end = Subtask.State.FAILED;
            outcome = failure;
        }
        // The slot is given back after a failure has cancelled the scope (so a fork waiting for it
        // sees the cancellation and never runs) and before the state is published (so whoever sees
        // the task ended finds its slot free).
        releaseSlot();
        task.complete(end, outcome);
        LiveThreads.ended();
        decrementActive();
    }

    private void decrementActive() {
        if ((int) ACTIVE.getAndAdd(this, -1) == 1) {
            Thread w = waiter;
            if (w != null) {
                LockSupport.unpark(w);
            }
        }
    }

    /**
     * Waits for every task of this scope to end, then reports the outcome (see the class
     * documentation). Afterwards the scope's context is cancelled and the subtasks' results can
     * be read. Called once, by the owner.
     *
     * @throws ScopeFailedException if a task failed first (an {@link Error} is thrown as itself)
     * @throws DeadlineExceededException if the deadline passed first and cancelled a task
     * @throws CancelledException if the scope was otherwise cancelled first and a task with it
     * @throws InterruptedException if the owner is interrupted while waiting and the scope is
     *     not cancelled; the tasks keep running and {@code join} may be called again. An interrupt
     *     that arrives once the scope is cancelled (for instance the one a task owning this scope
     *     receives when an enclosing scope is cancelled) does not abort the wait: the tasks have
     *     been interrupted already, so {@code join} waits for them to end, reports the
     *     cancellation as above, and leaves the interrupt flag set.
     * @throws WrongThreadException if not called by the owner
     * @throws IllegalStateException if already joined or closed
     */
    public void join() throws InterruptedException {
        checkOwner("join()");
        int s = state;
        if (s != OPEN) {
            throw new IllegalStateException(describe() + (s == CLOSED ? " is closed" : " has already been joined"));
        }
        if (active != 0) {
            boolean interruptedWhileCancelled = false;
            waiter = owner;
            try {
                while (active != 0) {
                    if (Thread.interrupted()) {
                        if (!signal.isCancelled()) {
                            throw new InterruptedException(describe() + ": interrupted in join()");
                        }
                        // Cancelled already: every task has been interrupted and is ending, so
                        // finish the wait and report the cancellation rather than a bare interrupt.
                        interruptedWhileCancelled = true;
                    }
                    LockSupport.park(this);
                }
            } finally {
                waiter = null;
                if (interruptedWhileCancelled) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        state = JOINED;
        joined = true;
        Throwable outcome = outcome();
        if (!signal.isCancelled()) {
            signal.cancel(new ScopeFinished(describe() + " has been joined"));
        }
        if (outcome != null) {
            throw sneaky(outcome);
        }
    }

    private Throwable outcome() {
        Throwable first = failures.first();
        Throwable cause = signal.cause();
        if (first == null) {
            return cause != null && anyCancelled ? CancelledException.of(cause) : null;
        }
        if (firstFailureBeforeCancel) {
            Throwable t = first instanceof Error ? first : new ScopeFailedException(describe() + " failed: " + first, first);
            failures.suppressInto(t, first);
            return t;
        }
        CancelledException c = CancelledException.of(cause);
        failures.suppressInto(c, null);
        return c;
    }

    /**
     * Cancels the scope with a {@link CancelledException} as cause, unless already cancelled; see
     * {@link #cancel(Throwable)}. Any thread.
     */
    public void cancel() {
        if (signal.isCancelled()) {
            signal.awaitPropagated();
        } else {
            signal.cancel(new CancelledException(describe() + " cancelled"));
        }
    }

    /**
     * Cancels the scope with {@code cause} (Go's {@code WithCancelCause}), unless already
     * cancelled: the first cause wins and never changes. Unfinished tasks are interrupted, and
     * nested scopes are cancelled before this method returns. That holds for every caller: a call
     * that finds a cancellation by another thread still in progress waits (briefly: it only
     * interrupts and flags) until it is complete, as Go's {@code cancel} waits for the context's
     * lock. Any thread.
     *
     * @throws NullPointerException if {@code cause} is null
     */
    public void cancel(Throwable cause) {
        Objects.requireNonNull(cause, "cause");
        signal.cancel(cause);
    }

    /** True once the scope is cancelled (which includes after {@code join} and {@code close}). */
    public boolean isCancelled() {
        return signal.isCancelled();
    }

    /** The scope's context, which is current in the owner (until close) and in every task. */
    public Context context() {
        return context;
    }

    /**
     * Closes the scope; see the class documentation. Calling it again does nothing.
     *
     * @throws WrongThreadException if not called by the owner
     * @throws StructureViolationException if a scope opened inside this one was still open
     * @throws IllegalStateException if tasks were forked and never joined (the first failure, if
     *     any, is its cause, and the others are suppressed)
     */
    @Override
    public void close() {
        checkOwner("close()");
        if (state == CLOSED) {
            return;
        }
        StructureViolationException violation = null;
        Context current = Context.currentOrNull();
        if (current != context) {
            violation = closeInnerScopes(current);
        }
        if (!signal.isCancelled()) {
            signal.cancel(new ScopeFinished(describe() + " has been closed"));
        }
        state = CLOSED;
        boolean interrupted = false;
        if (active != 0) {
            waiter = owner;
            try {
                while (active != 0) {
                    LockSupport.park(this);
                    interrupted |= Thread.interrupted();
                }
            } finally {
                waiter = null;
            }
        }
        if (deadlineTimer != null) {
            deadlineTimer.cancel();
        }
        if (parentLink != null) {
            previous.signal.remove(parentLink);
        }
        Context.setCurrent(previous);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (violation != null) {
            throw violation;
        }
        if (forked && !joined && !abandoned) {
            IllegalStateException e = new IllegalStateException(
                    describe() + " closed without join(): every fork must be followed by join() before close()");
            Throwable first = failures.first();
            if (first != null) {
                e.initCause(first);
                failures.suppressInto(e, first);
            }
            throw e;
        }
    }

    private StructureViolationException closeInnerScopes(Context current) {
        StructureViolationException violation = new StructureViolationException(describe()
                + " was closed while a scope opened inside it was still open; the inner scopes were closed first");
        for (Context c = current; c != null && c != context; c = Context.currentOrNull()) {
            Scope inner = c.scope;
            if (inner == null || inner.owner != owner || inner.state == CLOSED) {
                break;
            }
            try {
                inner.close();
            } catch (Throwable t) {
                violation.addSuppressed(t);
            }
        }
        return violation;
    }

    private void deadlineReached() {
        DeadlineExceededException e = new DeadlineExceededException(
                "deadline " + ownDeadlineText() + " of " + describe() + " exceeded");
        ownDeadlineCause = e;
        signal.cancel(e);
    }

    private String ownDeadlineText() {
        return ownDeadline == null ? "" : ownDeadline.toString();
    }

    private boolean ownDeadlineFired() {
        Throwable mine = ownDeadlineCause;
        return mine != null && signal.cause() == mine;
    }

    // ---- one-liners -------------------------------------------------------------------------

    /**
     * Runs {@code body} in a fork of a new scope with the given timeout (Kotlin's
     * {@code withTimeout}, Trio's {@code fail_after}) and returns its result.
     *
     * @throws DeadlineExceededException if the timeout (or an earlier inherited deadline) passes
     *     first; the body has been interrupted and has ended
     * @throws ScopeFailedException if the body throws (the exception is the cause)
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     * @throws NullPointerException if an argument is null
     */
    public static <T> T withTimeout(Duration timeout, Callable<? extends T> body) throws InterruptedException {
        return call(Config.DEFAULT.withTimeout(timeout), body);
    }

    /** Like {@link #withTimeout(Duration, Callable)}, with an absolute deadline (which may already have passed). */
    public static <T> T withDeadline(Instant deadline, Callable<? extends T> body) throws InterruptedException {
        return call(Config.DEFAULT.withDeadline(deadline), body);
    }

    /**
     * Like {@link #withTimeout(Duration, Callable)}, but returns empty when this timeout passes
     * first (Trio's {@code move_on_after}, Kotlin's {@code withTimeoutOrNull}). A deadline
     * inherited from an enclosing scope still throws {@link DeadlineExceededException}, and so
     * does this timeout when the body, once interrupted, fails with a real exception (which is
     * suppressed on it, so it is not lost). A null result is returned as empty.
     */
    public static <T> Optional<T> withTimeoutOrEmpty(Duration timeout, Callable<? extends T> body)
            throws InterruptedException {
        return callOrEmpty(Config.DEFAULT.withTimeout(timeout), body);
    }

    /** Like {@link #withTimeoutOrEmpty(Duration, Callable)}, with an absolute deadline. */
    public static <T> Optional<T> withDeadlineOrEmpty(Instant deadline, Callable<? extends T> body)
            throws InterruptedException {
        return callOrEmpty(Config.DEFAULT.withDeadline(deadline), body);
    }

    private static <T> T call(Config config, Callable<? extends T> body) throws InterruptedException {
        Objects.requireNonNull(body, "body");
        try (Scope scope = new Scope(config)) {
            Subtask<? extends T> result = scope.fork(body);
            scope.joinOrAbandon();
            return result.get();
        }
    }

    private static <T> Optional<T> callOrEmpty(Config config, Callable<? extends T> body) throws InterruptedException {
        Objects.requireNonNull(body, "body");
        try (Scope scope = new Scope(config)) {
            Subtask<? extends T> result = scope.fork(body);
            try {
                scope.joinOrAbandon();
            } catch (DeadlineExceededException e) {
                // Empty only for our own deadline, and only if the body did not also fail for real
                // while being cancelled: that failure is suppressed on e and must reach the caller.
                if (scope.ownDeadlineFired() && scope.failures.first() == null) {
                    return Optional.empty();
                }
                throw e;
            }
            return Optional.ofNullable(result.get());
        }
    }

    /**
     * {@link #join()} for the one-liners: if their caller is interrupted, {@code close} cancels
     * the body and waits for it, and the caller gets a plain {@link InterruptedException} rather
     * than one carrying a "closed without join()" exception about a scope it never saw.
     */
    void joinOrAbandon() throws InterruptedException {
        try {
            join();
        } catch (InterruptedException e) {
            abandoned = true;
            throw e;
        }
    }

    // ---- helpers ----------------------------------------------------------------------------

    String describe() {
        return name == null ? "unnamed scope" : "scope '" + name + "'";
    }

    @Override
    public String toString() {
        return "Scope[" + describe() + ", " + (state == OPEN ? "open" : state == JOINED ? "joined" : "closed")
                + (signal.isCancelled() ? ", cancelled" : "") + "]";
    }

    void checkJoined(String operation) {
        if (!joined) {
            throw new IllegalStateException(operation + " is only valid after the owner has joined " + describe());
        }
    }

    private void checkOwner(String operation) {
        Thread me = Thread.currentThread();
        if (me != owner) {
            throw new WrongThreadException(describe() + ": " + operation + " may only be called by the owner thread "
                    + owner + ", not by " + me);
        }
    }

    private void checkCanFork() {
        Thread me = Thread.currentThread();
        if (me != owner && !isInsideThisScope()) {
            throw new WrongThreadException(describe() + ": fork may only be called by the owner thread " + owner
                    + " or by a task of the scope, not by " + me);
        }
        int s = state;
        if (s != OPEN) {
            throw new IllegalStateException(describe() + (s == CLOSED
                    ? " is closed: fork before close()"
                    : " has already been joined: fork before join()"));
        }
    }

    private boolean isInsideThisScope() {
        for (Context c = Context.currentOrNull(); c != null; c = c.parent) {
            if (c == context) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, String> mdcSnapshot() {
        Map<String, String> m = MDC.getCopyOfContextMap();
        return m == null || m.isEmpty() ? null : m;
    }

    /** An exception a task threw because the scope was cancelled: an interrupt or a cancellation, possibly wrapped. */
    static boolean isCancellation(Throwable t) {
        for (int depth = 0; t != null && depth < 8; t = t.getCause(), depth++) {
            if (t instanceof InterruptedException || t instanceof CancellationException
                    || t instanceof InterruptedIOException || t instanceof ClosedByInterruptException) {
                return true;
            }
        }
        return false;
    }

    private static RuntimeException sneaky(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException overflow) {
            return d.isNegative() ? Long.MIN_VALUE / 2 : Long.MAX_VALUE / 2;
        }
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) {
            return b > 0 ? Context.NO_DEADLINE - 1 : Long.MIN_VALUE;
        }
        return r == Context.NO_DEADLINE ? r - 1 : r;
    }

    private static Instant plusSaturated(Instant wall, Duration d) {
        try {
            return wall.plus(d);
        } catch (DateTimeException | ArithmeticException overflow) {
            return Instant.MAX;
        }
    }

    /** The scope's cancellation: on cancel, interrupt every unfinished task. */
    private final class Signal extends CancelSignal {
        @Override
        protected void onCancelled(Throwable cause) {
            threads.interruptAll();
        }
    }

    /** Registered with the parent context: the parent's cancellation cancels this scope. */
    private final class ParentLink extends CancelSignal.Listener {
        @Override
        protected void cancelled(Throwable cause) {
            signal.cancel(cause);
        }
    }

    /**
     * The immutable configuration of a scope. Start from the one {@link Scope#open(UnaryOperator)}
     * passes in; every {@code with...} returns a new config.
     *
     * <p>Defaults: unnamed, no deadline of its own (an enclosing one still applies), virtual
     * threads, fail-fast, no limit on the tasks alive, no values of its own, the enclosing
     * context's time source.
     */
    public static final class Config {
        private static final Object[] NO_VALUES = {};
        /** {@link #limit} of a scope without a limit. */
        static final int UNLIMITED = 0;
        static final Config DEFAULT =
                new Config(null, null, null, Thread.ofVirtual().factory(), true, NO_VALUES, null, UNLIMITED);

        final String name;
        final Duration timeout;
        final Instant deadline;
        final ThreadFactory threadFactory;
        final boolean failFast;
        final Object[] values;
        final TimeSource timeSource;
        final int limit;

        private Config(String name, Duration timeout, Instant deadline, ThreadFactory threadFactory,
                boolean failFast, Object[] values, TimeSource timeSource, int limit) {
            this.name = name;
            this.timeout = timeout;
            this.deadline = deadline;
            this.threadFactory = threadFactory;
            this.failFast = failFast;
            this.values = values;
            this.timeSource = timeSource;
            this.limit = limit;
        }

        /** Names the scope; the name appears in exception messages and {@code toString}. */
        public Config withName(String name) {
            Objects.requireNonNull(name, "name");
            return new Config(name, timeout, deadline, threadFactory, failFast, values, timeSource, limit);
        }

        /**
         * Gives the scope a deadline {@code timeout} after it opens (Go's
         * {@code context.WithTimeout}). An earlier deadline of an enclosing scope still wins;
         * with {@link #withDeadline} too, the earlier of the two applies.
         *
         * @throws IllegalArgumentException if {@code timeout} is zero or negative
         */
        public Config withTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            return new Config(name, timeout, deadline, threadFactory, failFast, values, timeSource, limit);
        }

        /**
         * Gives the scope an absolute deadline on its time source's wall clock (Go's
         * {@code context.WithDeadline}). A deadline that has already passed cancels the scope as
         * it opens: no fork runs and {@code join} throws {@link DeadlineExceededException}.
         */
        public Config withDeadline(Instant deadline) {
            Objects.requireNonNull(deadline, "deadline");
            return new Config(name, timeout, deadline, threadFactory, failFast, values, timeSource, limit);
        }

        /** Creates the scope's threads with {@code factory} (one new thread per fork). */
        public Config withThreadFactory(ThreadFactory factory) {
            Objects.requireNonNull(factory, "factory");
            return new Config(name, timeout, deadline, factory, failFast, values, timeSource, limit);
        }

        /**
         * {@code true} (the default): the first failure cancels the scope, like
         * {@code errgroup.WithContext}. {@code false}: failures do not cancel the siblings, like
         * Kotlin's {@code supervisorScope} or a plain {@code errgroup.Group}; {@code join} still
         * throws the first failure after every task has ended.
         */
        public Config withFailFast(boolean failFast) {
            return new Config(name, timeout, deadline, threadFactory, failFast, values, timeSource, limit);
        }

        /** Binds {@code key} to {@code value} in the scope's context (Go's {@code context.WithValue}). */
        public <T> Config with(Context.Key<T> key, T value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            Object[] v = values;
            for (int i = 0; i < v.length; i += 2) {
                if (v[i] == key) {
                    Object[] copy = v.clone();
                    copy[i + 1] = value;
                    return new Config(name, timeout, deadline, threadFactory, failFast, copy, timeSource, limit);
                }
            }
            Object[] grown = Arrays.copyOf(v, v.length + 2);
            grown[v.length] = key;
            grown[v.length + 1] = value;
            return new Config(name, timeout, deadline, threadFactory, failFast, grown, timeSource, limit);
        }

        /**
         * At most {@code limit} tasks of the scope alive at once (errgroup's {@code SetLimit}):
         * {@link Scope#fork} waits for a free slot, {@link Scope#tryFork} forks only if one is free.
         * A task holds its slot from the moment {@code fork} takes it until the task has ended.
         * The limit is fixed when the scope opens (a {@code Config} is immutable, and a scope has
         * no setter), and nested scopes do not inherit it.
         *
         * @throws IllegalArgumentException if {@code limit} is zero or negative (errgroup's
         *     {@code SetLimit(0)} would block every fork forever; a negative limit, "no limit" in
         *     Go, is what a scope without {@code withLimit} is)
         */
        public Config withLimit(int limit) {
            checkLimit(limit);
            return new Config(name, timeout, deadline, threadFactory, failFast, values, timeSource, limit);
        }

        /** The check of {@link #withLimit}, shared with {@link Par}'s limit arguments. */
        static void checkLimit(int limit) {
            if (limit <= 0) {
                throw new IllegalArgumentException("limit must be positive, was " + limit);
            }
        }

        /** Runs the scope's deadlines (and its nested scopes') on {@code timeSource}, e.g. a {@code ManualTime}. */
        public Config withTimeSource(TimeSource timeSource) {
            Objects.requireNonNull(timeSource, "timeSource");
            return new Config(name, timeout, deadline, threadFactory, failFast, values, timeSource, limit);
        }

        @Override
        public String toString() {
            return "Scope.Config[name=" + name + ", timeout=" + timeout + ", deadline=" + deadline
                    + ", failFast=" + failFast + (limit != UNLIMITED ? ", limit=" + limit : "") + ", values=" + values.length / 2
                    + (timeSource != null ? ", timeSource=" + timeSource : "") + "]";
        }
    }
}
