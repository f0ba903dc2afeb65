package dev.weft.chan;

import java.util.Iterator;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** The one-direction views of a channel: they delegate, and cannot be cast back to the channel. */
final class Views {
    private Views() {}

    /** Go's {@code <-chan T}. */
    static final class ReceiveOnly<T> implements ReceiveChannel<T> {
        private final Channel<T> channel;

        ReceiveOnly(Channel<T> channel) {
            this.channel = channel;
        }

        @Override
        public T receive() throws InterruptedException {
            return channel.receive();
        }

        @Override
        public Optional<T> tryReceive() {
            return channel.tryReceive();
        }

        @Override
        public boolean isClosedForReceive() {
            return channel.isClosedForReceive();
        }

        @Override
        public int size() {
            return channel.size();
        }

        @Override
        public int capacity() {
            return channel.capacity();
        }

        @Override
        public int waitingReceivers() {
            return channel.waitingReceivers();
        }

        @Override
        public Iterator<T> iterator() {
            return channel.iterator();
        }

        @Override
        public Stream<T> stream() {
            return channel.stream();
        }

        @Override
        public <R> Select.Clause<R> onReceive(Function<? super T, ? extends R> fn) {
            return channel.onReceive(fn);
        }

        @Override
        public <R> Select.Clause<R> onReceiveOrClosed(Function<? super T, ? extends R> fn, Supplier<? extends R> ifClosed) {
            return channel.onReceiveOrClosed(fn, ifClosed);
        }

        @Override
        public String toString() {
            return "receive-only view of " + channel;
        }
    }

    /** Go's {@code chan<- T}. */
    static final class SendOnly<T> implements SendChannel<T> {
        private final Channel<T> channel;

        SendOnly(Channel<T> channel) {
            this.channel = channel;
        }

        @Override
        public void send(T value) throws InterruptedException {
            channel.send(value);
        }

        @Override
        public boolean trySend(T value) {
            return channel.trySend(value);
        }

        @Override
        public void close() {
            channel.close();
        }

        @Override
        public boolean fail(Throwable cause) {
            return channel.fail(cause);
        }

        @Override
        public boolean isClosedForSend() {
            return channel.isClosedForSend();
        }

        @Override
        public int size() {
            return channel.size();
        }

        @Override
        public int capacity() {
            return channel.capacity();
        }

        @Override
        public int waitingSenders() {
            return channel.waitingSenders();
        }

        @Override
        public <R> Select.Clause<R> onSend(T value, Supplier<? extends R> fn) {
            return channel.onSend(value, fn);
        }

        @Override
        public String toString() {
            return "send-only view of " + channel;
        }
    }
}
