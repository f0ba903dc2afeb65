package dev.weft.internal;

/**
 * The current thread's cancellation signal, for weft's blocking calls that live above package
 * {@code dev.weft} ({@code dev.weft.chan}, {@code dev.weft.time}).
 *
 * <p>The signal is a package-private part of {@code dev.weft.Context}, and this package sits below
 * {@code dev.weft} and must not import it. So {@code Context} installs an accessor here when it is
 * initialised (the JDK's "shared secrets" pattern). Before that, no scope has ever been opened, so
 * every thread is at the root context, which has no signal: {@link #get()} returns null, which is
 * the right answer.
 */
public final class CurrentSignal {
    /** Reads the current thread's context's signal; installed by {@code dev.weft.Context}. */
    @FunctionalInterface
    public interface Accessor {
        /** The signal of the current thread's context, or null at the root context. */
        CancelSignal get();
    }

    private static volatile Accessor accessor;

    private CurrentSignal() {}

    /**
     * Installs the accessor; called once, by {@code dev.weft.Context}'s static initialiser.
     *
     * @throws IllegalStateException if an accessor is already installed
     */
    public static void install(Accessor a) {
        if (accessor != null) {
            throw new IllegalStateException("the current-signal accessor is already installed");
        }
        accessor = a;
    }

    /** The signal of the current thread's context: null at the root context, which is never cancelled. */
    public static CancelSignal get() {
        Accessor a = accessor;
        return a == null ? null : a.get();
    }
}
