package nats.jetstream.internal.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import nats.api.messaging.InternalConnection;
import nats.api.messaging.Message;
import nats.api.messaging.Subscription;
import nats.jetstream.internal.engine.Headers;
import nats.jetstream.internal.engine.Nuid;
import nats.jetstream.internal.engine.Replicas;
import nats.jetstream.internal.engine.SourceStatus;
import nats.jetstream.internal.engine.SubjectTransform;
import nats.jetstream.internal.model.StreamSource;
import nats.jetstream.internal.model.SubjectTransformSpec;
import nats.transport.json.Json;

/**
 * One origin stream a clustered stream's leader mirrors or sources from, followed over the network as Go does:
 * an ephemeral push consumer created on the origin ({@code $JS.API.CONSUMER.CREATE.<origin>}, ack none, flow
 * control, 1 s idle heartbeats) delivers to a private subject; each message is handed on to be proposed to the
 * stream's group. A gap in the delivery sequence, a heartbeat naming a delivery not seen, or silence for
 * {@link #STALLED_NANOS} makes the leader create a new consumer starting after the last origin sequence it took.
 * Flow control requests are answered once what was proposed before them is committed, so an origin runs at
 * most one window ahead of the group.
 *
 * <p>A proposal can fail (refused during a leadership transfer, lost to another leader): the origin sequence it
 * carried was taken but never stored. The feed then stops taking from that consumer, has the proposals it
 * submitted after the failed one refused too ({@link Run}: none of them may be committed past the lost one, or
 * the origin message would be skipped for good), waits until every proposal of that run has settled, and
 * resumes from what the store holds.
 */
final class OriginFeed implements SourceStatus {

    private static final System.Logger LOG = System.getLogger(OriginFeed.class.getName());
    /** Go's {@code sourceHealthCheckInterval}: the consumer's idle heartbeat. */
    static final long HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Go's {@code sourceConsumerRetryThreshold}: consumer creates are at least this far apart. */
    static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(2);
    static final long STALLED_NANOS = 3 * HEARTBEAT_NANOS;
    private static final long CREATE_TIMEOUT_MS = 5_000;

    /**
     * Where a feed hands a message: the stream's leader proposes it; the future completes once committed. Each
     * takes {@code stillWanted}, asked right before the entry is appended (on the RAFT node's thread): false
     * refuses it, as after an earlier proposal of the feed failed.
     */
    interface Sink {
        CompletableFuture<Long> mirrored(long originSequence, long timestampNanos, String subject, byte[] headers,
                                         byte[] payload, BooleanSupplier stillWanted);

        CompletableFuture<Long> sourced(String subject, byte[] headers, byte[] payload, BooleanSupplier stillWanted);

        /** The origin's messages up to {@code through} are gone: a mirror uses those sequences up. */
        CompletableFuture<Long> mirrorSkipped(long through, BooleanSupplier stillWanted);

        boolean leading();
    }

    private final StreamSource spec;
    private final boolean mirror;
    private final List<SubjectTransform> transforms = new ArrayList<>();
    private final InternalConnection connection;
    private final Sink sink;

    private volatile Subscription subscription;
    private volatile String deliverSubject = "";
    private String consumerName = "";
    /** The last delivery sequence and origin sequence taken from the current consumer (under this lock). */
    private long deliverySeq;
    private long originSeq;
    private volatile boolean retry;
    private volatile long lastHeard;
    private volatile long lastCreate;
    private volatile long lag;
    private volatile Map<String, Object> error;
    /** A source's last origin sequence found in the store in this leadership, -1 before the (costly) scan. */
    private volatile long storedThrough = -1;
    private CompletableFuture<Long> lastProposal = CompletableFuture.completedFuture(0L);
    /** The proposals since the current consumer was created (under this lock). */
    private volatile Run run = new Run();

    /**
     * The proposals of one consumer's deliveries. Once one fails the run is broken: later ones are refused when
     * their turn comes to be appended, and deliveries are no longer taken; once none is in flight, a new consumer
     * resumes from the store.
     */
    static final class Run {
        private volatile boolean broken;
        private final AtomicInteger inFlight = new AtomicInteger();

        boolean intact() {
            return !broken;
        }
    }

    OriginFeed(StreamSource spec, boolean mirror, InternalConnection connection, Sink sink) {
        this.spec = spec;
        this.mirror = mirror;
        this.connection = connection;
        this.sink = sink;
        for (SubjectTransformSpec t : spec.transforms()) {
            transforms.add(SubjectTransform.of(t.source(), t.destination()));
        }
    }

    @Override
    public StreamSource spec() {
        return spec;
    }

    boolean mirror() {
        return mirror;
    }

    @Override
    public long lag() {
        return lag;
    }

    @Override
    public java.util.Optional<Map<String, Object>> error() {
        return java.util.Optional.ofNullable(error);
    }

    @Override
    public long activeNanos() {
        long t = lastHeard;
        return t == 0 ? -1 : System.nanoTime() - t;
    }

    /** Whether deliveries were missed (or the origin says so): a new consumer is wanted. */
    boolean retryWanted() {
        return retry;
    }

    /** Whether a (new) consumer is due: none yet, a gap seen, or the origin silent for too long. */
    boolean needsConsumer(long now) {
        Run r = run;
        if (r.broken && r.inFlight.get() > 0) {
            return false; // the store does not show yet what the run's proposals settle to
        }
        if (now - lastCreate < RETRY_NANOS && lastCreate != 0) {
            return false;
        }
        return subscription == null || retry || now - Math.max(lastHeard, lastCreate) > STALLED_NANOS;
    }

    /**
     * Creates the origin consumer, starting after {@code after} (the last origin sequence the stream holds from
     * it, or 0: the configured start). Blocks up to 5 s for the origin's answer; false when it refused or did not
     * answer (no such stream yet, no leader): the leader tries again later.
     */
    boolean start(long after) {
        String deliver;
        long resume;
        synchronized (this) {
            cancel();
            lastCreate = System.nanoTime();
            retry = false;
            // After a broken run only the store knows what was taken: what the feed took was partly lost.
            resume = run.broken ? after : Math.max(after, originSeq);
            run = new Run();
            String kind = mirror ? "M" : "S";
            String token = Nuid.next();
            deliver = spec.isExternal() && !spec.deliverPrefix().isEmpty()
                    ? (spec.deliverPrefix() + "." + kind + "." + token).replace("..", ".") : "$JS." + kind + "." + token;
            deliverSubject = deliver;
            deliverySeq = 0;
            originSeq = resume;
            // Direct: an in-process handler sees the subject the delivery shows (the origin message's own).
            subscription = connection.subscribeDirect(deliver, null, m -> {
                onDelivery(deliver, new Message(new String(m.subjectArray(), m.subjectOffset(), m.subjectLength(),
                        StandardCharsets.UTF_8), m.reply(), m.copyHeaders(), m.copyPayload()));
                return true;
            });
        }
        // Not under the lock: deliveries may arrive before the answer, on the thread that brings the answer.
        Map<String, Object> answer = createConsumer(deliver, resume);
        synchronized (this) {
            if (!deliver.equals(deliverSubject)) {
                return false; // cancelled meanwhile
            }
            if (answer == null || answer.containsKey("error")) {
                if (answer != null) {
                    error = answer.get("error") instanceof Map<?, ?> e ? castError(e) : null;
                    LOG.log(System.Logger.Level.DEBUG, "origin ''{0}'' refused the consumer: {1}", spec.name(),
                            answer.get("error"));
                }
                cancel();
                return false;
            }
            error = null;
            consumerName = answer.get("name") instanceof String n ? n : "";
            long delivered = answer.get("delivered") instanceof Map<?, ?> d && d.get("stream_seq") instanceof Number s
                    ? s.longValue() : 0;
            if (mirror && delivered > resume && deliverySeq == 0) {
                originSeq = delivered;
                Run r = run;
                // The origin no longer holds those: Go skips them too.
                track(r, sink.mirrorSkipped(delivered, r::intact));
            }
            lastHeard = System.nanoTime();
            return true;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castError(Map<?, ?> e) {
        return (Map<String, Object>) e;
    }

    private Map<String, Object> createConsumer(String deliver, long after) {
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("deliver_subject", deliver);
        long startSeq = after > 0 ? after + 1 : spec.optStartSeq();
        if (startSeq > 0) {
            cfg.put("deliver_policy", "by_start_sequence");
            cfg.put("opt_start_seq", startSeq);
        } else if (spec.optStartTime().isPresent()) {
            cfg.put("deliver_policy", "by_start_time");
            cfg.put("opt_start_time", spec.optStartTime().get());
        } else {
            cfg.put("deliver_policy", "all");
        }
        cfg.put("ack_policy", "none");
        cfg.put("ack_wait", TimeUnit.HOURS.toNanos(22));
        cfg.put("max_deliver", 1);
        if (!spec.filterSubject().isEmpty()) {
            cfg.put("filter_subject", spec.filterSubject());
        }
        cfg.put("idle_heartbeat", HEARTBEAT_NANOS);
        cfg.put("flow_control", true);
        cfg.put("direct", true);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("stream_name", spec.name());
        request.put("config", cfg);
        String reply = "$JS.R." + Nuid.next();
        BlockingQueue<Message> answers = new ArrayBlockingQueue<>(1);
        Subscription inbox = connection.subscribe(reply, answers::offer);
        try {
            connection.publish(new Message(apiPrefix() + ".CONSUMER.CREATE." + spec.name(), reply, Message.NO_HEADERS,
                    nats.transport.json.GoJson.compact(request).getBytes(StandardCharsets.UTF_8)));
            Message answer = answers.poll(CREATE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return answer == null ? null : Json.parseObject(new String(answer.payload(), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "origin ''{0}'': bad consumer create answer: {1}", spec.name(), e);
            return null;
        } finally {
            inbox.unsubscribe();
        }
    }

    private String apiPrefix() {
        return spec.isExternal() && !spec.apiPrefix().isEmpty() ? spec.apiPrefix() : "$JS.API";
    }

    /** Stops following: drops the subscription and asks the origin to delete its consumer (Go does the same). */
    synchronized void cancel() {
        if (subscription != null) {
            subscription.unsubscribe();
            subscription = null;
        }
        deliverSubject = "";
        if (!consumerName.isEmpty()) {
            connection.publish(new Message(apiPrefix() + ".CONSUMER.DELETE." + spec.name() + "." + consumerName,
                    "$JS.R." + Nuid.next(), Message.NO_HEADERS, new byte[0]));
            consumerName = "";
        }
    }

    long storedThrough() {
        return storedThrough;
    }

    void storedThrough(long sequence) {
        storedThrough = sequence;
    }

    /** Forgets the origin position taken in this leadership (a new leader starts from its store). */
    synchronized void reset() {
        storedThrough = -1;
        originSeq = 0;
        deliverySeq = 0;
        lastCreate = 0;
        lag = 0;
    }

    /** Counts a proposal of run {@code r} in flight until it settles; a failed one breaks the run. */
    private CompletableFuture<Long> track(Run r, CompletableFuture<Long> proposal) {
        r.inFlight.incrementAndGet();
        proposal.whenComplete((index, failure) -> {
            if (failure != null && !r.broken) {
                r.broken = true;
                storedThrough = -1; // a source's position is read from the store again
                retry = true;
                LOG.log(System.Logger.Level.DEBUG, "origin ''{0}'': a proposal failed ({1}); resuming from the store",
                        spec.name(), failure.getMessage());
            }
            r.inFlight.decrementAndGet();
        });
        return proposal;
    }

    /** The current consumer's deliver subject ("" while there is none). */
    String deliverSubject() {
        return deliverSubject;
    }

    /** A message on {@code deliver} (its subject is the origin message's own, as a push consumer shows it). */
    void onDelivery(String deliver, Message m) {
        if (!deliver.equals(deliverSubject)) {
            return; // a consumer this feed gave up
        }
        if (!sink.leading()) {
            retry = true;
            return;
        }
        lastHeard = System.nanoTime();
        byte[] h = m.headers();
        if (isControl(h)) {
            control(m);
            return;
        }
        synchronized (this) {
            if (!deliver.equals(deliverSubject)) {
                return;
            }
            Run current = run;
            if (current.broken) {
                return; // taken again from the store's position by the next consumer
            }
            long[] r = replyInfo(m.replyTo());
            if (r == null || r[2] > 1) {
                return; // not a delivery, or a redelivery (max_deliver 1: never expected)
            }
            long sseq = r[0];
            long dseq = r[1];
            if (!accept(sseq, dseq)) {
                return;
            }
            lag = r[4] == 0 ? 0 : r[4] - 1;
            if (mirror) {
                lastProposal = track(current, sink.mirrored(sseq, r[3], m.subject(), h, m.payload(),
                        current::intact));
            } else {
                String subject = Replicas.sourcedSubject(transforms, m.subject());
                lastProposal = track(current, sink.sourced(subject, Replicas.sourcedHeaders(spec, h, sseq),
                        m.payload(), current::intact));
            }
        }
    }

    /** Go's sequence tracking: the next delivery is taken, an older one dropped, a gap makes a new consumer. */
    synchronized boolean accept(long sseq, long dseq) {
        if (dseq == deliverySeq + 1) {
            if (sseq <= originSeq) {
                deliverySeq = dseq;
                return false;
            }
            deliverySeq = dseq;
            originSeq = sseq;
            return true;
        }
        if (dseq <= deliverySeq) {
            return false;
        }
        retry = true; // deliveries were missed
        return false;
    }

    private void control(Message m) {
        if (!m.replyTo().isEmpty()) {
            String reply = m.replyTo();
            CompletableFuture<Long> last;
            synchronized (this) {
                last = lastProposal;
            }
            last.whenComplete((i, e) -> connection.publish(new Message(reply, "", Message.NO_HEADERS, new byte[0])));
            return;
        }
        String lastConsumer = Headers.get(m.headers(), Headers.LAST_CONSUMER);
        if (lastConsumer != null) {
            try {
                long ldseq = Long.parseLong(lastConsumer.strip());
                synchronized (this) {
                    if (ldseq > 0 && ldseq != deliverySeq) {
                        retry = true;
                        return;
                    }
                }
            } catch (NumberFormatException e) {
                retry = true;
                return;
            }
        }
        String stalled = Headers.get(m.headers(), Headers.CONSUMER_STALLED);
        if (stalled != null && !stalled.isBlank()) {
            connection.publish(new Message(stalled.strip(), "", Message.NO_HEADERS, new byte[0]));
        }
    }

    private static boolean isControl(byte[] h) {
        return h.length >= 12 && new String(h, 0, 12, StandardCharsets.US_ASCII).equals("NATS/1.0 100");
    }

    /**
     * The numbers of a delivery's reply subject: origin sequence, delivery sequence, delivery count, timestamp,
     * pending; null when it is not an ack subject ({@code $JS.ACK.<stream>.<consumer>.<dc>.<sseq>.<dseq>.<ts>.<pending>},
     * or the longer form with domain and account hash in front).
     */
    static long[] replyInfo(String reply) {
        String[] t = reply.split("\\.");
        int first;
        if (t.length == 9) {
            first = 4;
        } else if (t.length >= 11) {
            first = 6;
        } else {
            return null;
        }
        if (!t[0].equals("$JS") || !t[1].equals("ACK")) {
            return null;
        }
        try {
            return new long[] {Long.parseLong(t[first + 1]), Long.parseLong(t[first + 2]), Long.parseLong(t[first]),
                    Long.parseLong(t[first + 3]), Long.parseLong(t[first + 4])};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
