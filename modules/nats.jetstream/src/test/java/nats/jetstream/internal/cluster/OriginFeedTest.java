package nats.jetstream.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

import nats.api.messaging.DirectHandler;
import nats.api.messaging.InternalConnection;
import nats.api.messaging.Message;
import nats.api.messaging.MessageHandler;
import nats.api.messaging.MessagePublisher;
import nats.api.messaging.Subscription;

import nats.jetstream.internal.model.StreamSource;
import nats.transport.json.Json;
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

    /**
     * A mirror's proposal of origin message 2 is refused (a leadership transfer under way, a leader change): the
     * message was taken but not stored. Message 3, delivered next, must not be stored past it (the mirror would
     * skip 2 for good), and the next consumer must start at 2, where the store ends, not after the 3 taken.
     */
    @Test
    void aRefusedProposalIsTakenAgainNotSkipped() {
        FakeOrigin origin = new FakeOrigin();
        StoringSink sink = new StoringSink(2);
        OriginFeed feed = new OriginFeed(new StreamSource("ORIG", 0, Optional.empty(), "", List.of(), "", ""), true,
                origin, sink);
        assertTrue(feed.start(0), "the consumer created");
        assertEquals(0, origin.startSeq, "from the configured start");
        String deliver = feed.deliverSubject();
        for (long seq = 1; seq <= 4; seq++) {
            feed.onDelivery(deliver, delivery(seq, seq));
        }
        assertEquals(List.of(1L), sink.stored, "nothing stored past the refused message 2");
        assertTrue(feed.retryWanted(), "the refusal makes a new consumer");
        long later = System.nanoTime() + 2 * OriginFeed.RETRY_NANOS;
        assertTrue(feed.needsConsumer(later), "a new consumer once no proposal is in flight");
        assertTrue(feed.start(sink.last()), "the new consumer created");
        assertEquals(2, origin.startSeq, "it starts at the refused message, where the store ends");
        feed.onDelivery(deliver, delivery(5, 5)); // the old consumer's: ignored
        for (long seq = 2; seq <= 4; seq++) {
            feed.onDelivery(feed.deliverSubject(), delivery(seq, seq - 1));
        }
        assertEquals(List.of(1L, 2L, 3L, 4L), sink.stored, "every origin message once, in order");
    }

    /** The same for a source: its position is read from the store again (the scan), not the feed's own. */
    @Test
    void aSourceRereadsItsPositionAfterARefusedProposal() {
        FakeOrigin origin = new FakeOrigin();
        StoringSink sink = new StoringSink(2);
        OriginFeed feed = new OriginFeed(new StreamSource("ORIG", 0, Optional.empty(), "", List.of(), "", ""), false,
                origin, sink);
        assertTrue(feed.start(0));
        feed.storedThrough(0); // the leader's scan found nothing from this origin
        String deliver = feed.deliverSubject();
        for (long seq = 1; seq <= 3; seq++) {
            feed.onDelivery(deliver, delivery(seq, seq));
        }
        assertEquals(List.of(1L), sink.stored, "nothing stored past the refused message 2");
        assertEquals(-1, feed.storedThrough(), "the source's position is to be read from the store again");
        assertTrue(feed.needsConsumer(System.nanoTime() + 2 * OriginFeed.RETRY_NANOS));
        assertTrue(feed.start(1), "the new consumer created after the scan found 1");
        assertEquals(2, origin.startSeq, "it starts at the refused message");
    }

    private static Message delivery(long originSeq, long deliverySeq) {
        return new Message("orders", "$JS.ACK.ORIG.c1.1." + originSeq + "." + deliverySeq + ".1700000000000000000.0",
                Message.NO_HEADERS, ("m" + originSeq).getBytes(StandardCharsets.UTF_8));
    }

    /** A mirror's store behind a RAFT group, as the feed sees it: each proposal stored, or refused. */
    private static final class StoringSink extends NoSink {
        final List<Long> stored = new ArrayList<>();
        private long refuse;

        /** @param refuse the origin sequence whose proposal is refused, once */
        StoringSink(long refuse) {
            this.refuse = refuse;
        }

        long last() {
            return stored.isEmpty() ? 0 : stored.getLast();
        }

        @Override
        public CompletableFuture<Long> mirrored(long seq, long ts, String subject, byte[] headers, byte[] payload,
                                                BooleanSupplier stillWanted) {
            if (seq == refuse || !stillWanted.getAsBoolean()) {
                refuse = -1;
                return CompletableFuture.failedFuture(new IllegalStateException("leadership transfer in progress"));
            }
            stored.add(seq);
            return CompletableFuture.completedFuture((long) stored.size());
        }

        @Override
        public CompletableFuture<Long> sourced(String subject, byte[] headers, byte[] payload,
                                               BooleanSupplier stillWanted) {
            long seq = Long.parseLong(new String(payload, StandardCharsets.UTF_8).substring(1));
            return mirrored(seq, 0, subject, headers, payload, stillWanted);
        }
    }

    /** An origin server answering consumer creates ({@code {"name":...}}) and noting where each starts. */
    private static final class FakeOrigin implements InternalConnection {
        private final Map<String, MessageHandler> handlers = new HashMap<>();
        long startSeq = -1;

        @Override
        public Subscription subscribe(String subject, MessageHandler handler) {
            handlers.put(subject, handler);
            return subscription(subject);
        }

        @Override
        public Subscription subscribe(String subject, String queueGroup, MessageHandler handler) {
            return subscribe(subject, handler);
        }

        @Override
        public Subscription subscribeDirect(String subject, String queueGroup, DirectHandler handler) {
            return subscription(subject);
        }

        private Subscription subscription(String subject) {
            return new Subscription() {
                @Override
                public String subject() {
                    return subject;
                }

                @Override
                public void unsubscribe() {
                    handlers.remove(subject);
                }
            };
        }

        @Override
        @SuppressWarnings("unchecked")
        public void publish(Message message) {
            if (message.subject().startsWith("$JS.API.CONSUMER.CREATE.")) {
                Map<String, Object> request = Json.parseObject(new String(message.payload(), StandardCharsets.UTF_8));
                Map<String, Object> config = (Map<String, Object>) request.get("config");
                startSeq = config.get("opt_start_seq") instanceof Number n ? n.longValue() : 0;
                handlers.get(message.replyTo()).onMessage(new Message(message.replyTo(), "", Message.NO_HEADERS,
                        "{\"name\":\"c1\"}".getBytes(StandardCharsets.UTF_8)));
            }
        }

        @Override
        public MessagePublisher publisher() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean hasInterest(String subject) {
            return true;
        }

        @Override
        public void close() {
        }
    }

    private static class NoSink implements OriginFeed.Sink {
        @Override
        public CompletableFuture<Long> mirrored(long seq, long ts, String subject, byte[] headers, byte[] payload,
                                                BooleanSupplier stillWanted) {
            return CompletableFuture.completedFuture(0L);
        }

        @Override
        public CompletableFuture<Long> sourced(String subject, byte[] headers, byte[] payload,
                                               BooleanSupplier stillWanted) {
            return CompletableFuture.completedFuture(0L);
        }

        @Override
        public CompletableFuture<Long> mirrorSkipped(long through, BooleanSupplier stillWanted) {
            return CompletableFuture.completedFuture(through);
        }

        @Override
        public boolean leading() {
            return true;
        }
    }
}
