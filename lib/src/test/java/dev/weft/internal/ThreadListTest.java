package dev.weft.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.LeakCheckExtension;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * ThreadList, observed from outside: interruptAll reaches exactly the threads added and not
 * removed, however many came and went before, and removed entries are not retained.
 */
@ExtendWith(LeakCheckExtension.class)
class ThreadListTest {

    /** Unstarted virtual threads record interrupt() in their flag, which makes "was it interrupted?" observable. */
    private static Thread idle() {
        return Thread.ofVirtual().unstarted(() -> { });
    }

    @Test
    void interruptAllReachesExactlyTheLiveThreadsAfterManyAddRemoveCycles() {
        ThreadList list = new ThreadList();
        List<Thread> removed = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            removed.add(idle());
        }
        List<Thread> live = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            ThreadList.remove(list.add(removed.get(i % removed.size())));
            if (i % 20_000 == 7) { // a few long-lived entries, buried under many short ones
                Thread t = idle();
                live.add(t);
                list.add(t);
            }
        }
        for (int i = 0; i < 3; i++) {
            Thread t = idle();
            live.add(t);
            list.add(t);
        }
        list.interruptAll();
        for (Thread t : live) {
            assertTrue(t.isInterrupted(), "a live entry was skipped");
        }
        for (Thread t : removed) {
            assertFalse(t.isInterrupted(), "a removed entry was interrupted");
        }
    }

    @Test
    void removedEntriesAreNotRetainedSoTheListStaysProportionalToTheLiveThreads() throws Exception {
        ThreadList list = new ThreadList();
        Thread thread = idle();
        int cycles = 100_000;
        List<WeakReference<ThreadList.Node>> refs = new ArrayList<>(cycles);
        Thread keep = idle();
        list.add(keep);
        for (int i = 0; i < cycles; i++) {
            ThreadList.Node node = list.add(thread);
            ThreadList.remove(node);
            refs.add(new WeakReference<>(node));
        }
        long retained = cycles;
        for (int attempt = 0; attempt < 20 && retained > 1_000; attempt++) {
            System.gc(); // a full collection clears weak references to unreachable entries
            retained = refs.stream().filter(r -> r.get() != null).count();
        }
        assertTrue(retained <= 1_000, retained + " of " + cycles + " removed entries are still retained");
        list.interruptAll();
        assertTrue(keep.isInterrupted(), "the one live entry survived the cleaning");
        assertFalse(thread.isInterrupted());
    }

    @Test
    void concurrentAddsAndRemovesNeverHideALiveThreadFromInterruptAll() throws Exception {
        ThreadList list = new ThreadList();
        int workers = 2;
        CountDownLatch done = new CountDownLatch(workers);
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> live = new ArrayList<>();
        List<Thread> churners = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            churners.add(Thread.ofPlatform().daemon(true).start(() -> {
                Thread t = idle();
                int n = 0;
                while (!stop.get() && n++ < 200_000) {
                    ThreadList.remove(list.add(t));
                }
                done.countDown();
            }));
        }
        for (int i = 0; i < 200; i++) { // live entries added while others churn
            Thread t = idle();
            live.add(t);
            list.add(t);
        }
        list.interruptAll();
        stop.set(true);
        assertTrue(done.await(30, TimeUnit.SECONDS));
        for (Thread c : churners) {
            c.join();
        }
        for (Thread t : live) {
            assertTrue(t.isInterrupted(), "a live entry added during churn was skipped");
        }
    }

    @Test
    void interruptAllSkipsTheCallingThread() {
        ThreadList list = new ThreadList();
        Thread other = idle();
        list.add(Thread.currentThread());
        list.add(other);
        list.interruptAll();
        assertTrue(other.isInterrupted());
        assertFalse(Thread.currentThread().isInterrupted(), "a task cancelling its own scope is not interrupted by it");
    }
}
