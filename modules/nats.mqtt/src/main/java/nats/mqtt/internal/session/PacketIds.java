package nats.mqtt.internal.session;

import java.util.HashMap;
import java.util.Map;

import nats.mqtt.internal.js.AckReply;

/**
 * The packet identifiers of one session's outgoing QoS 1 and 2 messages, as Go tracks them: a PUBLISH waits for
 * its PUBACK (or PUBREC), a PUBREL for its PUBCOMP; each remembers the JetStream ack subject of the delivery, and
 * a redelivery of the same stream message reuses its identifier (sent with DUP). Not thread-safe: the session's
 * monitor guards it.
 */
public final class PacketIds {

    private final PendingTable publishes = new PendingTable();
    private final PendingTable pubRels = new PendingTable();
    /** Durable name to stream sequence to packet identifier. */
    private final Map<String, SequenceIndex> bySequence = new HashMap<>();
    private int last;
    private int maxPending;

    PacketIds(int maxPending) {
        this.maxPending = maxPending;
    }

    /** A PUBLISH tracked this way is a duplicate when this flag is set in {@link #trackPublish}'s result. */
    public static final int DUP = 1 << 16;

    /**
     * A delivery of a stream message (Go's trackPublish): the identifier to send it with, {@code | DUP} when it
     * is a redelivery; 0 when it must not be sent now (too many pending, or its PUBREL is already under way).
     */
    public int trackPublish(String durable, byte[] ack, int ackOffset, int ackLength) {
        if (durable.isEmpty() || ackLength == 0) {
            return 0;
        }
        long both = AckReply.deliveriesAndSequence(ack, ackOffset, ackLength);
        long sseq = both & 0xFFFFFFFFFFFFL;
        boolean dup = (both >>> 48) > 1;
        SequenceIndex seqs = sequences(durable);
        int known = seqs.get(sseq);
        int pi;
        if (known != 0) {
            pi = known;
            if (pubRels.contains(pi)) {
                return 0;
            }
        } else {
            if (publishes.size() >= maxPending) {
                // Not sent; JetStream redelivers it after the ack wait.
                return 0;
            }
            pi = next();
            if (pi == 0) {
                return 0;
            }
            if (sseq != 0) {
                seqs.put(sseq, pi);
            }
        }
        byte[] ackCopy = new byte[ackLength];
        System.arraycopy(ack, ackOffset, ackCopy, 0, ackLength);
        publishes.put(pi, durable, sseq, ackCopy);
        return dup ? pi | DUP : pi;
    }

    /** A retained message sent with QoS 1 or 2 needs an identifier but has nothing to ack (Go's trackPublishRetained). */
    public int trackRetained() {
        int pi = next();
        if (pi != 0) {
            publishes.put(pi, "", 0, null);
        }
        return pi;
    }

    /** The PUBACK or PUBREC of a PUBLISH: returns the ack subject to ack, null when none. */
    public byte[] untrackPublish(int pi) {
        int slot = publishes.find(pi);
        if (slot < 0) {
            return null;
        }
        String durable = publishes.durable(slot);
        long sequence = publishes.sequence(slot);
        byte[] ack = publishes.ack(slot);
        publishes.removeAt(slot);
        if (publishes.isEmpty()) {
            last = 0;
        }
        if (!durable.isEmpty()) {
            SequenceIndex seqs = bySequence.get(durable);
            if (seqs != null) {
                seqs.remove(sequence);
            }
        }
        return ack;
    }

    /**
     * A PUBREC turned the identifier into a pending PUBREL (no ack subject yet), or the PUBREL marker was
     * delivered with its ack subject (Go's trackAsPubRel).
     */
    public void trackPubRel(int pi, String durable, byte[] ack, int ackOffset, int ackLength) {
        if (ackLength == 0) {
            pubRels.put(pi, durable, 0, null);
            return;
        }
        long sseq = AckReply.streamSequence(ack, ackOffset, ackLength);
        if (sseq != 0) {
            sequences(durable).put(sseq, pi);
        }
        byte[] ackCopy = new byte[ackLength];
        System.arraycopy(ack, ackOffset, ackCopy, 0, ackLength);
        pubRels.put(pi, durable, sseq, ackCopy);
    }

    /** The PUBCOMP of a PUBREL: returns the marker's ack subject, null when none. */
    public byte[] untrackPubRel(int pi) {
        int slot = pubRels.find(pi);
        if (slot < 0) {
            return null;
        }
        SequenceIndex seqs = bySequence.get(pubRels.durable(slot));
        if (seqs != null && pubRels.sequence(slot) != 0) {
            seqs.remove(pubRels.sequence(slot));
        }
        byte[] ack = pubRels.ack(slot);
        pubRels.removeAt(slot);
        return ack;
    }

    /** Forgets the identifiers of a consumer's messages (its subscription went away). */
    public void dropConsumer(String durable) {
        SequenceIndex seqs = bySequence.remove(durable);
        if (seqs != null) {
            seqs.forEachValue(publishes::remove);
            if (publishes.isEmpty()) {
                last = 0;
            }
        }
    }

    /** Go's max_ack_pending for the session, changed by a reload. */
    public void maxPending(int max) {
        maxPending = max;
    }

    void clear() {
        publishes.clear();
        pubRels.clear();
        bySequence.clear();
        last = 0;
    }

    private SequenceIndex sequences(String durable) {
        SequenceIndex seqs = bySequence.get(durable);
        if (seqs == null) {
            seqs = new SequenceIndex();
            bySequence.put(durable, seqs);
        }
        return seqs;
    }

    /** Go's bumpPI: the next identifier after the last one that is in use for neither a PUBLISH nor a PUBREL. */
    private int next() {
        int candidate = last;
        for (int i = 0; i < 0xFFFF; i++) {
            candidate = (candidate + 1) & 0xFFFF;
            if (candidate == 0) {
                candidate = 1;
            }
            if (!publishes.contains(candidate) && !pubRels.contains(candidate)) {
                last = candidate;
                return candidate;
            }
        }
        return 0;
    }
}
