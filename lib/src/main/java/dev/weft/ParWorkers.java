package dev.weft;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Callable;

/**
 * The workers of one {@link Par} call that pulls its work ({@code map}, {@code forEach},
 * {@code mapOrdered}): forks of the call's own {@link Scope}, each running {@link #call()}, which
 * takes the next item, processes it and loops until the work runs out, the scope is cancelled or
 * the item's work fails.
 *
 * <p>Implementation overview. {@code started} counts the workers ever forked. It only grows, and a
 * CAS caps it at {@code limit}, so at most {@code limit} worker threads are created during the
 * call: a worker that has ended is never replaced, which keeps the bound exact whatever the timing
 * of a thread's exit after its task has ended. The owner forks the first worker; after that, a
 * worker that has just taken an item forks one more if the cap allows and its subclass sees work
 * that nobody is free to take ({@code map}: more items remain; {@code forEach}: no other worker is
 * waiting at the source). So a thread is only created when there is work for it, a call over
 * three items starts at most three, and a slow source (a trickle of messages) keeps few threads.
 * Everything else (cancellation, deadlines, failures, waiting for every thread) is the scope's.
 */
abstract class ParWorkers implements Callable<Void> {
    private static final VarHandle STARTED;

    static {
        try {
            STARTED = MethodHandles.lookup().findVarHandle(ParWorkers.class, "started", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The scope of the call; the caller of {@code Par} is its owner. */
    final Scope scope;
    /** The most workers this call may start. */
    final int limit;
    /** Workers forked so far; only grows, never past {@link #limit}. */
    private volatile int started;

    ParWorkers(Scope scope, int limit) {
        this.scope = scope;
        this.limit = limit;
    }

    /** Forks one more worker, unless {@link #limit} have been forked already. */
    final void spawn() {
        int s;
        do {
            s = started;
            if (s >= limit) {
                return;
            }
        } while (!STARTED.compareAndSet(this, s, s + 1));
        scope.fork(this);
    }

    /** True once {@link #limit} workers have been forked: {@link #spawn} would do nothing. */
    final boolean full() {
        return started >= limit;
    }
}
