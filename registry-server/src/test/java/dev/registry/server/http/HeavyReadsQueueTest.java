package dev.registry.server.http;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The turns and the queue: who runs, who waits, who is refused at once. */
class HeavyReadsQueueTest {

    @Test
    void readsBeyondTheTurnsWaitUntilTheQueueIsFullAndTheNextIsRefusedAtOnce() throws Exception {
        HeavyReads reads = new HeavyReads(1, 3, Duration.ofMinutes(5).toMillis());
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = Thread.ofVirtual()
                .start(() -> reads.run(() -> {
                    holding.countDown();
                    waitFor(release);
                }));
        holding.await();

        AtomicInteger ran = new AtomicInteger();
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiters.add(Thread.ofVirtual().start(() -> reads.run(ran::incrementAndGet)));
        }
        await().atMost(Duration.ofSeconds(30)).until(reads::waiting, is(3));
        // the queue is full: the next read does not wait
        ApiException refused = assertThrows(ApiException.class, () -> reads.run(ran::incrementAndGet));
        assertThat(refused.status(), is(503));
        assertThat(ran.get(), is(0));

        release.countDown();
        holder.join();
        for (Thread t : waiters) {
            t.join();
        }
        assertThat(ran.get(), is(3));
        reads.run(ran::incrementAndGet); // every turn and place is free again
        assertThat(ran.get(), is(4));
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
