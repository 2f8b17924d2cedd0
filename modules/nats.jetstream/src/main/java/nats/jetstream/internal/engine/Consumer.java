package nats.jetstream.internal.engine;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import nats.api.accounts.PluginAccount;
import nats.api.messaging.InboundMessage;
import nats.api.messaging.Message;
import nats.api.messaging.MessagePublisher;
import nats.api.messaging.Subscription;
import nats.jetstream.internal.model.ConsumerSettings;
import nats.jetstream.internal.model.Policies.Ack;
import nats.jetstream.internal.model.Policies.Deliver;
import nats.jetstream.internal.model.Policies.Replay;
import nats.jetstream.store.ConsumerState;
import nats.jetstream.store.ConsumerStore;
import nats.jetstream.store.NumPending;
import nats.jetstream.store.PendingDelivery;
import nats.jetstream.store.SequencePair;
import nats.jetstream.store.StoreException;
import nats.jetstream.store.StoredMessage;
import nats.jetstream.store.StreamState;
import nats.jetstream.store.SubjectFilter;

/**
 * One consumer of a stream, push or pull. Its state (next stream and delivery sequences, ack floor, pending
 * acks, redelivery counts and queue, waiting pull requests) is guarded by one lock; one agent thread delivers
 * messages, answers pull requests, sends heartbeats and flow control, redelivers after the ack wait and
 * deletes an inactive ephemeral. Acks arrive on the acking client's thread and are applied under the lock.
 * State is persisted through the stream's {@link ConsumerStore}.
 */
public final class Consumer {

    /** Go's {@code JSWaitQueueDefaultMax}. */
    static final int DEFAULT_MAX_WAITING = 512;

    final Stream stream;
    private final String name;
    private final ConsumerStore store;
    private final Instant created;
    final ReentrantLock lock = new ReentrantLock();
    private volatile ConsumerSettings config;
    private volatile SubjectFilter filter;
    private final boolean ephemeral;

    // Delivery state, under lock.
    long sseq;
    long dseq = 1;
    long adflr;
    long asflr;
    final Redeliveries redeliveries = new Redeliveries();
    final TreeMap<Long, long[]> pending = redeliveries.pending;
    final HashMap<Long, Long> rdc = redeliveries.counts;
    final LinkedHashSet<Long> rdq = redeliveries.queue;
    private long[] lastPerSubject;
    private int lastPerSubjectNext;
    private long lastPerSubjectResume;
    final PullRequests waiting;
    /** When the last message went out, epoch nanoseconds (an Instant is made only for CONSUMER.INFO). */
    private long lastDeliveredNanos;
    private byte[] ackPrefix;
    /** How many times the message {@link #nextMessage} returned has been delivered, counting this time. */
    private long nextDeliveries;
    /** The one delivery in flight: built under the lock and sent outside it, both on the agent thread. */
    private final Delivery delivery = new Delivery();
    /** The subject of the last delivery and its bytes (agent thread, under lock). */
    private String lastSubject;
    private byte[] lastSubjectBytes;
    /** A push consumer's deliver subject and its bytes (agent thread, under lock). */
    private String deliverSubject;
    private byte[] deliverSubjectBytes;
    /** When the last ack was applied, epoch nanoseconds (0: never; an Instant is made only for CONSUMER.INFO). */
    long lastAckedNanos;
    private long lastTimestamp;
    /** The last look for a message found none (not merely max ack pending): no-wait requests end then. */
    private boolean noMoreMessages;

    // Push delivery.
    private volatile boolean active;
    private PluginAccount.InterestWatch interestWatch;
    private final FlowControl flow;
    private long lastHeartbeatNanos = System.nanoTime();
    private long inactiveSinceNanos;

    // Pending-count cache (Go's npc).
    private final AtomicLong numPending = new AtomicLong(-1);
    private volatile long numPendingThrough;

    // Agent.
    private volatile Thread thread;
    private volatile boolean parked;
    /** Set by every wake-up, so one that comes between the last look and the park is not lost. */
    private volatile boolean signalled;
    private volatile boolean closed;
    private volatile boolean deleted;
    private MessagePublisher publisher;
    private long ackCheckDueNanos;
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final ConsumerAcks acks;
    private final RatePacer pacer = new RatePacer();
    private final PullRequests.Replies replies = new PullRequests.Replies() {
        @Override
        public void status(String reply, byte[] header) {
            sendStatus(reply, header);
        }

        @Override
        public boolean interest(String reply) {
            return stream.account().connection().hasInterest(reply);
        }

        @Override
        public void heartbeat(String reply) {
            sendIdleHeartbeat(reply);
        }
    };

    Consumer(Stream stream, String name, ConsumerSettings config, ConsumerStore store, Instant created) {
        this.stream = stream;
        this.name = name;
        this.config = config;
        this.store = store;
        this.created = created;
        this.ephemeral = !config.isDurable();
        this.filter = SubjectFilter.of(config.filters());
        this.waiting = config.isPush() ? null : new PullRequests((int) Math.max(1, config.maxWaiting));
        this.acks = new ConsumerAcks(this);
        this.active = !config.isPush();
        this.flow = new FlowControl(config.flowControl, stream.name(), name);
    }

    public String name() {
        return name;
    }

    public Stream stream() {
        return stream;
    }

    public ConsumerSettings config() {
        return config;
    }

    public Instant created() {
        return created;
    }

    public boolean isEphemeral() {
        return ephemeral;
    }

    ConsumerStore store() {
        return store;
    }

    boolean filterMatches(String subject) {
        return filter.matches(subject);
    }

    SubjectFilter filter() {
        return filter;
    }

    public boolean isActive() {
        return active;
    }

    public boolean isClosed() {
        return closed;
    }

    // --- starting position --------------------------------------------------------------------------------

    /** Chooses the first message to deliver (Go's {@code selectStartingSeqNo}). */
    void selectStartingSequence() {
        StreamState state = stream.store().fastState();
        ConsumerSettings cfg = config;
        long first = state.firstSequence();
        long last = state.lastSequence();
        if (cfg.optStartSeq == 0) {
            switch (cfg.deliverPolicy) {
                case ALL -> {
                    sseq = first;
                    if (!filter.matchesAll()) {
                        var ss = stream.store().filteredState(first, filter);
                        if (ss.messages() > 0) {
                            sseq = ss.first();
                        }
                    }
                }
                case LAST -> {
                    sseq = last;
                    if (!filter.matchesAll()) {
                        sseq = stream.store().filteredState(1, filter).last();
                    }
                }
                case LAST_PER_SUBJECT -> {
                    List<Long> seqs = stream.store().lastSequences(filter, 0, 0);
                    if (!seqs.isEmpty()) {
                        lastPerSubject = seqs.stream().mapToLong(Long::longValue).toArray();
                        lastPerSubjectNext = 0;
                        lastPerSubjectResume = last;
                        sseq = lastPerSubject[0];
                    } else {
                        sseq = last;
                    }
                }
                case BY_START_TIME -> sseq = cfg.optStartTime.map(t -> stream.store().sequenceAt(t)).orElse(last + 1);
                default -> sseq = last + 1;
            }
        } else {
            sseq = cfg.optStartSeq;
        }
        if (state.messages() == 0 && last == 0) {
            sseq = Math.max(1, cfg.optStartSeq > 0 ? Math.min(cfg.optStartSeq, last + 1) : 1);
        } else if (sseq < first) {
            sseq = first;
        } else if (sseq > last) {
            sseq = last + 1;
        }
        if (sseq < 1) {
            sseq = 1;
        }
        dseq = 1;
        adflr = 0;
        asflr = sseq - 1;
        store.setStarting(sseq - 1);
    }

    /** Restores the persisted state (after a restart). */
    void restoreState() {
        ConsumerState s = store.state();
        dseq = s.delivered().consumer() + 1;
        sseq = s.delivered().stream() + 1;
        adflr = s.ackFloor().consumer();
        asflr = s.ackFloor().stream();
        for (Map.Entry<Long, PendingDelivery> e : s.pending().entrySet()) {
            pending.put(e.getKey(), new long[] {e.getValue().consumerSequence(), e.getValue().timestamp()});
        }
        rdc.putAll(s.redelivered());
        StreamState state = stream.store().fastState();
        if (sseq < state.firstSequence()) {
            sseq = state.firstSequence();
        }
        // Messages delivered but unacked when the server stopped are redelivered once their ack wait runs out.
        ackCheckDueNanos = System.nanoTime();
    }

    /** The last delivery and ack times a new leader's group member applied; those of this leader's own win. */
    void activity(Instant delivered, Instant acked) {
        lock.lock();
        try {
            if (lastDeliveredNanos == 0 && delivered != null) {
                lastDeliveredNanos = delivered.getEpochSecond() * 1_000_000_000L + delivered.getNano();
            }
            if (lastAckedNanos == 0 && acked != null) {
                lastAckedNanos = acked.getEpochSecond() * 1_000_000_000L + acked.getNano();
            }
        } finally {
            lock.unlock();
        }
    }

    // --- lifecycle ----------------------------------------------------------------------------------------

    void start() {
        var conn = stream.account().connection();
        String ackPrefix = "$JS.ACK." + stream.name() + "." + name;
        synchronized (subscriptions) {
            subscriptions.add(conn.subscribeDirect(ackPrefix + ".>", null, acks));
            // Push consumers answer pull requests too: with Go's 409 "Consumer is push based".
            subscriptions.add(conn.subscribeDirect("$JS.API.CONSUMER.MSG.NEXT." + stream.name() + "." + name, null,
                    m -> {
                        acks.nextRequest(m);
                        return true;
                    }));
            if (config.flowControl) {
                subscriptions.add(conn.subscribeDirect("$JS.FC." + stream.name() + "." + name + ".*", null,
                        m -> {
                            String subject = m.subject();
                            lock.lock();
                            try {
                                if (!flow.answered(subject)) {
                                    return true;
                                }
                            } finally {
                                lock.unlock();
                            }
                            wake();
                            return true;
                        }));
            }
        }
        inactiveSinceNanos = System.nanoTime();
        thread = Thread.ofVirtual().name("jetstream-consumer-" + stream.name() + "-" + name).start(this::run);
        if (config.isPush()) {
            watchInterest(config.deliverSubject);
        }
    }

    private void watchInterest(String deliverSubject) {
        interestWatch = stream.account().pluginAccount().watchInterest(deliverSubject, interested -> {
            lock.lock();
            try {
                if (interested && !active) {
                    inactiveSinceNanos = 0;
                } else if (!interested && active) {
                    inactiveSinceNanos = System.nanoTime();
                }
                active = interested;
            } finally {
                lock.unlock();
            }
            wake();
        });
    }

    /** Changes the deliver subject of a push consumer (a durable re-bound by a new subscriber). */
    void updateDeliverSubject(String subject) {
        PluginAccount.InterestWatch old = interestWatch;
        if (old != null) {
            old.close();
        }
        watchInterest(subject);
    }

    void configChanged(ConsumerSettings cfg) {
        String oldDeliver = config.deliverSubject;
        config = cfg;
        filter = SubjectFilter.of(cfg.filters());
        numPending.set(-1);
        store.writeMetadata(ConsumerFactory.metadata(this));
        if (cfg.isPush() && !cfg.deliverSubject.equals(oldDeliver)) {
            updateDeliverSubject(cfg.deliverSubject);
        }
        wake();
    }

    private void stopThreads() {
        closed = true;
        synchronized (subscriptions) {
            subscriptions.forEach(Subscription::unsubscribe);
            subscriptions.clear();
        }
        PluginAccount.InterestWatch w = interestWatch;
        if (w != null) {
            w.close();
        }
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            if (t != Thread.currentThread()) {
                try {
                    t.join(TimeUnit.SECONDS.toMillis(5));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Pauses delivery until {@code until} (2.11's {@code CONSUMER.PAUSE}); empty resumes. */
    public Consumer pause(java.util.Optional<Instant> until) {
        ConsumerSettings cfg = config.copy();
        cfg.pauseUntil = until;
        configChanged(cfg);
        return this;
    }

    /** Stops delivering; the state stays stored (server shutdown). */
    void close() {
        stopThreads();
        store.close();
    }

    /** Deletes the consumer and its state, with Go's advisory. */
    public void delete() {
        if (deleted) {
            return;
        }
        deleted = true;
        stopThreads();
        answerWaitingOnDelete();
        store.delete();
        stream.consumerGone(this);
        stream.account().advisories().consumerDeleted(stream.name(), name);
    }

    /** The stream is being deleted: stop without touching the stream. */
    void stopForStreamDelete() {
        deleted = true;
        stopThreads();
        answerWaitingOnDelete();
    }

    private void answerWaitingOnDelete() {
        if (waiting == null) {
            return;
        }
        lock.lock();
        try {
            for (Iterator<PullRequests.Request> it = waiting.iterator(); it.hasNext(); ) {
                PullRequests.Request r = it.next();
                sendStatus(r.reply, Headers.status(409, "Consumer Deleted"));
                it.remove();
            }
        } finally {
            lock.unlock();
        }
    }

    void wake() {
        signalled = true;
        if (parked) {
            Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    // --- signals from the stream --------------------------------------------------------------------------

    /** A message was stored (called on the stream's writer thread: quick, no lock). */
    void messageStored(long sequence, String subject) {
        if (filter.matches(subject)) {
            if (sequence > numPendingThrough && numPending.get() >= 0) {
                numPending.incrementAndGet();
            }
            wake();
        }
    }

    /** Messages before {@code firstSequence} were purged (Go's consumer {@code purge}). */
    void purged(long firstSequence, String subject) {
        lock.lock();
        try {
            if (sseq < firstSequence) {
                sseq = firstSequence;
            }
            if (asflr < firstSequence) {
                asflr = firstSequence - 1;
                adflr = dseq - 1;
            }
            pending.headMap(firstSequence).clear();
            if (subject.isEmpty()) {
                pending.clear();
            }
            rdq.removeIf(s -> s < firstSequence);
            rdc.keySet().removeIf(s -> s < firstSequence);
            lastPerSubject = null;
            numPending.set(-1);
            persistFullState();
        } finally {
            lock.unlock();
        }
        wake();
    }

    /** Writes the whole state (after purges and other jumps that are not single deliveries or acks). */
    void persistFullState() {
        Map<Long, PendingDelivery> p = new HashMap<>();
        pending.forEach((s, v) -> p.put(s, new PendingDelivery(v[0], v[1])));
        try {
            store.forceUpdate(new ConsumerState(new SequencePair(dseq - 1, sseq - 1), new SequencePair(adflr, asflr), p,
                    rdc));
        } catch (StoreException e) {
            stream.account().js().log().log(System.Logger.Level.WARNING, "consumer {0}: state not saved: {1}", name,
                    e.getMessage());
        }
    }

    /** Whether this consumer still needs {@code sequence} (interest retention: Go's {@code needAck}). */
    boolean needsAck(long sequence, String subject) {
        if (!filter.matches(subject)) {
            return false;
        }
        lock.lock();
        try {
            if (sequence >= sseq) {
                return true;
            }
            return switch (config.ackPolicy) {
                case NONE, ALL -> sequence > asflr;
                case EXPLICIT -> sequence > asflr && pending.containsKey(sequence);
            };
        } finally {
            lock.unlock();
        }
    }

    // --- numbers for info ---------------------------------------------------------------------------------

    /** Messages matching the filter not yet delivered (Go's {@code num_pending}). */
    long numPending() {
        long n = numPending.get();
        if (n >= 0) {
            return n;
        }
        return recomputeNumPending();
    }

    private long recomputeNumPending() {
        boolean lps = config.deliverPolicy == Deliver.LAST_PER_SUBJECT && lastPerSubject != null;
        long from = lps ? lastPerSubject[lastPerSubjectNext] : sseq;
        NumPending np = stream.store().numPending(from, filter, lps);
        numPendingThrough = np.validThrough();
        numPending.set(np.total());
        return np.total();
    }

    /** A snapshot for {@code CONSUMER.INFO}, taken under the lock. */
    public Snapshot snapshot() {
        lock.lock();
        try {
            if (waiting != null) {
                waiting.expire(System.nanoTime(), replies);
            }
            Instant lastDelivered = lastDeliveredNanos == 0 ? null : Instant.ofEpochSecond(0, lastDeliveredNanos);
            Instant lastAcked = lastAckedNanos == 0 ? null : Instant.ofEpochSecond(0, lastAckedNanos);
            return new Snapshot(dseq - 1, sseq - 1, lastDelivered, adflr, asflr, lastAcked, pending.size(), rdc.size(),
                    waiting == null ? 0 : waiting.size(), numPending(), config.isPush() && active);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The state of a new consumer before its agent delivered anything (Go's initial info, {@code ici}), for the
     * create's answer; null once taken. A mirror takes the answer's delivered stream sequence as where the origin
     * starts and skips what lies before it: a live snapshot could count deliveries still on their way to the
     * mirror, which it would then skip and drop.
     */
    private volatile Snapshot initial;

    /** Records the state the create's answer reports; before {@link #start}. */
    void snapshotInitial() {
        initial = snapshot();
    }

    /** The state as created for a new consumer's create answer (once), else the current one. */
    public Snapshot takeInitialSnapshot() {
        Snapshot s = initial;
        initial = null;
        return s != null ? s : snapshot();
    }

    /** What {@code CONSUMER.INFO} reports. */
    public record Snapshot(long deliveredConsumer, long deliveredStream, Instant lastDelivered, long ackFloorConsumer,
                           long ackFloorStream, Instant lastAcked, int numAckPending, int numRedelivered,
                           int numWaiting, long numPending, boolean pushBound) {
    }

    // --- the agent ----------------------------------------------------------------------------------------

    private void run() {
        publisher = stream.account().connection().publisher();
        int sinceFlush = 0;
        while (!closed) {
            signalled = false;
            Delivery d;
            long now = System.nanoTime();
            lock.lock();
            try {
                housekeeping(now);
                d = closed ? null : nextDelivery(now);
            } finally {
                lock.unlock();
            }
            if (deleteIfInactive(now)) {
                break;
            }
            if (d != null) {
                send(d);
                if (++sinceFlush >= 64) {
                    publisher.flush();
                    sinceFlush = 0;
                }
                continue;
            }
            if (waiting != null) {
                lock.lock();
                try {
                    if (noMoreMessages) {
                        waiting.endNoWait(replies);
                    }
                } finally {
                    lock.unlock();
                }
            }
            publisher.flush();
            sinceFlush = 0;
            parked = true;
            long wait = nextWakeNanos(now);
            if (!closed && !signalled) {
                LockSupport.parkNanos(this, wait);
            }
            parked = false;
        }
        if (publisher != null) {
            publisher.flush();
        }
    }

    /**
     * A message ready to go out, built under the lock and published outside it. The agent thread does both, one
     * delivery at a time, so one instance is filled again for each (no object per message).
     */
    private static final class Delivery {
        byte[] route;
        /** The subject shown, when it is not the route (a pull request's inbox): null for a push delivery. */
        byte[] subject;
        byte[] reply;
        byte[] data;
        int headerLength;
        long delayNanos;
        String flowControlAfter;
        long releaseSequence;
        String releaseSubject;

        Delivery set(byte[] route, byte[] subject, byte[] reply, byte[] data, int headerLength, long delayNanos,
                     String flowControlAfter, long releaseSequence, String releaseSubject) {
            this.route = route;
            this.subject = subject;
            this.reply = reply;
            this.data = data;
            this.headerLength = headerLength;
            this.delayNanos = delayNanos;
            this.flowControlAfter = flowControlAfter;
            this.releaseSequence = releaseSequence;
            this.releaseSubject = releaseSubject;
            return this;
        }
    }

    private void send(Delivery d) {
        if (d.delayNanos > 0) {
            LockSupport.parkNanos(d.delayNanos);
        }
        if (d.subject == null) {
            publisher.publish(d.route, d.reply, d.data, 0, d.headerLength, d.data.length);
        } else {
            publisher.deliver(d.route, d.subject, d.reply, d.data, 0, d.headerLength, d.data.length);
        }
        if (d.flowControlAfter != null) {
            byte[] hdr = Headers.status(100, "FlowControl Request");
            publisher.publish(config.deliverSubject.getBytes(StandardCharsets.UTF_8),
                    d.flowControlAfter.getBytes(StandardCharsets.UTF_8), hdr, 0, hdr.length, hdr.length);
        }
        if (d.releaseSequence > 0) {
            // Ack policy none on an interest or work-queue stream: delivered counts as acknowledged.
            stream.acknowledged(d.releaseSequence, d.releaseSubject);
        }
    }

    private long nextWakeNanos(long now) {
        long wait = TimeUnit.MILLISECONDS.toNanos(500);
        ConsumerSettings cfg = config;
        if (cfg.isPush() && !cfg.heartbeat.isZero()) {
            wait = Math.min(wait, Math.max(0, lastHeartbeatNanos + cfg.heartbeat.toNanos() - now));
        }
        if (ackCheckDueNanos != 0) {
            wait = Math.min(wait, Math.max(0, ackCheckDueNanos - now));
        }
        if (waiting != null) {
            lock.lock();
            try {
                wait = waiting.nextDeadline(now, wait);
            } finally {
                lock.unlock();
            }
        }
        return Math.max(wait, 50_000);
    }

    /** Timed work: redeliveries after the ack wait, heartbeats, expired pull requests. Under the lock. */
    private void housekeeping(long now) {
        if (ackCheckDueNanos != 0 && now - ackCheckDueNanos >= 0) {
            long next = redeliveries.check(config, stream.store().fastState().firstSequence());
            ackCheckDueNanos = next < 0 ? 0 : now + next;
        }
        ConsumerSettings cfg = config;
        if (cfg.isPush()) {
            if (!cfg.heartbeat.isZero() && now - lastHeartbeatNanos >= cfg.heartbeat.toNanos()) {
                lastHeartbeatNanos = now;
                if (active) {
                    sendIdleHeartbeat(cfg.deliverSubject);
                }
            }
        } else {
            waiting.expire(now, replies);
        }
    }

    /** Whether an ephemeral (or a durable with an inactive threshold) went unused long enough to delete it. */
    private boolean deleteIfInactive(long now) {
        ConsumerSettings cfg = config;
        Duration threshold = cfg.inactiveThreshold;
        if (threshold.isZero() || deleted) {
            return false;
        }
        long since;
        lock.lock();
        try {
            if (cfg.isPush()) {
                if (active || inactiveSinceNanos == 0) {
                    return false;
                }
                since = inactiveSinceNanos;
            } else {
                if (!waiting.isEmpty()) {
                    return false;
                }
                since = waiting.lastActivityNanos;
            }
        } finally {
            lock.unlock();
        }
        if (now - since < threshold.toNanos()) {
            return false;
        }
        closed = true;
        Thread.ofVirtual().start(this::delete);
        return true;
    }

    /** Drops expired pull requests (with their 408) and those whose inbox went away. Lock held. */
    void expireRequests(long now) {
        waiting.expire(now, replies);
    }

    void sendIdleHeartbeat(String subject) {
        String flowId = flow.pendingId();
        String[] extra = flowId.isEmpty()
                ? new String[] {Headers.LAST_CONSUMER, Long.toString(dseq - 1), Headers.LAST_STREAM, Long.toString(sseq - 1)}
                : new String[] {Headers.LAST_CONSUMER, Long.toString(dseq - 1), Headers.LAST_STREAM, Long.toString(sseq - 1),
                        Headers.CONSUMER_STALLED, flowId};
        sendStatus(subject, Headers.status(100, "Idle Heartbeat", extra));
    }

    void sendStatus(String subject, byte[] header) {
        stream.account().connection().publish(new Message(subject, "", header, new byte[0]));
    }

    // --- choosing and recording deliveries ----------------------------------------------------------------

    private Delivery nextDelivery(long now) {
        ConsumerSettings cfg = config;
        if (cfg.isPush()) {
            if (!active || flow.stalled()) {
                return null;
            }
        } else if (waiting.isEmpty()) {
            return null;
        }
        if (cfg.pauseUntil.isPresent() && Instant.now().isBefore(cfg.pauseUntil.get())) {
            return null;
        }
        long savedSseq = sseq;
        int savedNext = lastPerSubjectNext;
        long[] savedList = lastPerSubject;
        // The pending count must be known for the position before this delivery: it still includes the message.
        long pendingBefore = numPending();
        StoredMessage sm = nextMessage(cfg);
        if (sm == null) {
            return null;
        }
        long dc = nextDeliveries;
        long pendingAfter = dc == 1 ? Math.max(0, pendingBefore - 1) : pendingBefore;
        byte[] reply = AckSubject.build(ackPrefix(), dc, sm.sequence(), dseq, sm.timestamp(), pendingAfter);
        byte[] headers = sm.headers();
        byte[] payload = sm.payload();
        if (cfg.headersOnly) {
            headers = Headers.append(headers, Headers.MSG_SIZE, Integer.toString(payload.length));
            payload = StreamWriter.NO_BYTES;
        }
        int size = sm.subject().length() + reply.length + headers.length + payload.length;
        byte[] route;
        if (cfg.isPush()) {
            route = deliverSubjectBytes(cfg.deliverSubject);
        } else {
            PullRequests.Request r = waiting.next(size, now, replies);
            if (r == null) {
                // Nobody to take it: put it back.
                if (dc > 1) {
                    rdc.compute(sm.sequence(), (k, v) -> v == null || v <= 1 ? null : v - 1);
                    LinkedHashSet<Long> rest = new LinkedHashSet<>(rdq);
                    rdq.clear();
                    rdq.add(sm.sequence());
                    rdq.addAll(rest);
                } else {
                    sseq = savedSseq;
                    lastPerSubject = savedList;
                    lastPerSubjectNext = savedNext;
                }
                return null;
            }
            route = r.replyBytes;
        }
        if (dc == 1 && numPending.get() > 0) {
            numPending.decrementAndGet();
        }
        long delay = 0;
        if (cfg.replayPolicy == Replay.ORIGINAL && lastTimestamp > 0) {
            delay = Math.max(0, sm.timestamp() - lastTimestamp);
            if (delay < TimeUnit.MILLISECONDS.toNanos(1)) {
                delay = 0;
            }
        }
        lastTimestamp = sm.timestamp();
        if (cfg.rateLimitBps > 0) {
            delay = Math.max(delay, pacer.delay(cfg.rateLimitBps, size * 8L, now));
        }
        long deliverySeq = dseq++;
        long ts = System.currentTimeMillis() * 1_000_000L;
        lastDeliveredNanos = ts;
        if (cfg.ackPolicy == Ack.EXPLICIT || cfg.ackPolicy == Ack.ALL) {
            // One walk of the pending tree (and one boxed key) per delivery; a redelivery keeps its entry.
            long[] p = pending.putIfAbsent(sm.sequence(), new long[] {deliverySeq, ts});
            if (p != null) {
                p[1] = ts;
            }
            if (ackCheckDueNanos == 0) {
                ackCheckDueNanos = now + Redeliveries.ackWaitNanos(cfg, 0) + TimeUnit.MILLISECONDS.toNanos(1);
            }
        } else {
            adflr = deliverySeq;
            asflr = sm.sequence();
        }
        try {
            store.updateDelivered(deliverySeq, sm.sequence(), dc, ts);
        } catch (StoreException e) {
            // A consumer store refuses what it cannot record (e.g. redelivery without acks); delivery goes on.
        }
        String fc = flow.delivered(size);
        boolean release = cfg.ackPolicy == Ack.NONE
                && stream.config().retention != nats.jetstream.internal.model.Policies.Retention.LIMITS;
        byte[] data;
        if (headers.length == 0) {
            data = payload;
        } else {
            data = new byte[headers.length + payload.length];
            System.arraycopy(headers, 0, data, 0, headers.length);
            System.arraycopy(payload, 0, data, headers.length, payload.length);
        }
        byte[] shown = subjectBytes(sm.subject());
        return delivery.set(route, java.util.Arrays.equals(route, shown) ? null : shown, reply, data, headers.length,
                delay, fc, release ? sm.sequence() : 0, sm.subject());
    }

    /** A stream's messages mostly repeat a few subjects: the last one's bytes are kept, not encoded per delivery. */
    private byte[] subjectBytes(String subject) {
        if (!subject.equals(lastSubject)) {
            lastSubjectBytes = subject.getBytes(StandardCharsets.UTF_8);
            lastSubject = subject;
        }
        return lastSubjectBytes;
    }

    /** A push consumer's deliver subject as bytes, encoded again only when the subject changed. */
    private byte[] deliverSubjectBytes(String subject) {
        if (!subject.equals(deliverSubject)) {
            deliverSubjectBytes = subject.getBytes(StandardCharsets.UTF_8);
            deliverSubject = subject;
        }
        return deliverSubjectBytes;
    }

    /** {@code $JS.ACK.<stream>.<consumer>.}, the part of every ack subject that never changes. */
    private byte[] ackPrefix() {
        byte[] p = ackPrefix;
        if (p == null) {
            p = ("$JS.ACK." + stream.name() + "." + name + ".").getBytes(StandardCharsets.UTF_8);
            ackPrefix = p;
        }
        return p;
    }

    /** Go's {@code getNextMsg}: a redelivery first, then the skip list of last-per-subject, then the next match. */
    private StoredMessage nextMessage(ConsumerSettings cfg) {
        while (!rdq.isEmpty()) {
            Iterator<Long> it = rdq.iterator();
            long seq = it.next();
            it.remove();
            long dc = rdc.merge(seq, 1L, Long::sum) + 1;
            if (cfg.maxDeliver > 0 && dc > cfg.maxDeliver) {
                if (dc == cfg.maxDeliver + 1) {
                    stream.account().advisories().maxDeliveries(stream.name(), name, seq, dc - 1);
                }
                pending.remove(seq);
                continue;
            }
            var sm = stream.store().load(seq);
            if (sm.isPresent()) {
                nextDeliveries = dc;
                return sm.get();
            }
            pending.remove(seq);
            rdc.remove(seq);
        }
        long maxAckPending = cfg.maxAckPending;
        if (maxAckPending > 0 && pending.size() >= maxAckPending) {
            noMoreMessages = false;
            return null;
        }
        if (lastPerSubject != null) {
            while (lastPerSubjectNext < lastPerSubject.length) {
                long seq = lastPerSubject[lastPerSubjectNext++];
                if (lastPerSubjectNext == lastPerSubject.length) {
                    sseq = Math.max(sseq, lastPerSubjectResume + 1);
                    lastPerSubject = null;
                }
                var sm = stream.store().load(seq);
                if (sm.isPresent()) {
                    if (seq >= sseq) {
                        sseq = seq + 1;
                    }
                    nextDeliveries = 1;
                    return sm.get();
                }
                if (lastPerSubject == null) {
                    break;
                }
            }
            lastPerSubject = null;
        }
        // The last sequence is read before looking: a message the writer stores meanwhile is above it, so skipping
        // ahead to it can never pass over a message the look did not see.
        long last = stream.store().lastSequence();
        var sm = stream.store().loadNext(filter, sseq);
        noMoreMessages = sm.isEmpty();
        if (sm.isEmpty()) {
            if (sseq <= last) {
                // Nothing matches up to the end: skip ahead so the next look starts at new messages.
                sseq = last + 1;
            }
            return null;
        }
        sseq = sm.get().sequence() + 1;
        nextDeliveries = 1;
        return sm.get();
    }

    // --- ack wait -----------------------------------------------------------------------------------------

    /** Makes the agent look at redeliveries now (a NAK with a delay moved a deadline). */
    void recheckPendingSoon() {
        ackCheckDueNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
        wake();
    }

    // --- flow control -------------------------------------------------------------------------------------


}
