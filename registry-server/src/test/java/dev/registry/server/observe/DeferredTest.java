package dev.registry.server.observe;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DeferredTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void usesBeforeTheValueIsMadeAreAppliedInOrderOnceItIs() {
        Deferred<List<String>> list = new Deferred<>("test-list", ArrayList::new, 100);
        list.use(l -> l.add("a"));
        list.use(l -> l.add("b"));
        assertThat(list.now(), is(nullValue()));

        list.start();
        List<String> made = list.await(WAIT);
        list.use(l -> l.add("c"));

        assertThat(made, contains("a", "b", "c"));
        assertThat(list.now(), is(made));
        assertThat(list.dropped(), is(0L));
    }

    @Test
    void nothingIsMadeBeforeStartAndOnlyOnceAfter() throws Exception {
        int[] made = new int[1];
        Deferred<Object> once = new Deferred<>("test-once", () -> ++made[0], 100);
        assertThrows(IllegalStateException.class, () -> once.await(Duration.ofMillis(50)));
        assertThat(made[0], is(0));
        once.start();
        once.start();
        once.await(WAIT);
        assertThat(made[0], is(1));
    }

    @Test
    void usesQueuedWhileTheQueueIsAppliedKeepTheirPlace() throws Exception {
        CountDownLatch applying = new CountDownLatch(1);
        CountDownLatch goOn = new CountDownLatch(1);
        Deferred<List<Integer>> list = new Deferred<>("test-race", ArrayList::new, 100);
        list.use(l -> {
            applying.countDown();
            await(goOn);
            l.add(1);
        });
        list.start();
        assertThat(applying.await(10, TimeUnit.SECONDS), is(true));
        // the first use is being applied: the value is not published yet, so this one queues behind it
        list.use(l -> l.add(2));
        assertThat(list.now(), is(nullValue()));
        goOn.countDown();

        assertThat(list.await(WAIT), contains(1, 2));
    }

    @Test
    void usesBeyondTheQueuesBoundAreDroppedAndCounted() {
        Deferred<List<Integer>> list = new Deferred<>("test-bound", ArrayList::new, 2);
        for (int i = 0; i < 5; i++) {
            int n = i;
            list.use(l -> l.add(n));
        }
        list.start();
        assertThat(list.await(WAIT), contains(0, 1));
        assertThat(list.dropped(), is(3L));
    }

    @Test
    void aValueThatCannotBeMadeFailsTheWaitAndDropsItsUses() {
        Deferred<List<Integer>> broken = new Deferred<>(
                "test-broken",
                () -> {
                    throw new IllegalArgumentException("no registry");
                },
                100);
        broken.use(l -> l.add(1));
        broken.start();

        IllegalStateException failed = assertThrows(IllegalStateException.class, () -> broken.await(WAIT));
        assertThat(failed.getMessage(), containsString("no registry"));
        broken.use(l -> l.add(2));
        assertThat(broken.dropped(), is(2L));
        assertThat(broken.now(), is(nullValue()));
    }

    @Test
    void aUseThatThrowsIsCountedAndTheOthersStillRun() {
        Deferred<List<Integer>> list = new Deferred<>("test-throws", ArrayList::new, 100);
        list.use(l -> {
            throw new IllegalStateException("broken use");
        });
        list.use(l -> l.add(7));
        list.start();
        assertThat(list.await(WAIT), contains(7));
        assertThat(list.dropped(), is(1L));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
