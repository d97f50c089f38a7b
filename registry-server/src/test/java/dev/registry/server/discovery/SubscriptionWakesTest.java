package dev.registry.server.discovery;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import dev.registry.server.discovery.Subscription.Offered;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The fan-out wakes streams in slices and waits for each slice to run: a stream it woke counts in
 * the {@link PendingWakes} exactly until it has run, and one that was busy (not waiting) never counts.
 */
class SubscriptionWakesTest {

    private final PendingWakes wakes = new PendingWakes();

    private static SseFrame frame(long index) {
        return new SseFrame(
                index, "heartbeat", "svc", index, ("id: " + index + "\n\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Runs a stream that takes frames until it sees {@code lastIndex}, handing each over. */
    private static Thread stream(Subscription s, BlockingQueue<SseFrame> taken) {
        return Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    SseFrame f = s.next();
                    taken.add(f == null ? frame(-1) : f); // -1: woken with nothing to send (a keep-alive)
                    if (f != null && f.index() == Long.MAX_VALUE) {
                        return;
                    }
                }
            } catch (InterruptedException stop) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Test
    void aWaitingStreamCountsFromItsWakeUntilItHasRun() throws Exception {
        Subscription s = new Subscription(100, 1 << 20, Thread.currentThread(), wakes);
        BlockingQueue<SseFrame> taken = new ArrayBlockingQueue<>(10);
        Thread t = stream(s, taken);
        await().atMost(Duration.ofSeconds(10)).until(s::waiting);

        assertThat(s.offer(List.of(frame(1), frame(2))), is(Offered.WOKE));
        assertThat(wakes.awaitAllRan(Duration.ofSeconds(10)), is(true));
        assertThat(wakes.pending(), is(0));
        assertThat(taken.poll(10, TimeUnit.SECONDS).index(), is(1L));
        assertThat(taken.poll(10, TimeUnit.SECONDS).index(), is(2L));

        await().atMost(Duration.ofSeconds(10)).until(s::waiting);
        assertThat("a keep-alive wakes it too", s.keepAlive(), is(true));
        assertThat(wakes.awaitAllRan(Duration.ofSeconds(10)), is(true));
        assertThat(taken.poll(10, TimeUnit.SECONDS).index(), is(-1L));

        await().atMost(Duration.ofSeconds(10)).until(s::waiting);
        s.offer(List.of(frame(Long.MAX_VALUE)));
        t.join(Duration.ofSeconds(10));
        assertThat(t.isAlive(), is(false));
        assertThat(wakes.pending(), is(0));
    }

    @Test
    void aBusyStreamTakesTheBatchLaterAndNeverCounts() {
        Subscription s = new Subscription(100, 1 << 20, Thread.currentThread(), wakes);

        assertThat(s.offer(List.of(frame(1))), is(Offered.QUEUED));
        assertThat(s.offer(List.of(frame(2))), is(Offered.QUEUED));
        assertThat(s.keepAlive(), is(false));
        assertThat(wakes.pending(), is(0));
        assertThat(s.poll().index(), is(1L));
        assertThat(s.poll().index(), is(2L));
        assertThat(s.poll(), is(nullValue()));
    }

    @Test
    void aBatchThatDoesNotFitDropsTheStreamAndLaterOffersSaySo() {
        Subscription s = new Subscription(2, 1 << 20, Thread.currentThread(), wakes);

        assertThat(s.offer(List.of(frame(1), frame(2), frame(3))), is(Offered.DROPPED));
        assertThat(s.offer(List.of(frame(4))), is(Offered.DROPPED));
        assertThat(s.dropReason(), is("the stream fell more than 2 events or 1024 KiB behind the log"));
        assertThat(wakes.pending(), is(0));
    }

    @Test
    void theTailerStopsWaitingAtTheBoundForAStreamThatDoesNotRun() {
        wakes.woke();

        assertThat(wakes.awaitAllRan(Duration.ofMillis(20)), is(false));
        Thread.ofVirtual().start(wakes::ran);
        assertThat(wakes.awaitAllRan(Duration.ofSeconds(10)), is(true));
    }

    @Test
    void aWokenStreamInterruptedBeforeItSendsLeavesNothingCounted() {
        Subscription s = new Subscription(100, 1 << 20, Thread.currentThread(), wakes);
        BlockingQueue<SseFrame> taken = new ArrayBlockingQueue<>(10);
        Thread t = stream(s, taken);
        await().atMost(Duration.ofSeconds(10)).until(s::waiting);
        assertThat(s.offer(List.of(frame(1))), is(Offered.WOKE));
        t.interrupt(); // it may leave next() by the interrupt, as a closing server's streams do
        await().atMost(Duration.ofSeconds(10)).until(() -> !t.isAlive());
        s.finish();

        assertThat(wakes.pending(), is(0));
    }
}
