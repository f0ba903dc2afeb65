package dev.weft.jmh;

import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * The trivial task bodies every peer runs, so that the benchmarks measure the cost of starting,
 * tracking and joining a task, and nothing else. All of them are non-capturing constants: no
 * peer pays for a lambda allocation per fork.
 */
public final class Tasks {
    /** The result of every trivial task (a cached {@code Integer}: no boxing allocation). */
    public static final Integer RESULT = 42;

    /** Returns {@link #RESULT}; for weft, the JDK's StructuredTaskScope and Jox. */
    public static final Callable<Integer> CALLABLE = () -> RESULT;

    /** Returns {@link #RESULT}; for {@code CompletableFuture.supplyAsync}. */
    public static final Supplier<Integer> SUPPLIER = () -> RESULT;

    /** Does nothing; for raw virtual threads, which have no result channel. */
    public static final Runnable RUNNABLE = () -> {};

    /** Fails at once with a fresh exception; the one failing task of the cancellation benchmarks. */
    public static final Callable<Integer> FAIL = () -> {
        throw new IllegalStateException("the one failing task");
    };

    private Tasks() {}
}
