package nats.jetstream.internal.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.zip.CRC32C;

import nats.api.messaging.InternalConnection;
import nats.api.messaging.Message;
import nats.api.messaging.Subscription;
import nats.jetstream.internal.engine.Nuid;
import nats.jetstream.internal.engine.Replicas;
import nats.jetstream.internal.engine.Stream;
import nats.jetstream.store.StoreException;
import nats.jetstream.store.StoredMessage;
import nats.jetstream.store.StreamStore;
import nats.jetstream.store.SubjectFilter;

/**
 * Moves the messages a stream replica lacks from another replica's store (Go's stream catch-up after a snapshot):
 * the replica behind asks for the range it misses, one batch of at most {@link #BATCH_BYTES} at a time, and
 * stores each message under its own sequence and timestamp. Asking for the next batch only after storing the last
 * is the flow control: at most one batch is in flight per catch-up.
 *
 * <p>Every replica answers on {@code $JSC.CATCHUP.<group>.<member>} (system account). Request: u64 request id,
 * u64 first sequence wanted, u64 last sequence wanted. Answer: u64 request id, u8 1 (or 0: cannot serve, e.g. it
 * does not hold the range itself), u64 first sequence, u64 last sequence covered, then per message u64 sequence,
 * u64 timestamp, u16 subject length, subject, u32 header length, headers, u32 payload length, payload, u32 CRC32C
 * of the message's bytes before it. Sequences in the covered range without a message were removed on the serving
 * replica and are used up without one on the receiving side.
 */
final class CatchUp {

    static final String PREFIX = "$JSC.CATCHUP.";
    /** The most message bytes one answer carries (a larger single message travels alone). */
    static final int BATCH_BYTES = 1 << 20;
    private static final long ANSWER_TIMEOUT_MS = 5_000;

    private CatchUp() {
    }

    static String subject(String group, String member) {
        return PREFIX + group + "." + member;
    }

    /**
     * Serves this replica's store to replicas that are behind; {@code holds} says whether it may (not while it is
     * catching up itself). Batches are read on a virtual thread, never on the connection's dispatcher, which also
     * carries the RAFT frames. {@code requester} is told the member id of each replica that asks (it is behind).
     */
    static Subscription serve(InternalConnection system, String group, String self, Stream stream,
                              BooleanSupplier holds, java.util.function.Consumer<String> requester) {
        String inboxPrefix = PREFIX + "R." + group + ".";
        return system.subscribe(subject(group, self), request -> {
            if (request.replyTo().isEmpty() || request.payload().length != 24) {
                return;
            }
            if (request.replyTo().startsWith(inboxPrefix)) {
                String rest = request.replyTo().substring(inboxPrefix.length());
                requester.accept(rest.substring(0, Math.max(0, rest.indexOf('.'))));
            }
            Thread.ofVirtual().name("catchup-" + group).start(() -> {
                ByteBuffer r = ByteBuffer.wrap(request.payload());
                long id = r.getLong();
                long from = r.getLong();
                long through = r.getLong();
                byte[] answer = holds.getAsBoolean() ? batch(stream.store(), id, from, through) : refusal(id);
                system.publish(new Message(request.replyTo(), "", Message.NO_HEADERS, answer));
            });
        });
    }

    private static byte[] refusal(long id) {
        return ByteBuffer.allocate(9).putLong(id).put((byte) 0).array();
    }

    private static byte[] batch(StreamStore store, long id, long from, long through) {
        if (from < 1 || through < from || store.fastState().lastSequence() < through) {
            return refusal(id);
        }
        List<StoredMessage> messages = new ArrayList<>();
        long bytes = 0;
        long covered = through;
        long seq = from;
        while (seq <= through) {
            StoredMessage m = store.loadNext(SubjectFilter.ALL, seq).orElse(null);
            if (m == null || m.sequence() > through) {
                break;
            }
            long size = m.subject().length() + m.headers().length + m.payload().length + 40L;
            if (!messages.isEmpty() && bytes + size > BATCH_BYTES) {
                covered = m.sequence() - 1;
                break;
            }
            messages.add(m);
            bytes += size;
            seq = m.sequence() + 1;
        }
        if (Replicas.firstDamaged(store, from, covered) > 0) {
            return refusal(id); // this store lost some of them to damage: another replica must serve the range
        }
        return encode(id, from, covered, messages);
    }

    /** An answer carrying {@code messages}, which cover {@code from..covered}. */
    static byte[] encode(long id, long from, long covered, List<StoredMessage> messages) {
        long bytes = 0;
        for (StoredMessage m : messages) {
            bytes += 40L + m.subject().getBytes(StandardCharsets.UTF_8).length + m.headers().length
                    + m.payload().length;
        }
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(25 + bytes));
        out.putLong(id).put((byte) 1).putLong(from).putLong(covered);
        CRC32C crc = new CRC32C();
        for (StoredMessage m : messages) {
            int start = out.position();
            byte[] subject = m.subject().getBytes(StandardCharsets.UTF_8);
            out.putLong(m.sequence()).putLong(m.timestamp()).putShort((short) subject.length).put(subject)
                    .putInt(m.headers().length).put(m.headers()).putInt(m.payload().length).put(m.payload());
            crc.reset();
            crc.update(out.array(), start, out.position() - start);
            out.putInt((int) crc.getValue());
        }
        return out.position() == out.capacity() ? out.array() : java.util.Arrays.copyOf(out.array(), out.position());
    }

    /** Where a replica behind asks, in order of preference (the group's leader first). */
    interface Sources {
        List<String> members();
    }

    /**
     * Fetches into {@code stream} every sequence after its last one up to {@code through}, asking the members
     * {@code sources} names in turn; gives up (false) only when {@code stopped} says so.
     */
    static boolean fetch(InternalConnection system, String group, String self, Stream stream, long through,
                         Sources sources, BooleanSupplier stopped, System.Logger log) {
        BlockingQueue<byte[]> answers = new ArrayBlockingQueue<>(4);
        String inbox = PREFIX + "R." + group + "." + self + "." + Nuid.next();
        Subscription sub = system.subscribe(inbox, m -> answers.offer(m.payload()));
        try {
            long next = stream.store().fastState().lastSequence() + 1;
            long id = 0;
            int attempt = 0;
            while (next <= through) {
                if (stopped.getAsBoolean()) {
                    return false;
                }
                List<String> members = sources.members();
                if (members.isEmpty()) {
                    Thread.sleep(200);
                    continue;
                }
                String source = members.get(attempt % members.size());
                id++;
                answers.clear();
                system.publish(new Message(subject(group, source), inbox, Message.NO_HEADERS,
                        ByteBuffer.allocate(24).putLong(id).putLong(next).putLong(through).array()));
                long covered = receive(answers, id, next, stream);
                if (covered < next) {
                    attempt++;
                    if (attempt % members.size() == 0) {
                        log.log(System.Logger.Level.DEBUG, "stream group {0}: no replica served {1}..{2} yet",
                                group, next, through);
                        Thread.sleep(200);
                    }
                    continue;
                }
                next = covered + 1;
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            sub.unsubscribe();
        }
    }

    /** Waits for the answer to request {@code id}, checks and stores it; the last sequence stored, or -1. */
    private static long receive(BlockingQueue<byte[]> answers, long id, long from, Stream stream)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ANSWER_TIMEOUT_MS);
        while (true) {
            byte[] answer = answers.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (answer == null) {
                return -1;
            }
            ByteBuffer b = ByteBuffer.wrap(answer);
            if (answer.length < 9 || b.getLong() != id) {
                continue; // a late answer to an earlier request
            }
            if (b.get() != 1) {
                return -1;
            }
            List<StoredMessage> messages = decodeMessages(b, from);
            if (messages == null) {
                return -1;
            }
            long covered = ByteBuffer.wrap(answer, 17, 8).getLong();
            try {
                return Replicas.storeFetched(stream, messages, from, covered);
            } catch (StoreException | IllegalStateException e) {
                return -1;
            }
        }
    }

    /** The messages of an answer, each checked against its CRC32C, in increasing sequence; null if it fails a check. */
    static List<StoredMessage> decodeMessages(ByteBuffer b, long from) {
        try {
            if (b.getLong() != from) {
                return null;
            }
            long covered = b.getLong();
            List<StoredMessage> messages = new ArrayList<>();
            CRC32C crc = new CRC32C();
            long last = from - 1;
            while (b.hasRemaining()) {
                int start = b.position();
                long seq = b.getLong();
                long ts = b.getLong();
                byte[] subject = new byte[b.getShort() & 0xFFFF];
                b.get(subject);
                byte[] headers = new byte[b.getInt()];
                b.get(headers);
                byte[] payload = new byte[b.getInt()];
                b.get(payload);
                crc.reset();
                crc.update(b.array(), start, b.position() - start);
                if ((int) crc.getValue() != b.getInt() || seq <= last || seq > covered) {
                    return null;
                }
                last = seq;
                messages.add(new StoredMessage(new String(subject, StandardCharsets.UTF_8), headers, payload, seq, ts));
            }
            return messages;
        } catch (RuntimeException cut) {
            return null;
        }
    }
}
