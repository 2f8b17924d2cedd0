package nats.jetstream.store.contract;

import nats.jetstream.store.AckPolicy;
import nats.jetstream.store.AppendResult;
import nats.jetstream.store.ConsumerConfig;
import nats.jetstream.store.ConsumerState;
import nats.jetstream.store.ConsumerStore;
import nats.jetstream.store.DiscardPolicy;
import nats.jetstream.store.NumPending;
import nats.jetstream.store.PendingDelivery;
import nats.jetstream.store.RemovalReason;
import nats.jetstream.store.SequencePair;
import nats.jetstream.store.SimpleState;
import nats.jetstream.store.StoreException;
import nats.jetstream.store.StoreListener;
import nats.jetstream.store.StoredMessage;
import nats.jetstream.store.StreamConfig;
import nats.jetstream.store.StreamState;
import nats.jetstream.store.StreamStore;
import nats.jetstream.store.SubjectFilter;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link StreamStore} must do, run against each backend by a subclass. Each test states the Go
 * behaviour it pins down where there is one ({@code server/store_test.go}, {@code memstore.go}).
 */
@Timeout(60)
public abstract class StreamStoreContract {

    private final List<StreamStore> opened = new ArrayList<>();

    /** Opens a new, empty store of the backend under test. */
    protected abstract StreamStore create(StreamConfig config);

    /** Restores a snapshot into a new store of the backend under test. */
    protected abstract StreamStore restore(StreamConfig config, InputStream snapshot);

    /** The backend's accounted size of a message (Go counts differently per storage type). */
    protected abstract long messageSize(String subject, int headers, int payload);

    /** Whether stored state survives a close and reopen (a file store). */
    protected boolean persistent() {
        return false;
    }

    /** Closes {@code store} and opens the same stream again (only when {@link #persistent()}). */
    protected StreamStore reopen(StreamStore store, StreamConfig config) {
        throw new UnsupportedOperationException("not persistent");
    }

    protected final StreamStore open(StreamConfig config) {
        StreamStore store = create(config);
        opened.add(store);
        return store;
    }

    protected final StreamStore open() {
        return open(StreamConfig.builder("TEST").subjects(">").build());
    }

    protected final StreamStore track(StreamStore store) {
        opened.add(store);
        return store;
    }

    @AfterEach
    void closeStores() {
        for (StreamStore store : opened) {
            try {
                store.delete();
            } catch (RuntimeException ignored) {
                // already closed or deleted by the test
            }
        }
    }

    protected static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    protected static long append(StreamStore store, String subject, String payload) {
        return store.append(subject, new byte[0], bytes(payload), 0).sequence();
    }

    protected static String payloadOf(StreamStore store, long sequence) {
        return new String(store.load(sequence).orElseThrow(
                () -> new AssertionError("expected a message under sequence " + sequence)).payload(), UTF_8);
    }

    // --- appending and loading ----------------------------------------------------------------------------

    @Test
    void appendAssignsIncreasingSequencesAndTimestamps() {
        StreamStore store = open();
        long before = System.currentTimeMillis() * 1_000_000L - 1_000_000_000L;
        AppendResult first = store.append("a", new byte[0], bytes("one"), 0);
        AppendResult second = store.append("b", bytes("NATS/1.0\r\nX: 1\r\n\r\n"), bytes("two"), 0);
        assertEquals(1, first.sequence(), "expected the first message under sequence 1");
        assertEquals(2, second.sequence(), "expected the second message under sequence 2");
        assertTrue(first.timestamp() > before, "expected a timestamp from the clock");
        assertTrue(second.timestamp() >= first.timestamp(), "expected timestamps not to go back");

        StoredMessage loaded = store.load(2).orElseThrow();
        assertEquals("b", loaded.subject(), "expected the subject stored");
        assertEquals("NATS/1.0\r\nX: 1\r\n\r\n", new String(loaded.headers(), UTF_8), "expected the headers");
        assertEquals("two", new String(loaded.payload(), UTF_8), "expected the payload");
        assertEquals(2, loaded.sequence(), "expected the sequence");
        assertEquals(second.timestamp(), loaded.timestamp(), "expected the timestamp reported at append");
        assertEquals(0, store.load(1).orElseThrow().headers().length, "expected no headers as an empty array");
    }

    @Test
    void loadOfMissingSequencesIsEmpty() {
        StreamStore store = open();
        append(store, "a", "x");
        assertEquals(Optional.empty(), store.load(0), "expected nothing under sequence 0");
        assertEquals(Optional.empty(), store.load(2), "expected nothing beyond the last sequence");
        store.remove(1);
        assertEquals(Optional.empty(), store.load(1), "expected nothing under a removed sequence");
    }

    @Test
    void emptyStoreStateStartsAtTheFirstSequence() {
        StreamStore store = open(StreamConfig.builder("TEST").firstSequence(100).build());
        StreamState state = store.state();
        assertEquals(0, state.messages(), "expected no messages");
        assertEquals(100, state.firstSequence(), "expected first_seq to be the configured first sequence");
        assertEquals(99, state.lastSequence(), "expected last_seq to be one below it");
        assertEquals(100, append(store, "a", "x"), "expected the first message under the configured sequence");
    }

    @Test
    void payloadIsCopiedFromTheCaller() {
        StreamStore store = open();
        byte[] payload = bytes("original");
        store.append("a", new byte[0], payload, 0);
        payload[0] = 'X';
        assertEquals("original", payloadOf(store, 1), "expected the store to keep its own copy");
    }

    @Test
    void storeRawNeedsTheNextSequence() {
        StreamStore store = open();
        append(store, "a", "1");
        StoreException mismatch = assertThrows(StoreException.class,
                () -> store.storeRaw("a", new byte[0], bytes("x"), 5, 123, 0, true), "expected a gap refused");
        assertEquals(StoreException.Kind.SEQUENCE_MISMATCH, mismatch.kind(), "expected a sequence mismatch");
        assertEquals("expected sequence does not match store", mismatch.getMessage(), "expected Go's text");
        store.storeRaw("a", new byte[0], bytes("raw"), 2, 123_456_789L, 0, true);
        StoredMessage raw = store.load(2).orElseThrow();
        assertEquals(123_456_789L, raw.timestamp(), "expected the given timestamp kept");
        store.storeRaw("a", new byte[0], bytes("next"), 0, 5, 0, true);
        assertEquals("next", payloadOf(store, 3), "expected sequence 0 to mean the next one");
    }

    @Test
    void skipUsesSequencesWithoutMessages() {
        StreamStore store = open();
        assertEquals(1, store.skip(), "expected skip to use sequence 1");
        StreamState state = store.state();
        assertEquals(1, state.lastSequence(), "expected last_seq 1");
        assertEquals(2, state.firstSequence(), "expected first_seq to move past the skip on an empty store");
        append(store, "a", "x");
        store.skip(3, 5);
        state = store.state();
        assertEquals(7, state.lastSequence(), "expected last_seq after skipping 5");
        assertEquals(2, state.firstSequence(), "expected first_seq at the message");
        assertEquals(5, state.numDeleted(), "expected skipped sequences to count as deleted");
        assertArrayEquals(new long[] {3, 4, 5, 6, 7}, state.deleted(), "expected the skipped sequences listed");
        assertEquals(8, append(store, "a", "y"), "expected the next message after the skipped range");
        assertThrows(StoreException.class, () -> store.skip(20, 1), "expected a skip not at the next sequence refused");
    }

    // --- removing -----------------------------------------------------------------------------------------

    @Test
    void removeAndEraseDeleteOneMessage() {
        StreamStore store = open();
        for (int i = 1; i <= 5; i++) {
            append(store, "s" + (i % 2), "m" + i);
        }
        assertTrue(store.remove(3), "expected sequence 3 removed");
        assertFalse(store.remove(3), "expected a second removal to find nothing");
        assertTrue(store.erase(4), "expected sequence 4 erased");
        assertFalse(store.remove(99), "expected nothing removed beyond the end");
        StreamState state = store.state();
        assertEquals(3, state.messages(), "expected 3 messages left");
        assertArrayEquals(new long[] {3, 4}, state.deleted(), "expected the interior deletes listed");
        assertEquals(2, state.numDeleted(), "expected num_deleted 2");
        assertEquals(3 * messageSize("s0", 0, 2), state.bytes(), "expected bytes of the 3 messages left");
        assertTrue(store.remove(1), "expected the first message removed");
        assertEquals(2, store.state().firstSequence(), "expected first_seq to move to the next message");
        assertTrue(store.remove(2), "expected sequence 2 removed");
        assertEquals(5, store.state().firstSequence(), "expected first_seq to skip deleted sequences");
        assertEquals(0, store.state().numDeleted(), "expected no interior deletes below the first");
        assertTrue(store.remove(5), "expected the last message removed");
        StreamState empty = store.state();
        assertEquals(6, empty.firstSequence(), "expected first_seq past the last when empty");
        assertEquals(5, empty.lastSequence(), "expected last_seq to stay");
        assertEquals(0, empty.numSubjects(), "expected no subjects left");
    }

    // --- limits -------------------------------------------------------------------------------------------

    @Test
    void maxMessagesDiscardOldDropsTheOldest() {
        StreamStore store = open(StreamConfig.builder("TEST").maxMessages(3).build());
        for (int i = 1; i <= 5; i++) {
            append(store, "a", "m" + i);
        }
        StreamState state = store.state();
        assertEquals(3, state.messages(), "expected max_msgs kept");
        assertEquals(3, state.firstSequence(), "expected the two oldest dropped");
        assertEquals("m3", payloadOf(store, 3), "expected the third message kept");
    }

    @Test
    void maxBytesDiscardOldDropsTheOldest() {
        long size = messageSize("a", 0, 10);
        StreamStore store = open(StreamConfig.builder("TEST").maxBytes(size * 3 + size / 2).build());
        for (int i = 0; i < 6; i++) {
            store.append("a", new byte[0], new byte[10], 0);
        }
        StreamState state = store.state();
        assertEquals(3, state.messages(), "expected as many messages as fit in max_bytes");
        assertEquals(4, state.firstSequence(), "expected the oldest dropped");
        assertTrue(state.bytes() <= size * 3 + size / 2, "expected bytes within the limit");
    }

    @Test
    void maxMessagesPerSubjectDropsThatSubjectsOldest() {
        StreamStore store = open(StreamConfig.builder("TEST").maxMessagesPerSubject(2).build());
        append(store, "k1", "a");
        append(store, "k2", "b");
        append(store, "k1", "c");
        append(store, "k1", "d");
        Map<String, SimpleState> subjects = store.subjectsState("");
        assertEquals(new SimpleState(2, 3, 4), subjects.get("k1"), "expected k1 to keep its two newest");
        assertEquals(new SimpleState(1, 2, 2), subjects.get("k2"), "expected k2 untouched");
        assertEquals(Optional.empty(), store.load(1), "expected k1's oldest dropped");
    }

    @Test
    void discardNewRefusesWithGoErrorTexts() {
        StreamStore byCount = open(StreamConfig.builder("TEST").maxMessages(1).discard(DiscardPolicy.NEW).build());
        append(byCount, "foo", "");
        StoreException tooMany = assertThrows(StoreException.class, () -> append(byCount, "foo", ""),
                "expected max_msgs to refuse");
        assertEquals("maximum messages exceeded", tooMany.getMessage(), "expected Go's ErrMaxMsgs text");
        assertEquals(1, byCount.state().messages(), "expected the refused message not stored");
        byCount.storeRaw("foo", new byte[0], new byte[0], 0, 1, 0, false);
        assertEquals(2, byCount.state().messages(),
                "expected a raw store without the discard-new check accepted and nothing dropped (Go)");

        long size = messageSize("foo", 0, 0);
        StreamStore byBytes = open(StreamConfig.builder("TEST").maxBytes(size).discard(DiscardPolicy.NEW).build());
        append(byBytes, "foo", "");
        StoreException tooBig = assertThrows(StoreException.class, () -> append(byBytes, "foo", ""),
                "expected max_bytes to refuse");
        assertEquals("maximum bytes exceeded", tooBig.getMessage(), "expected Go's ErrMaxBytes text");

        StreamStore perSubject = open(StreamConfig.builder("TEST").maxMessagesPerSubject(1)
                .discard(DiscardPolicy.NEW).discardNewPerSubject(true).build());
        append(perSubject, "foo", "");
        StoreException subjectFull = assertThrows(StoreException.class, () -> append(perSubject, "foo", ""),
                "expected the per-subject limit to refuse");
        assertEquals("maximum messages per subject exceeded", subjectFull.getMessage(),
                "expected Go's ErrMaxMsgsPerSubject text");
        append(perSubject, "bar", "");
        perSubject.append("foo", bytes("NATS/1.0\r\nNats-Rollup: sub\r\n\r\n"), new byte[0], 0);
        assertEquals(2, perSubject.state().messages(), "expected a rollup let through, replacing the old one");
    }

    @Test
    void discardNewAtSubjectLimitReplacesWithoutPerSubjectDiscard() {
        // TestStoreDiscardNew/MaxMsgsPer_MaxMsgs: the subject's oldest makes room for the new one.
        StreamStore store = open(StreamConfig.builder("TEST").maxMessages(1).maxMessagesPerSubject(1)
                .discard(DiscardPolicy.NEW).build());
        append(store, "foo", "1");
        append(store, "foo", "2");
        StreamState state = store.state();
        assertEquals(1, state.messages(), "expected one message");
        assertEquals(2, state.firstSequence(), "expected the new message to replace the old");
    }

    @Test
    void maxMessageSizeRefusesLargerMessages() {
        StreamStore store = open(StreamConfig.builder("TEST").maxMessageSize(10).build());
        store.append("a", new byte[0], new byte[10], 0);
        StoreException large = assertThrows(StoreException.class,
                () -> store.append("a", new byte[4], new byte[7], 0), "expected headers + payload over 10 refused");
        assertEquals("message size exceeds maximum allowed", large.getMessage(), "expected Go's text");
        assertEquals(StoreException.Kind.MSG_TOO_LARGE, large.kind(), "expected MSG_TOO_LARGE");
    }

    @Test
    void updateConfigAppliesLowerLimits() {
        // TestStoreMaxMsgsPerUpdateBug.
        StreamConfig config = StreamConfig.builder("TEST").build();
        StreamStore store = open(config);
        for (int i = 0; i < 5; i++) {
            append(store, "foo", "m" + i);
        }
        store.updateConfig(config.toBuilder().maxMessagesPerSubject(1).build());
        StreamState state = store.state();
        assertEquals(1, state.messages(), "expected the per-subject limit applied at once");
        assertEquals(5, state.firstSequence(), "expected the newest kept");
        for (int i = 0; i < 4; i++) {
            append(store, "bar" + i, "x");
        }
        store.updateConfig(config.toBuilder().maxMessagesPerSubject(1).maxMessages(2).build());
        assertEquals(2, store.state().messages(), "expected max_msgs applied at once");
    }

    // --- expiry -------------------------------------------------------------------------------------------

    @Test
    void maxAgeExpiresOldMessages() throws InterruptedException {
        StreamStore store = open(StreamConfig.builder("TEST").maxAge(Duration.ofMillis(200)).build());
        append(store, "a", "old");
        store.append("a", new byte[0], bytes("forever"), -1);
        Thread.sleep(100);
        append(store, "a", "newer");
        waitFor(() -> store.state().messages() == 2, "the first message to expire by max_age");
        assertEquals(Optional.empty(), store.load(1), "expected the old message gone");
        assertTrue(store.load(2).isPresent(), "expected a message with TTL 'never' to outlive max_age");
        waitFor(() -> store.state().messages() == 1, "the newer message to expire too");
        assertTrue(store.load(2).isPresent(), "expected the never-expiring message kept");
    }

    @Test
    void perMessageTtlExpiresWhenAllowed() throws InterruptedException {
        StreamStore store = open(StreamConfig.builder("TEST").allowMessageTtl(true).build());
        List<RemovalReason> reasons = new CopyOnWriteArrayList<>();
        store.addListener(new StoreListener() {
            @Override
            public void removed(long sequence, String subject, long size, RemovalReason reason) {
                reasons.add(reason);
            }
        });
        store.append("a", new byte[0], bytes("short"), 1);
        append(store, "a", "kept");
        assertTrue(store.load(1).isPresent(), "expected the message before its TTL");
        waitFor(() -> store.load(1).isEmpty(), "the message to expire after its 1 s TTL");
        assertTrue(store.load(2).isPresent(), "expected a message without TTL kept");
        assertEquals(List.of(RemovalReason.TTL), reasons, "expected one removal for TTL");

        StreamStore disabled = open(StreamConfig.builder("OFF").build());
        disabled.append("a", new byte[0], bytes("ttl ignored"), 1);
        Thread.sleep(1300);
        assertTrue(disabled.load(1).isPresent(), "expected a TTL ignored when the stream does not allow TTLs");
        disabled.updateConfig(disabled.config().toBuilder().allowMessageTtl(true).build());
        waitFor(() -> disabled.load(1).isEmpty(), "the TTL to apply once the stream allows TTLs");
    }

    protected static void waitFor(java.util.function.BooleanSupplier condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    // --- filters and lookups ------------------------------------------------------------------------------

    private StreamStore filled() {
        StreamStore store = open();
        append(store, "orders.new", "1");      // 1
        append(store, "orders.paid", "2");     // 2
        append(store, "events.a.b", "3");      // 3
        append(store, "orders.new", "4");      // 4
        append(store, "events.c", "5");        // 5
        append(store, "other", "6");           // 6
        append(store, "orders.new.x", "7");    // 7
        return store;
    }

    @Test
    void loadNextMatchesLiteralWildcardAndSeveralFilters() {
        StreamStore store = filled();
        assertEquals(4, store.loadNext(SubjectFilter.of("orders.new"), 2).orElseThrow().sequence(),
                "expected the next orders.new from 2");
        assertEquals(2, store.loadNext(SubjectFilter.of("orders.*"), 2).orElseThrow().sequence(),
                "expected orders.* to match orders.paid");
        assertEquals(7, store.loadNext(SubjectFilter.of("orders.>"), 5).orElseThrow().sequence(),
                "expected orders.> to match a deeper subject");
        assertEquals(3, store.loadNext(SubjectFilter.of("other", "events.>"), 0).orElseThrow().sequence(),
                "expected the first match of either filter");
        assertEquals(6, store.loadNext(SubjectFilter.of("other", "events.>"), 6).orElseThrow().sequence(),
                "expected the second filter to match later");
        assertEquals(Optional.empty(), store.loadNext(SubjectFilter.of("orders.*"), 5),
                "expected no orders.* after 4");
        assertEquals(Optional.empty(), store.loadNext(SubjectFilter.of("nothing"), 0), "expected no match");
        assertEquals(1, store.loadNext(SubjectFilter.ALL, 0).orElseThrow().sequence(), "expected the first message");
        store.remove(4);
        assertEquals(Optional.empty(), store.loadNext(SubjectFilter.of("orders.new"), 2),
                "expected removed messages skipped");
    }

    @Test
    void loadNextFindsSparseWildcardMatchesFarAhead() {
        StreamStore store = open();
        append(store, "rare.a", "first");
        for (int i = 0; i < 2000; i++) {
            append(store, "busy." + (i % 7), "x");
        }
        long far = append(store, "rare.b", "far");
        assertEquals(far, store.loadNext(SubjectFilter.of("rare.*"), 2).orElseThrow().sequence(),
                "expected a wildcard match far beyond the linear scan");
        assertEquals(1, store.loadPrevious(SubjectFilter.of("rare.*"), far - 1).orElseThrow().sequence(),
                "expected the previous wildcard match far behind");
    }

    @Test
    void loadPreviousAndLastBySubject() {
        StreamStore store = filled();
        assertEquals(4, store.loadPrevious(SubjectFilter.of("orders.new"), 6).orElseThrow().sequence(),
                "expected the previous orders.new at or before 6");
        assertEquals(5, store.loadPrevious(SubjectFilter.of("events.>"), 100).orElseThrow().sequence(),
                "expected the last events.> at or before the end");
        assertEquals(Optional.empty(), store.loadPrevious(SubjectFilter.of("events.>"), 2),
                "expected no events.> before 3");
        assertEquals(4, store.loadLast("orders.new").orElseThrow().sequence(), "expected the last orders.new");
        assertEquals(4, store.loadLast("orders.*").orElseThrow().sequence(), "expected the last orders.*");
        assertEquals(7, store.loadLast(">").orElseThrow().sequence(), "expected the stream's last message");
        assertEquals(Optional.empty(), store.loadLast("missing"), "expected nothing for an unknown subject");
        store.remove(4);
        assertEquals(1, store.loadLast("orders.new").orElseThrow().sequence(),
                "expected the last orders.new after removing the newest");
        assertEquals(Optional.of("events.c"), store.subjectOf(5), "expected the subject of sequence 5");
        assertEquals(Optional.empty(), store.subjectOf(4), "expected no subject for a removed sequence");
    }

    @Test
    void filteredStateAndSubjectStates() {
        StreamStore store = filled();
        assertEquals(new SimpleState(2, 1, 4), store.filteredState(0, SubjectFilter.of("orders.new")),
                "expected orders.new: 2 messages, 1..4");
        assertEquals(new SimpleState(1, 4, 4), store.filteredState(2, SubjectFilter.of("orders.new")),
                "expected orders.new from 2: one message");
        assertEquals(new SimpleState(3, 1, 4), store.filteredState(1, SubjectFilter.of("orders.*")),
                "expected orders.*: 3 messages");
        assertEquals(new SimpleState(7, 1, 7), store.filteredState(1, SubjectFilter.ALL), "expected everything");
        assertEquals(new SimpleState(3, 5, 7), store.filteredState(5, SubjectFilter.ALL), "expected 5..7");
        assertEquals(SimpleState.EMPTY, store.filteredState(8, SubjectFilter.ALL), "expected nothing past the end");

        Map<String, SimpleState> orders = store.subjectsState("orders.*");
        assertEquals(Map.of("orders.new", new SimpleState(2, 1, 4), "orders.paid", new SimpleState(1, 2, 2)),
                orders, "expected per-subject states of orders.*");
        assertEquals(6, store.subjectsState("").size(), "expected every subject for an empty filter");
        assertEquals(Map.of("events.a.b", 1L, "events.c", 1L), store.subjectsTotals("events.>"),
                "expected per-subject totals of events.>");
        assertEquals(6, store.state().numSubjects(), "expected 6 distinct subjects");
    }

    @Test
    void numPendingCountsMessagesOrLastPerSubject() {
        StreamStore store = filled();
        append(store, "orders.paid", "8");
        assertEquals(new NumPending(8, 8), store.numPending(1, SubjectFilter.ALL, false), "expected all 8 pending");
        assertEquals(4, store.numPending(1, SubjectFilter.of("orders.*"), false).total(),
                "expected 4 orders.* messages");
        assertEquals(2, store.numPending(3, SubjectFilter.of("orders.*"), false).total(),
                "expected 2 orders.* from 3");
        assertEquals(2, store.numPending(1, SubjectFilter.of("orders.*"), true).total(),
                "expected 2 orders.* subjects with a last message");
        assertEquals(1, store.numPending(5, SubjectFilter.of("orders.*"), true).total(),
                "expected only orders.paid's last at or after 5");
        assertEquals(3, store.numPending(1, SubjectFilter.of("orders.new", "events.c"), false).total(),
                "expected several filters summed");
        assertEquals(0, store.numPending(9, SubjectFilter.ALL, false).total(), "expected nothing past the end");
    }

    @Test
    void lastSequencesPerSubject() {
        StreamStore store = filled();
        assertEquals(List.of(2L, 4L, 7L), store.lastSequences(SubjectFilter.of("orders.>"), 0, 0),
                "expected the last of each orders subject, ascending");
        assertEquals(List.of(1L, 2L), store.lastSequences(SubjectFilter.of("orders.>"), 3, 0),
                "expected the last of each subject up to 3");
        StoreException tooMany = assertThrows(StoreException.class,
                () -> store.lastSequences(SubjectFilter.ALL, 0, 2), "expected more than 2 results refused");
        assertEquals("too many matching results for request", tooMany.getMessage(), "expected Go's text");
    }

    @Test
    void sequenceAtFindsTheFirstMessageAtOrAfterATime() {
        StreamStore store = open();
        for (long i = 1; i <= 10; i++) {
            store.storeRaw("a", new byte[0], new byte[0], i, i * 1000, 0, false);
        }
        store.remove(5);
        store.remove(6);
        assertEquals(1, store.sequenceAt(Instant.ofEpochSecond(0, 10)), "expected the first before all");
        assertEquals(3, store.sequenceAt(Instant.ofEpochSecond(0, 3000)), "expected an exact match");
        assertEquals(4, store.sequenceAt(Instant.ofEpochSecond(0, 3500)), "expected the next after a time");
        assertEquals(7, store.sequenceAt(Instant.ofEpochSecond(0, 4500)), "expected interior deletes skipped");
        assertEquals(11, store.sequenceAt(Instant.ofEpochSecond(0, 20_000)), "expected last + 1 after all");
    }

    // --- purge, compact, truncate -------------------------------------------------------------------------

    @Test
    void purgeAllKeepsCountingSequences() {
        StreamStore store = filled();
        assertEquals(7, store.purge(), "expected 7 purged");
        StreamState state = store.state();
        assertEquals(0, state.messages(), "expected no messages");
        assertEquals(8, state.firstSequence(), "expected first_seq past the purged messages");
        assertEquals(7, state.lastSequence(), "expected last_seq kept");
        assertEquals(0, state.bytes(), "expected no bytes");
        assertEquals(8, append(store, "a", "x"), "expected sequences to continue");
        assertEquals(0, store.purge("", 0, 0) - 1, "expected PurgeEx with nothing set to purge all (1 message)");
    }

    @Test
    void purgeBySubjectSequenceAndKeep() {
        StreamStore store = filled();
        assertEquals(0, store.purge("orders.new", 1, 0), "expected 'below sequence 1' to purge nothing (Go)");
        assertEquals(2, store.purge("orders.new", 0, 0), "expected both orders.new purged");
        assertEquals(5, store.state().messages(), "expected 5 left");
        assertEquals(Optional.empty(), store.loadLast("orders.new"), "expected no orders.new left");

        StreamStore keep = filled();
        append(keep, "orders.paid", "8");
        append(keep, "orders.paid", "9");
        assertEquals(2, keep.purge("orders.paid", 0, 1), "expected all but the newest orders.paid purged");
        assertEquals(new SimpleState(1, 9, 9), keep.subjectsState("orders.paid").get("orders.paid"),
                "expected the newest orders.paid kept");

        StreamStore below = filled();
        assertEquals(2, below.purge("orders.*", 3, 0), "expected orders.* below 3 (orders.new 1, orders.paid 2)");
        assertEquals(new SimpleState(1, 4, 4), below.filteredState(0, SubjectFilter.of("orders.*")),
                "expected orders.new 4 kept");
    }

    @Test
    void purgeBelowSequenceWithEmptySubjectCompacts() {
        StreamStore store = filled();
        assertEquals(3, store.purge("", 4, 0), "expected everything below 4 purged");
        assertEquals(4, store.state().firstSequence(), "expected first_seq 4");
    }

    @Test
    void purgeKeepWithInteriorDeletes() {
        // TestStorePurgeExKeepWithInteriorDeletes.
        StreamStore store = open();
        for (int i = 0; i < 50; i++) {
            append(store, "foo", "x");
        }
        for (long seq = 2; seq <= 50; seq += 2) {
            store.remove(seq);
        }
        assertEquals(20, store.purge("", 0, 5), "expected all but the 5 newest purged");
        StreamState state = store.state();
        assertEquals(5, state.messages(), "expected 5 kept");
        assertEquals(41, state.firstSequence(), "expected first_seq 41");
        assertEquals(50, state.lastSequence(), "expected last_seq 50");
    }

    @Test
    void compactRemovesBelowAndCanMoveBeyondTheEnd() {
        StreamStore store = filled();
        assertEquals(3, store.compact(4), "expected 3 messages below 4 removed");
        assertEquals(4, store.state().firstSequence(), "expected first_seq 4");
        assertEquals(0, store.compact(2), "expected compacting below the first to do nothing");
        assertEquals(4, store.compact(100), "expected the rest removed");
        StreamState state = store.state();
        assertEquals(100, state.firstSequence(), "expected first_seq 100");
        assertEquals(99, state.lastSequence(), "expected last_seq 99");
        assertEquals(100, append(store, "a", "x"), "expected the next message under 100");
    }

    @Test
    void truncateRemovesAboveAndResets() {
        StreamStore store = filled();
        store.truncate(4);
        StreamState state = store.state();
        assertEquals(4, state.messages(), "expected 4 messages kept");
        assertEquals(4, state.lastSequence(), "expected last_seq 4");
        assertEquals(store.load(4).orElseThrow().timestamp(), state.lastTimestamp(), "expected last_ts of 4");
        assertEquals(Optional.empty(), store.loadLast("events.c"), "expected events.c truncated away");
        assertEquals(5, append(store, "a", "new"), "expected sequence 5 to be used again after truncate");
        assertEquals("new", payloadOf(store, 5), "expected the new message under 5");
        store.truncate(0);
        state = store.state();
        assertEquals(0, state.messages(), "expected no messages after truncate(0)");
        assertEquals(0, state.lastSequence(), "expected last_seq 0 after a reset");
        assertEquals(1, append(store, "a", "x"), "expected a reset stream to start at 1");
    }

    // --- state --------------------------------------------------------------------------------------------

    @Test
    void fastStateMatchesFullStateWithoutTheList() {
        StreamStore store = filled();
        store.remove(3);
        StreamState full = store.state();
        StreamState fast = store.fastState();
        assertEquals(full.messages(), fast.messages(), "expected the same message count");
        assertEquals(full.bytes(), fast.bytes(), "expected the same bytes");
        assertEquals(full.numDeleted(), fast.numDeleted(), "expected the same deleted count");
        assertEquals(0, fast.deleted().length, "expected no deleted list in a fast state");
        assertEquals(1, full.deleted().length, "expected the deleted list in a full state");
        assertEquals(full.firstTimestamp(), store.load(1).orElseThrow().timestamp(), "expected first_ts");
        assertEquals(full.lastTimestamp(), store.load(7).orElseThrow().timestamp(), "expected last_ts");
    }

    // --- listeners and durability --------------------------------------------------------------------------

    @Test
    void listenersHearStoresRemovalsAndPurges() {
        StreamStore store = open(StreamConfig.builder("TEST").maxMessages(2).build());
        List<String> events = new CopyOnWriteArrayList<>();
        store.addListener(new StoreListener() {
            @Override
            public void stored(long sequence, String subject, long size) {
                events.add("stored " + sequence + " " + subject);
            }

            @Override
            public void removed(long sequence, String subject, long size, RemovalReason reason) {
                events.add("removed " + sequence + " " + reason);
            }

            @Override
            public void purged(long messages, long bytes) {
                events.add("purged " + messages);
            }
        });
        append(store, "a", "1");
        append(store, "b", "2");
        append(store, "c", "3");
        store.remove(3);
        store.purge();
        assertEquals(List.of("stored 1 a", "stored 2 b", "stored 3 c", "removed 1 LIMITS", "removed 3 REMOVED",
                "purged 1"), events, "expected each change told once, in order");
    }

    @Test
    void durabilityListenerIsToldAndSyncWaits() throws InterruptedException {
        StreamStore store = open();
        AtomicLong durable = new AtomicLong();
        store.setDurabilityListener(durable::set);
        long last = 0;
        for (int i = 0; i < 100; i++) {
            last = append(store, "a", "m" + i);
        }
        store.sync();
        assertTrue(store.durableSequence() >= last, "expected everything durable after sync()");
        long expected = last;
        waitFor(() -> durable.get() >= expected, "the listener to be told durable through " + last);
    }

    @Test
    void closedStoreRefusesWork() {
        StreamStore store = open();
        append(store, "a", "x");
        store.close();
        StoreException closed = assertThrows(StoreException.class, () -> append(store, "a", "y"),
                "expected appends to a closed store refused");
        assertEquals("store is closed", closed.getMessage(), "expected Go's ErrStoreClosed text");
        assertThrows(StoreException.class, () -> store.load(1), "expected reads of a closed store refused");
    }

    // --- consumers, metadata, snapshots ---------------------------------------------------------------------

    @Test
    void consumerStateFollowsDeliveriesAndExplicitAcks() {
        StreamStore store = open();
        ConsumerStore consumer = store.consumer("C", new ConsumerConfig(AckPolicy.EXPLICIT, -1));
        assertFalse(consumer.hasState(), "expected no state at first");
        consumer.updateDelivered(1, 10, 1, 100);
        consumer.updateDelivered(2, 11, 1, 200);
        consumer.updateDelivered(3, 12, 1, 300);
        ConsumerState state = consumer.state();
        assertEquals(new SequencePair(3, 12), state.delivered(), "expected delivered 3/12");
        assertEquals(SequencePair.ZERO, state.ackFloor(), "expected no ack floor yet");
        assertEquals(3, state.pending().size(), "expected 3 pending");
        consumer.updateAcks(2, 11);
        assertEquals(SequencePair.ZERO, consumer.state().ackFloor(), "expected the floor to wait for 1");
        consumer.updateAcks(1, 10);
        assertEquals(new SequencePair(2, 11), consumer.state().ackFloor(), "expected the floor to move over 1, 2");
        consumer.updateDelivered(4, 12, 2, 400);
        state = consumer.state();
        assertEquals(Map.of(12L, 1L), state.redelivered(), "expected 12 redelivered once");
        assertEquals(3, state.pending().get(12L).consumerSequence(), "expected the original delivery kept");
        assertEquals(400, state.pending().get(12L).timestamp(), "expected the new delivery time");
        consumer.updateAcks(4, 12);
        state = consumer.state();
        assertEquals(new SequencePair(4, 12), state.ackFloor(), "expected everything acked");
        assertTrue(state.pending().isEmpty(), "expected nothing pending");
        assertTrue(state.redelivered().isEmpty(), "expected no redelivery left");
        StoreException notPending = assertThrows(StoreException.class, () -> consumer.updateAcks(9, 50),
                "expected an ack of an unknown message refused");
        assertEquals(StoreException.Kind.NOT_FOUND, notPending.kind(), "expected NOT_FOUND");
        assertEquals(List.of("C"), store.consumerNames(), "expected the consumer listed");
        assertEquals(1, store.state().consumers(), "expected the consumer counted in the state");
    }

    @Test
    void consumerAckAllAndAckNone() {
        StreamStore store = open();
        ConsumerStore all = store.consumer("ALL", new ConsumerConfig(AckPolicy.ALL, -1));
        for (int i = 1; i <= 5; i++) {
            all.updateDelivered(i, i + 100, 1, i);
        }
        all.updateAcks(3, 103);
        ConsumerState state = all.state();
        assertEquals(new SequencePair(3, 103), state.ackFloor(), "expected ack all to move the floor to 3");
        assertEquals(List.of(104L, 105L), List.copyOf(state.pending().keySet()), "expected 4 and 5 pending");

        ConsumerStore none = store.consumer("NONE", new ConsumerConfig(AckPolicy.NONE, -1));
        none.updateDelivered(1, 7, 1, 1);
        assertEquals(new SequencePair(1, 7), none.state().ackFloor(), "expected delivered to count as acked");
        StoreException noAck = assertThrows(StoreException.class, () -> none.updateAcks(1, 7),
                "expected acks refused with ack policy none");
        assertEquals("ack policy is none", noAck.getMessage(), "expected Go's ErrNoAckPolicy text");
        assertThrows(StoreException.class, () -> none.updateDelivered(2, 8, 2, 2),
                "expected a redelivery refused with ack policy none");
    }

    @Test
    void consumerStateUpdateRefusesOlderState() {
        StreamStore store = open();
        ConsumerStore consumer = store.consumer("C", new ConsumerConfig(AckPolicy.EXPLICIT, -1));
        ConsumerState newer = new ConsumerState(new SequencePair(5, 50), new SequencePair(3, 30),
                Map.of(40L, new PendingDelivery(4, 1), 50L, new PendingDelivery(5, 2)), Map.of(40L, 1L));
        consumer.update(newer);
        assertEquals(newer, consumer.state(), "expected the state replaced");
        ConsumerState older = new ConsumerState(new SequencePair(4, 40), new SequencePair(2, 20), Map.of(), Map.of());
        StoreException old = assertThrows(StoreException.class, () -> consumer.update(older),
                "expected an older state refused");
        assertEquals("old update ignored", old.getMessage(), "expected Go's ErrStoreOldUpdate text");
        consumer.forceUpdate(older);
        assertEquals(older, consumer.state(), "expected a forced update to apply");
        ConsumerState bad = new ConsumerState(new SequencePair(1, 1), new SequencePair(2, 2), Map.of(), Map.of());
        assertEquals("bad ack floor for consumer",
                assertThrows(StoreException.class, () -> consumer.update(bad), "expected a bad floor refused")
                        .getMessage(), "expected Go's text");
    }

    @Test
    void metadataIsStoredAsGiven() {
        StreamStore store = open();
        assertEquals(Optional.empty(), store.metadata(), "expected no metadata at first");
        store.writeMetadata(bytes("{\"name\":\"TEST\"}"));
        assertEquals("{\"name\":\"TEST\"}", new String(store.metadata().orElseThrow(), UTF_8),
                "expected the metadata back");
        ConsumerStore consumer = store.consumer("C", new ConsumerConfig(AckPolicy.EXPLICIT, -1));
        consumer.writeMetadata(bytes("consumer config"));
        assertEquals("consumer config", new String(consumer.metadata().orElseThrow(), UTF_8),
                "expected the consumer's metadata back");
    }

    @Test
    void snapshotRestoresMessagesGapsTtlsAndConsumers() {
        StreamConfig config = StreamConfig.builder("TEST").allowMessageTtl(true).build();
        StreamStore store = open(config);
        append(store, "a", "1");
        store.append("b", bytes("NATS/1.0\r\nK: v\r\n\r\n"), bytes("2"), 3600);
        append(store, "c", "3");
        store.remove(2);
        store.skip(4, 3);
        append(store, "d", "7");
        store.compact(1);
        store.writeMetadata(bytes("meta"));
        ConsumerStore consumer = store.consumer("C", new ConsumerConfig(AckPolicy.EXPLICIT, 5));
        consumer.updateDelivered(1, 1, 1, 11);
        consumer.updateDelivered(2, 3, 1, 22);
        consumer.updateAcks(1, 1);
        consumer.writeMetadata(bytes("cmeta"));

        byte[] snapshot = readAll(store.snapshot(true));
        StreamStore restored = track(restore(config, new ByteArrayInputStream(snapshot)));
        StreamState original = store.state();
        StreamState copy = restored.state();
        assertEquals(original.messages(), copy.messages(), "expected the same messages");
        assertEquals(original.firstSequence(), copy.firstSequence(), "expected the same first sequence");
        assertEquals(original.lastSequence(), copy.lastSequence(), "expected the same last sequence");
        assertArrayEquals(original.deleted(), copy.deleted(), "expected the same deleted sequences");
        assertEquals(original.bytes(), copy.bytes(), "expected the same bytes");
        for (long seq : new long[] {1, 3, 7}) {
            StoredMessage a = store.load(seq).orElseThrow();
            StoredMessage b = restored.load(seq).orElseThrow();
            assertEquals(a.subject(), b.subject(), "expected the subject of " + seq);
            assertArrayEquals(a.payload(), b.payload(), "expected the payload of " + seq);
            assertEquals(a.timestamp(), b.timestamp(), "expected the timestamp of " + seq);
        }
        assertEquals("meta", new String(restored.metadata().orElseThrow(), UTF_8), "expected the metadata");
        ConsumerStore restoredConsumer = restored.consumer("C", new ConsumerConfig(AckPolicy.EXPLICIT, 5));
        assertEquals(consumer.state(), restoredConsumer.state(), "expected the consumer state");
        assertEquals("cmeta", new String(restoredConsumer.metadata().orElseThrow(), UTF_8),
                "expected the consumer metadata");
    }

    @Test
    void damagedOrTruncatedSnapshotIsRefused() {
        StreamStore store = filled();
        byte[] snapshot = readAll(store.snapshot(false));
        byte[] truncated = java.util.Arrays.copyOf(snapshot, snapshot.length - 7);
        StoreException cut = assertThrows(StoreException.class,
                () -> track(restore(store.config(), new ByteArrayInputStream(truncated))),
                "expected a truncated snapshot refused");
        assertEquals(StoreException.Kind.CORRUPT, cut.kind(), "expected CORRUPT for a truncated snapshot");
        byte[] flipped = snapshot.clone();
        flipped[snapshot.length / 2] ^= 0x10;
        StoreException bit = assertThrows(StoreException.class,
                () -> track(restore(store.config(), new ByteArrayInputStream(flipped))),
                "expected a damaged snapshot refused");
        assertEquals(StoreException.Kind.CORRUPT, bit.kind(), "expected CORRUPT for a flipped bit");
    }

    protected static byte[] readAll(InputStream in) {
        try (in; ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- threads ------------------------------------------------------------------------------------------

    @Test
    void readersRunConcurrentlyWithTheWriter() throws Exception {
        StreamStore store = open(StreamConfig.builder("TEST").maxMessages(500).build());
        int total = 5000;
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Thread writer = Thread.ofPlatform().start(() -> {
            for (int i = 1; i <= total; i++) {
                store.append("s." + (i % 10), new byte[0], bytes("m" + i), 0);
            }
        });
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            readers.add(Thread.ofPlatform().start(() -> {
                try {
                    while (writer.isAlive()) {
                        StreamState state = store.fastState();
                        long seq = state.lastSequence();
                        store.load(seq).ifPresent(m -> assertEquals("m" + m.sequence(),
                                new String(m.payload(), UTF_8), "expected each message's own payload"));
                        store.loadNext(SubjectFilter.of("s.3"), state.firstSequence()).ifPresent(
                                m -> assertEquals("s.3", m.subject(), "expected a matching subject"));
                        store.numPending(state.firstSequence(), SubjectFilter.of("s.*"), false);
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        writer.join();
        for (Thread reader : readers) {
            reader.join();
        }
        assertEquals(List.of(), failures, "expected readers to see consistent messages");
        assertEquals(500, store.state().messages(), "expected max_msgs kept");
        assertNotEquals(0, store.state().lastSequence(), "expected messages stored");
    }
}
