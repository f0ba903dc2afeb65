package dev.weft.chan;

import dev.weft.CancelledException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Go's {@code range ch}: receives until the channel is closed and drained. Not thread-safe (an
 * iterator belongs to one consumer; several consumers each take their own).
 */
final class ChannelIterator<T> implements Iterator<T> {
    private final Channel<T> channel;
    /** The element received by hasNext and not yet returned by next, or null. */
    private Object next;
    private boolean ended;

    ChannelIterator(Channel<T> channel) {
        this.channel = channel;
    }

    static <T> Stream<T> stream(Channel<T> channel) {
        ChannelIterator<T> it = new ChannelIterator<>(channel);
        Spliterator<T> split = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE,
                Spliterator.ORDERED | Spliterator.NONNULL) {
            @Override
            public boolean tryAdvance(Consumer<? super T> action) {
                if (!it.hasNext()) {
                    return false;
                }
                action.accept(it.next());
                return true;
            }

            @Override
            public Spliterator<T> trySplit() {
                return null; // never read ahead into a batch: every element pulled is one received
            }
        };
        return StreamSupport.stream(split, false);
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (ended) {
            return false;
        }
        Object r;
        try {
            r = channel.receiveOrClosed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancelledException("interrupted while iterating over " + channel, e);
        }
        if (r == Channel.CLOSED) {
            ended = true;
            return false;
        }
        next = r;
        return true;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException(channel + " is closed and drained");
        }
        @SuppressWarnings("unchecked")
        T value = (T) next;
        next = null;
        return value;
    }
}
