package nats.server.internal.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The per-batch set of subscribers to flush: each member flushed once per batch, however large the fan-out. */
class FlushSetTest {

    private static final class Counting implements Subscriber {
        int flushes;

        @Override
        public boolean deliver(ServerSubscription subscription, RoutedMessage message) {
            return true;
        }

        @Override
        public void flushPending() {
            flushes++;
        }
    }

    @Test
    void everySubscriberOfALargeFanOutIsFlushedExactlyOncePerBatch() {
        FlushSet set = new FlushSet();
        List<Counting> subscribers = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            subscribers.add(new Counting());
        }
        for (int round = 0; round < 3; round++) {
            // every subscriber added several times within one batch, as a burst of messages adds them
            for (int message = 0; message < 4; message++) {
                subscribers.forEach(set::add);
            }
            set.flushAll();
        }
        for (Counting c : subscribers) {
            assertEquals(3, c.flushes, "one flush per batch for each of the 300 subscribers, not one per message");
        }
    }

    @Test
    void smallSetsDeduplicateToo() {
        FlushSet set = new FlushSet();
        Counting a = new Counting();
        Counting b = new Counting();
        set.add(a);
        set.add(b);
        set.add(a);
        set.flushAll();
        set.flushAll();
        assertEquals(1, a.flushes, "added twice, flushed once");
        assertEquals(1, b.flushes, "an empty set flushes nobody");
    }
}
