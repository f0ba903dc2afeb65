package dev.weft.chan;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

/** The kinds of {@link Select.Clause}: immutable, so a clause can be reused across selects. */
final class Clauses {
    private Clauses() {}

    /** {@code ch.onReceive(fn)} and {@code ch.onReceiveOrClosed(fn, ifClosed)}. */
    static final class Receive<T, R> implements Select.Clause<R> {
        final Channel<T> channel;
        final Function<? super T, ? extends R> fn;
        /** Null for onReceive: a closed channel then makes the select throw. */
        final Supplier<? extends R> ifClosed;

        Receive(Channel<T> channel, Function<? super T, ? extends R> fn, Supplier<? extends R> ifClosed) {
            this.channel = channel;
            this.fn = fn;
            this.ifClosed = ifClosed;
        }

        /** The select's result for a received element, or for {@link Channel#CLOSED}. */
        R complete(Object received) {
            if (received == Channel.CLOSED) {
                channel.closedForReceive(); // throws the failure of a failed channel
                if (ifClosed == null) {
                    throw new ChannelClosedException("select received from a closed and drained " + channel);
                }
                return ifClosed.get();
            }
            @SuppressWarnings("unchecked")
            T value = (T) received;
            return fn.apply(value);
        }

        @Override
        public String toString() {
            return (ifClosed == null ? "onReceive(" : "onReceiveOrClosed(") + channel + ")";
        }
    }

    /** {@code ch.onSend(value, fn)}. */
    static final class Send<T, R> implements Select.Clause<R> {
        final Channel<T> channel;
        final T value;
        final Supplier<? extends R> fn;

        Send(Channel<T> channel, T value, Supplier<? extends R> fn) {
            this.channel = channel;
            this.value = value;
            this.fn = fn;
        }

        @Override
        public String toString() {
            return "onSend(" + value + ", " + channel + ")";
        }
    }

    /** {@code Select.onTimeout(d, fn)}. */
    static final class Timeout<R> implements Select.Clause<R> {
        final Duration timeout;
        final long nanos;
        final Supplier<? extends R> fn;

        Timeout(Duration timeout, long nanos, Supplier<? extends R> fn) {
            this.timeout = timeout;
            this.nanos = nanos;
            this.fn = fn;
        }

        @Override
        public String toString() {
            return "onTimeout(" + timeout + ")";
        }
    }

    /** {@code Select.orDefault(fn)}. */
    static final class Default<R> implements Select.Clause<R> {
        final Supplier<? extends R> fn;

        Default(Supplier<? extends R> fn) {
            this.fn = fn;
        }

        @Override
        public String toString() {
            return "orDefault";
        }
    }
}
