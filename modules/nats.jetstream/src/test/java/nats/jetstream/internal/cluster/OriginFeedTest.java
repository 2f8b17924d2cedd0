package nats.jetstream.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import nats.jetstream.internal.model.StreamSource;
import org.junit.jupiter.api.Test;

/** A mirror or source feed's reading of deliveries: Go's ack reply subjects and its sequence tracking. */
class OriginFeedTest {

    @Test
    void replyInfoReadsBothAckSubjectForms() {
        // $JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<dseq>.<ts>.<pending>
        assertArrayEquals(new long[] {17, 4, 1, 1_700_000_000_000_000_000L, 3},
                OriginFeed.replyInfo("$JS.ACK.ORIG.c1.1.17.4.1700000000000000000.3"), "the 9-token form");
        // With domain and account hash in front and a random token at the end (12 tokens).
        assertArrayEquals(new long[] {17, 4, 2, 5, 0},
                OriginFeed.replyInfo("$JS.ACK.hub.ACCHASH.ORIG.c1.2.17.4.5.0.tok"), "the 12-token form");
        assertNull(OriginFeed.replyInfo("_INBOX.abc"), "not an ack subject");
        assertNull(OriginFeed.replyInfo("$JS.ACK.ORIG.c1.1.x.4.5.3"), "a sequence that is not a number");
        assertNull(OriginFeed.replyInfo("$JS.NAK.ORIG.c1.1.17.4.5.3"), "not $JS.ACK");
    }

    @Test
    void takesTheNextDeliveryDropsOldOnesAndAsksAgainAfterAGap() {
        OriginFeed feed = new OriginFeed(new StreamSource("ORIG", 0, Optional.empty(), "", List.of(), "", ""), true,
                null, new NoSink());
        assertTrue(feed.accept(1, 1), "the first delivery");
        assertTrue(feed.accept(5, 2), "the next delivery, origin sequences 2..4 gone from the origin");
        assertFalse(feed.accept(5, 2), "the same delivery again");
        assertFalse(feed.accept(3, 1), "an older delivery");
        assertFalse(feed.accept(9, 4), "delivery 3 was missed: not taken");
        assertTrue(feed.retryWanted(), "a missed delivery makes a new consumer");
    }

    private static final class NoSink implements OriginFeed.Sink {
        @Override
        public CompletableFuture<Long> mirrored(long seq, long ts, String subject, byte[] headers, byte[] payload) {
            return CompletableFuture.completedFuture(0L);
        }

        @Override
        public CompletableFuture<Long> sourced(String subject, byte[] headers, byte[] payload) {
            return CompletableFuture.completedFuture(0L);
        }

        @Override
        public void mirrorSkipped(long through) {
        }

        @Override
        public boolean leading() {
            return true;
        }
    }
}
