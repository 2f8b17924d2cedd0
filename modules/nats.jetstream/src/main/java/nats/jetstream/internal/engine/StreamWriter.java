package nats.jetstream.internal.engine;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import nats.jetstream.internal.model.ApiError;
import nats.jetstream.internal.model.JsErrors;
import nats.jetstream.internal.model.Policies.Retention;
import nats.jetstream.internal.model.Republish;
import nats.jetstream.internal.model.StreamSettings;
import nats.jetstream.store.AppendResult;
import nats.jetstream.store.StoreException;
import nats.jetstream.store.StoredMessage;
import nats.jetstream.store.StreamStore;
import nats.transport.config.GoDuration;

/**
 * Stores one published message the way Go's {@code processJetStreamMsg} does, in its order of checks: sealed,
 * expected stream, duplicate id, expected last subject sequence, expected last sequence, expected last id,
 * rollup, size, resource limits, interest; then the append, dedupe bookkeeping, rollup purge, republish and
 * the ack. Runs on the stream's writer thread under its write lock.
 */
final class StreamWriter {

    static final byte[] NO_BYTES = new byte[0];

    private final Stream stream;
    private final StreamIngest ingest;
    private final Dedupe dedupe;
    private String lastMsgId = "";
    private boolean dedupeLoaded;
    /** A clustered stream's leader-assigned timestamp for the message being stored (0: the store's clock). */
    private long replicatedTimestamp;

    StreamWriter(Stream stream, StreamIngest ingest) {
        this.stream = stream;
        this.ingest = ingest;
        this.dedupe = new Dedupe(stream.config().duplicateWindow);
    }

    void configChanged(StreamSettings cfg) {
        dedupe.window(cfg.duplicateWindow);
    }

    /** After a purge or restart: ids are read back from the messages within the window when next needed. */
    void resetDedupe() {
        dedupe.clear();
        dedupeLoaded = false;
    }

    /** Stores a message of a clustered stream's log at the timestamp its leader gave it (under the write lock). */
    void storeReplicated(StreamIngest.Inbound received, long timestampNanos) {
        replicatedTimestamp = timestampNanos;
        try {
            store(received);
        } finally {
            replicatedTimestamp = 0;
        }
    }

    void store(StreamIngest.Inbound received) {
        if (received.trace() == null) {
            storeChecked(received);
            return;
        }
        traceError = null;
        traceSubject = null;
        traceNoInterest = false;
        try {
            storeChecked(received);
        } finally {
            received.trace().completed(traceSubject, traceNoInterest, traceError);
        }
    }

    /** What a traced message's JetStream entry reports (Go's processJetStreamMsg), set as it is checked. */
    private String traceError;
    private String traceSubject;
    private boolean traceNoInterest;

    private void storeChecked(StreamIngest.Inbound received) {
        StreamSettings cfg = stream.config();
        // A stream's subject_transform (2.10) maps the subject before anything else looks at it.
        SubjectTransform input = stream.inputTransform();
        String mapped = input == null ? null : input.apply(received.subject());
        StreamIngest.Inbound m = mapped == null ? received : received.withSubject(mapped);
        byte[] reply = cfg.noAck ? null : m.reply();
        if (cfg.sealed) {
            fail(reply, ApiError.of(JsErrors.STREAM_SEALED));
            return;
        }
        byte[] hdr = m.headers();
        StreamStore store = stream.store();
        String msgId = "";
        boolean rollupSubject = false;
        boolean rollupAll = false;
        long ttl = 0;
        if (hdr.length > 0) {
            hdr = Headers.remove(hdr, Headers.CLIENT_INFO);
        }
        if (hdr.length > 0 && Headers.mayHaveJetStreamHeaders(hdr, 0, hdr.length)) {
            loadDedupe();
            String expectedStream = Headers.get(hdr, Headers.EXPECTED_STREAM);
            if (expectedStream != null && !expectedStream.isEmpty() && !expectedStream.equals(cfg.name)) {
                fail(reply, ApiError.of(JsErrors.STREAM_NOT_MATCH));
                return;
            }
            String id = Headers.get(hdr, Headers.MSG_ID);
            if (id != null && !id.isEmpty()) {
                msgId = id;
                long dup = dedupe.find(id, System.currentTimeMillis() * 1_000_000L);
                if (dup > 0) {
                    traceError = "msgid is duplicate";
                    if (reply != null) {
                        ingest.ackWhenDurable(dup, reply, true);
                    }
                    return;
                }
            }
            String lastSubjectSeq = Headers.get(hdr, Headers.EXPECTED_LAST_SUBJECT_SEQ);
            if (lastSubjectSeq != null) {
                long expected = parseSequence(lastSubjectSeq);
                String onSubject = Headers.get(hdr, Headers.EXPECTED_LAST_SUBJECT_SEQ_SUBJECT);
                String subject = onSubject == null || onSubject.isEmpty() ? m.subject() : onSubject;
                long found = store.loadLast(subject).map(StoredMessage::sequence).orElse(0L);
                if (expected < 0 || found != expected) {
                    fail(reply, ApiError.of(JsErrors.STREAM_WRONG_LAST_SEQUENCE, found));
                    traceError = "last sequence by subject mismatch: " + expected + " vs " + found;
                    return;
                }
            }
            String lastSeq = Headers.get(hdr, Headers.EXPECTED_LAST_SEQ);
            if (lastSeq != null) {
                long expected = parseSequence(lastSeq);
                long last = store.fastState().lastSequence();
                if (expected != last) {
                    fail(reply, ApiError.of(JsErrors.STREAM_WRONG_LAST_SEQUENCE, last));
                    traceError = "last sequence mismatch: " + expected + " vs " + last;
                    return;
                }
            }
            String lastId = Headers.get(hdr, Headers.EXPECTED_LAST_MSG_ID);
            if (lastId != null && !lastId.isEmpty() && !lastId.equals(lastMsgId)) {
                fail(reply, ApiError.of(JsErrors.STREAM_WRONG_LAST_MSG_ID, lastMsgId));
                traceError = "last msgid mismatch: \"" + lastId + "\" vs \"" + lastMsgId + "\"";
                return;
            }
            String rollup = Headers.get(hdr, Headers.ROLLUP);
            if (rollup != null && !rollup.isEmpty()) {
                if (!cfg.allowRollup || cfg.denyPurge) {
                    fail(reply, ApiError.of(JsErrors.STREAM_ROLLUP_FAILED, "rollup not permitted"));
                    traceError = "rollup not permitted";
                    return;
                }
                switch (rollup) {
                    case "sub" -> rollupSubject = true;
                    case "all" -> rollupAll = true;
                    default -> {
                        // Go drops the message without an answer.
                        traceError = "rollup value invalid: \"" + rollup + "\"";
                        return;
                    }
                }
            }
            String ttlText = Headers.get(hdr, Headers.TTL);
            if (ttlText != null) {
                if (!cfg.allowMsgTtl) {
                    fail(reply, ApiError.of(JsErrors.MESSAGE_TTL_DISABLED));
                    return;
                }
                ttl = parseTtl(ttlText);
                if (ttl == 0) {
                    fail(reply, ApiError.of(JsErrors.MESSAGE_TTL_INVALID));
                    return;
                }
            }
        }
        if (cfg.maxMsgSize >= 0 && hdr.length + m.payload().length > cfg.maxMsgSize) {
            fail(reply, ApiError.of(JsErrors.STREAM_MESSAGE_EXCEEDS_MAXIMUM));
            return;
        }
        if (hdr.length > 0xFFFF) {
            fail(reply, ApiError.of(JsErrors.STREAM_HEADER_EXCEEDS_MAXIMUM));
            return;
        }
        if (stream.account().js().limitsExceeded(cfg.storage)) {
            fail(reply, ApiError.of(JsErrors.INSUFFICIENT_RESOURCES));
            return;
        }
        boolean noInterest = cfg.retention == Retention.INTEREST && !stream.hasInterestIn(m.subject());
        traceSubject = m.subject();
        traceNoInterest = noInterest;
        if (m.traceOnly()) {
            // Go's Nats-Trace-Only: every check made, nothing stored, no ack.
            return;
        }
        if (noInterest) {
            long seq = store.skip();
            lastMsgId = msgId;
            if (!msgId.isEmpty()) {
                dedupe.record(msgId, seq, System.currentTimeMillis() * 1_000_000L);
            }
            if (reply != null) {
                ingest.ackWhenDurable(seq, reply, false);
            }
            return;
        }
        Republish republish = cfg.republish.orElse(null);
        String republishTo = null;
        long subjectLast = 0;
        if (republish != null) {
            republishTo = stream.republishTransform().apply(m.subject());
            if (republishTo != null) {
                subjectLast = store.loadLast(m.subject()).map(StoredMessage::sequence).orElse(0L);
            }
        }
        String oldMsgId = lastMsgId;
        lastMsgId = msgId;
        AppendResult stored;
        try {
            if (replicatedTimestamp > 0) {
                // Every replica stores the time the leader gave it (as Go), so all replicas hold the same message.
                long seq = store.fastState().lastSequence() + 1;
                store.storeRaw(m.subject(), hdr, m.payload(), seq, replicatedTimestamp, ttl, true);
                stored = new nats.jetstream.store.AppendResult(seq, replicatedTimestamp);
            } else {
                stored = store.append(m.subject(), hdr, m.payload(), ttl);
            }
        } catch (StoreException e) {
            lastMsgId = oldMsgId;
            fail(reply, ApiError.of(JsErrors.STREAM_STORE_FAILED, e.getMessage()));
            return;
        }
        if (stream.account().limitsExceeded(cfg.storage)) {
            lastMsgId = oldMsgId;
            store.remove(stored.sequence());
            fail(reply, ApiError.of(JsErrors.ACCOUNT_RESOURCES_EXCEEDED));
            return;
        }
        if (!msgId.isEmpty()) {
            dedupe.record(msgId, stored.sequence(), stored.timestamp());
        }
        if (rollupSubject) {
            stream.purgeLocked(m.subject(), 0, 1);
        } else if (rollupAll) {
            stream.purgeLocked("", 0, 1);
        }
        if (republishTo != null) {
            republish(cfg, republish, republishTo, m, hdr, stored.sequence(), subjectLast);
        }
        if (reply != null) {
            ingest.ackWhenDurable(stored.sequence(), reply, false);
        }
    }

    private void republish(StreamSettings cfg, Republish rp, String to, StreamIngest.Inbound m, byte[] hdr, long seq,
                           long subjectLast) {
        byte[] headers = hdr.length == 0 ? "NATS/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII) : hdr;
        headers = Headers.set(headers, Headers.STREAM, cfg.name);
        headers = Headers.set(headers, Headers.SUBJECT, m.subject());
        headers = Headers.set(headers, Headers.SEQUENCE, Long.toString(seq));
        headers = Headers.set(headers, Headers.LAST_SEQUENCE, Long.toString(subjectLast));
        byte[] payload = m.payload();
        if (rp.headersOnly()) {
            headers = Headers.set(headers, Headers.MSG_SIZE, Integer.toString(payload.length));
            payload = NO_BYTES;
        }
        ingest.publish(to.getBytes(StandardCharsets.UTF_8), headers, payload);
    }

    private void fail(byte[] reply, ApiError error) {
        // Go's ApiError text: "description (err_code)".
        traceError = error.description() + " (" + error.errCode() + ")";
        if (reply != null) {
            ingest.sendError(reply, error);
        }
    }

    /** Reads back the ids of messages within the duplicate window (Go's {@code rebuildDedupe}). */
    private void loadDedupe() {
        if (dedupeLoaded) {
            return;
        }
        dedupeLoaded = true;
        StreamSettings cfg = stream.config();
        if (cfg.duplicateWindow.isZero()) {
            return;
        }
        StreamStore store = stream.store();
        long last = store.fastState().lastSequence();
        long from = store.sequenceAt(java.time.Instant.now().minus(cfg.duplicateWindow));
        for (long seq = from; seq <= last; seq++) {
            var sm = store.load(seq);
            if (sm.isEmpty()) {
                continue;
            }
            String id = sm.get().headers().length == 0 ? null : Headers.get(sm.get().headers(), Headers.MSG_ID);
            if (id != null && !id.isEmpty()) {
                dedupe.record(id, seq, sm.get().timestamp());
            }
            if (seq == last) {
                lastMsgId = id == null ? "" : id;
            }
        }
    }

    private static long parseSequence(String text) {
        try {
            return Long.parseUnsignedLong(text.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Go's {@code parseMessageTTL}: "never", a duration ("1m") or seconds; 0 when invalid or below 1s. */
    static long parseTtl(String text) {
        String t = text.strip();
        if (t.equalsIgnoreCase("never")) {
            return -1;
        }
        long seconds;
        try {
            seconds = Long.parseLong(t);
        } catch (NumberFormatException e) {
            try {
                Duration d = GoDuration.parse(t);
                seconds = d.toSeconds();
            } catch (IllegalArgumentException bad) {
                return 0;
            }
        }
        return seconds < 1 ? 0 : seconds;
    }
}
