package dev.weft.jcstress;

import dev.weft.CancelledException;
import dev.weft.Scope;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The owner's side of the tests in which a scope's cancellation races a blocking call made in that
 * scope by its owner thread: opens the scope, publishes it to the other actor, makes the call, and
 * describes how it ended. weft never interrupts a scope's owner, so an owner found interrupted
 * afterwards is reported (" and interrupted"), and so is anything unexpected it threw.
 */
final class OwnerCall {
    private OwnerCall() {}

    /** A blocking call that describes its result. */
    @FunctionalInterface
    interface Call {
        String run() throws InterruptedException;
    }

    /** {@link #inScope(Consumer, Call, Supplier)} that describes a {@link CancelledException} as "cancelled". */
    static String inScope(Consumer<Scope> publish, Call call) {
        return inScope(publish, call, () -> "cancelled");
    }

    /**
     * Opens a scope, hands it to {@code publish}, and runs {@code call} in it.
     *
     * @return what {@code call} returned, or {@code whenCancelled}'s description if it threw
     *     {@link CancelledException}, with " and interrupted" appended if the owner's interrupt flag
     *     is set; "unexpected" and the exception's name if anything else was thrown
     */
    static String inScope(Consumer<Scope> publish, Call call, Supplier<String> whenCancelled) {
        String outcome;
        try (Scope scope = Scope.open()) {
            publish.accept(scope);
            try {
                outcome = call.run();
            } catch (CancelledException e) {
                outcome = whenCancelled.get();
            }
            if (Thread.currentThread().isInterrupted()) {
                outcome += " and interrupted";
            }
        } catch (Throwable t) {
            outcome = "unexpected " + Outcomes.name(t);
        }
        return outcome;
    }
}
