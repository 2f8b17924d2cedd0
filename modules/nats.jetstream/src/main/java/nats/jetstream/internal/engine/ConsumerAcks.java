package nats.jetstream.internal.engine;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import nats.api.messaging.DirectHandler;
import nats.api.messaging.InboundMessage;
import nats.api.messaging.Message;
import nats.jetstream.internal.model.ApiException;
import nats.jetstream.internal.model.JsonIn;
import nats.jetstream.store.StoreException;
import nats.transport.config.GoDuration;

/**
 * What clients send a consumer: acks on {@code $JS.ACK...} ({@code +ACK}, {@code -NAK} with an optional delay,
 * {@code +WPI}, {@code +NXT}, {@code +TERM}), applied on the client's thread under the consumer's lock as
 * Go's {@code processAck}, and pull requests on {@code $JS.API.CONSUMER.MSG.NEXT} ({@code processNextMsgRequest}).
 */
final class ConsumerAcks implements DirectHandler {

    private final Consumer consumer;

    ConsumerAcks(Consumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public boolean onMessage(InboundMessage m) {
        AckSubject ack = AckSubject.parse(m.subjectArray(), m.subjectOffset(), m.subjectLength());
        byte[] data = m.dataArray();
        int off = m.dataOffset() + m.headerLength();
        int len = m.payloadLength();
        // No String for the usual ack without a reply.
        String reply = m.replyLength() == 0 ? "" : m.reply();
        boolean replyToAck = ack.streamSequence() != 0;
        if (len == 0 || is(data, off, len, "+ACK") || is(data, off, len, "+OK")) {
            ackMessage(ack, true);
        } else if (startsWith(data, off, len, "+NXT")) {
            ackMessage(ack, true);
            String rest = new String(data, off + 4, len - 4, StandardCharsets.UTF_8);
            if (!reply.isEmpty()) {
                nextRequest(reply, rest.strip().getBytes(StandardCharsets.UTF_8));
            }
            replyToAck = false;
        } else if (startsWith(data, off, len, "-NAK")) {
            nak(ack, new String(data, off + 4, len - 4, StandardCharsets.UTF_8).strip());
        } else if (is(data, off, len, "+WPI")) {
            progress(ack);
        } else if (startsWith(data, off, len, "+TERM")) {
            term(ack);
        }
        ReplicaHooks hooks = consumer.stream.replicaHooks();
        if (hooks != null) {
            // A clustered stream: the reply waits until the group committed the consumer's new state, so an ack
            // the client saw answered survives the leader's loss.
            String answer = reply;
            hooks.consumerChanged(consumer.name(), answer.isEmpty() || !replyToAck ? null
                    : () -> consumer.stream.account().connection().publish(
                            new Message(answer, "", Message.NO_HEADERS, new byte[0])));
            return true;
        }
        if (!reply.isEmpty() && replyToAck) {
            // A client that waits for its ack's reply (ackSync) learns that the ack is on disk: background
            // saves come at most ten times a second, so this one is made now.
            try {
                consumer.store().flush();
            } catch (StoreException e) {
                // Not saved (the store failed or closed): the reply still says the ack was processed, as Go's.
            }
            consumer.stream.account().connection().publish(new Message(reply, "", Message.NO_HEADERS, new byte[0]));
        }
        return true;
    }

    private static boolean is(byte[] data, int off, int len, String token) {
        return len == token.length() && startsWith(data, off, len, token);
    }

    private static boolean startsWith(byte[] data, int off, int len, String token) {
        if (len < token.length()) {
            return false;
        }
        for (int i = 0; i < token.length(); i++) {
            if (data[off + i] != token.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Go's {@code processAckMsg}. */
    void ackMessage(AckSubject ack, boolean sample) {
        long sseq = ack.streamSequence();
        long dseq = ack.consumerSequence();
        long gap = 0;
        Consumer c = consumer;
        boolean signal = false;
        c.lock.lock();
        try {
            var cfg = c.config();
            switch (cfg.ackPolicy) {
                case EXPLICIT -> {
                    // One look-up (and one boxed key) per ack: removed straight away, sized as before the removal.
                    long[] p = c.pending.remove(sseq);
                    if (p != null) {
                        if (cfg.maxAckPending > 0 && c.pending.size() + 1 >= cfg.maxAckPending) {
                            signal = true;
                        }
                        dseq = p[0];
                    } else if (sseq < c.sseq && sseq > c.asflr) {
                        // Not pending: already acked, or never delivered here. Nothing to do.
                        forgetRedelivery(c, sseq);
                        return;
                    } else {
                        return;
                    }
                    if (c.pending.isEmpty()) {
                        c.adflr = c.dseq - 1;
                        c.asflr = c.sseq - 1;
                    } else if (dseq == c.adflr + 1) {
                        Long next = c.pending.ceilingKey(sseq + 1);
                        if (next != null) {
                            long[] np = c.pending.get(next);
                            c.adflr = np[0] - 1;
                            c.asflr = next - 1;
                        } else {
                            c.adflr = dseq;
                            c.asflr = sseq;
                        }
                    }
                    forgetRedelivery(c, sseq);
                }
                case ALL -> {
                    if (dseq <= c.adflr || sseq <= c.asflr) {
                        return;
                    }
                    if (cfg.maxAckPending > 0 && c.pending.size() >= cfg.maxAckPending) {
                        signal = true;
                    }
                    gap = sseq - c.asflr;
                    c.adflr = dseq;
                    c.asflr = sseq;
                    c.pending.headMap(sseq, true).clear();
                    c.rdc.keySet().removeIf(s -> s <= sseq);
                    c.rdq.removeIf(s -> s <= sseq);
                }
                default -> {
                    return;
                }
            }
            c.lastAckedNanos = System.currentTimeMillis() * 1_000_000L;
            try {
                c.store().updateAcks(dseq, sseq);
            } catch (StoreException e) {
                // Already acknowledged in the store (a duplicate ack): the in-memory state is what counts.
            }
        } finally {
            c.lock.unlock();
        }
        Stream stream = c.stream;
        // A clustered replica's removals are decided by its group's leader from committed states, not here.
        if (stream.config().retention != nats.jetstream.internal.model.Policies.Retention.LIMITS
                && stream.replicaHooks() == null) {
            if (gap > 1) {
                for (long seq = sseq; seq > sseq - gap; seq--) {
                    final long s = seq;
                    stream.store().subjectOf(s).ifPresent(subject -> stream.acknowledged(s, subject));
                }
            } else {
                stream.store().subjectOf(sseq).ifPresent(subject -> stream.acknowledged(sseq, subject));
            }
        }
        if (signal) {
            // Max ack pending was holding deliveries back.
            c.wake();
        }
    }

    /** Drops {@code sseq}'s redelivery count and queue entry; nothing to look up (or box) without redeliveries. */
    private static void forgetRedelivery(Consumer c, long sseq) {
        if (!c.rdc.isEmpty()) {
            c.rdc.remove(sseq);
        }
        if (!c.rdq.isEmpty()) {
            c.rdq.remove(sseq);
        }
    }

    /** Go's {@code processNak}, with an optional delay as JSON ({@code {"delay":ns}}) or a duration. */
    private void nak(AckSubject ack, String arg) {
        Consumer c = consumer;
        long sseq = ack.streamSequence();
        long dseq = ack.consumerSequence();
        c.lock.lock();
        try {
            if (dseq <= c.adflr || dseq > c.dseq) {
                return;
            }
            if (!c.pending.isEmpty() && !c.pending.containsKey(sseq)) {
                return;
            }
            c.stream.account().advisories().nak(c.stream.name(), c.name(), dseq, sseq, ack.deliveries());
            if (!arg.isEmpty()) {
                Duration delay = parseDelay(arg);
                if (delay != null) {
                    c.rdq.remove(sseq);
                    long[] p = c.pending.get(sseq);
                    if (p != null) {
                        long ackWait = c.config().ackWait.toNanos();
                        p[1] = System.currentTimeMillis() * 1_000_000L - ackWait + delay.toNanos();
                        try {
                            c.store().updateDelivered(p[0], sseq, ack.deliveries(), p[1]);
                        } catch (StoreException e) {
                            // The stored state catches up with the next delivery.
                        }
                        c.recheckPendingSoon();
                    }
                    return;
                }
            }
            c.rdq.add(sseq);
        } finally {
            c.lock.unlock();
        }
        c.wake();
    }

    private static Duration parseDelay(String arg) {
        try {
            if (arg.startsWith("{")) {
                Map<String, Object> json = JsonIn.parse(arg.getBytes(StandardCharsets.UTF_8));
                return new JsonIn(json, "ConsumerNakOptions").duration("delay");
            }
            return GoDuration.parse(arg);
        } catch (ApiException | IllegalArgumentException e) {
            return null;
        }
    }

    /** {@code +WPI}: the message is being worked on; its ack wait starts again. */
    private void progress(AckSubject ack) {
        Consumer c = consumer;
        c.lock.lock();
        try {
            long[] p = c.pending.get(ack.streamSequence());
            if (p != null) {
                p[1] = System.currentTimeMillis() * 1_000_000L;
                c.rdq.remove(ack.streamSequence());
                try {
                    c.store().updateDelivered(p[0], ack.streamSequence(), ack.deliveries(), p[1]);
                } catch (StoreException e) {
                    // As for a NAK delay.
                }
            }
        } finally {
            c.lock.unlock();
        }
    }

    /** {@code +TERM}: acknowledged without being processed, with Go's advisory. */
    private void term(AckSubject ack) {
        ackMessage(ack, false);
        consumer.stream.account().advisories().terminated(consumer.stream.name(), consumer.name(),
                ack.consumerSequence(), ack.streamSequence(), ack.deliveries());
    }

    // --- pull requests ------------------------------------------------------------------------------------

    void nextRequest(InboundMessage m) {
        if (m.replyLength() == 0) {
            return;
        }
        nextRequest(m.reply(), m.copyPayload());
    }

    /** Go's {@code processNextMsgRequest}. */
    void nextRequest(String reply, byte[] body) {
        Consumer c = consumer;
        var cfg = c.config();
        if (cfg.isPush() || c.waiting == null) {
            c.sendStatus(reply, Headers.status(409, "Consumer is push based"));
            return;
        }
        long now = System.nanoTime();
        int batch = 1;
        long maxBytes = 0;
        long expires = 0;
        long heartbeat = 0;
        boolean noWait = false;
        String group = "";
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (text.startsWith("{")) {
            try {
                JsonIn in = new JsonIn(JsonIn.parse(text.getBytes(StandardCharsets.UTF_8)), "JSApiConsumerGetNextRequest");
                Duration exp = in.duration("expires");
                batch = (int) in.goInt("batch");
                maxBytes = in.goInt("max_bytes");
                noWait = in.bool("no_wait");
                Duration hb = in.duration("idle_heartbeat");
                group = in.string("group");
                if (hb.toNanos() > 0) {
                    if (hb.toNanos() * 2 > exp.toNanos()) {
                        c.sendStatus(reply, Headers.status(400, "Bad Request - heartbeat value too large"));
                        return;
                    }
                    heartbeat = hb.toNanos();
                }
                if (exp.toNanos() > 0) {
                    expires = now + exp.toNanos();
                }
            } catch (ApiException e) {
                c.sendStatus(reply, Headers.status(400, "Bad Request - " + e.error().description()));
                return;
            }
        } else if (!text.isEmpty()) {
            try {
                batch = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                batch = 1;
            }
        }
        if (cfg.maxBatch > 0 && batch > cfg.maxBatch) {
            c.sendStatus(reply, Headers.status(409, "Exceeded MaxRequestBatch of " + cfg.maxBatch));
            return;
        }
        if (expires != 0 && !cfg.maxExpires.isZero() && expires - now > cfg.maxExpires.toNanos()) {
            c.sendStatus(reply, Headers.status(409, "Exceeded MaxRequestExpires of "
                    + GoDurations.format(cfg.maxExpires)));
            return;
        }
        if (maxBytes > 0 && cfg.maxBytes > 0 && maxBytes > cfg.maxBytes) {
            c.sendStatus(reply, Headers.status(409, "Exceeded MaxRequestMaxBytes of " + cfg.maxBytes));
            return;
        }
        c.lock.lock();
        try {
            if (c.waiting.isFull()) {
                c.expireRequests(now);
            }
            if (noWait) {
                long available = c.numPending() + c.rdq.size();
                if (available == 0 && expires == 0) {
                    c.waiting.lastActivityNanos = now;
                    c.sendStatus(reply, Headers.status(404, "No Messages"));
                    return;
                }
                if (available > 0 && available < c.waiting.pendingBatch()) {
                    c.waiting.lastActivityNanos = now;
                    c.sendStatus(reply, Headers.status(408, "Requests Pending"));
                    return;
                }
            }
            if (c.waiting.isFull()) {
                c.sendStatus(reply, Headers.status(409, "Exceeded MaxWaiting"));
                return;
            }
            c.waiting.add(new PullRequests.Request(reply, batch, maxBytes, expires, heartbeat, noWait, now, group));
        } finally {
            c.lock.unlock();
        }
        c.wake();
    }
}
