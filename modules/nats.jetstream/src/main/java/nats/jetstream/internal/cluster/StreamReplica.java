package nats.jetstream.internal.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import nats.api.messaging.DirectHandler;
import nats.api.messaging.InboundMessage;
import nats.api.messaging.Subscription;
import nats.jetstream.internal.engine.JsAccount;
import nats.jetstream.internal.engine.Replicas;
import nats.jetstream.internal.engine.Stream;
import nats.jetstream.internal.model.StreamSettings;
import nats.raft.Member;
import nats.raft.RaftNode;
import nats.raft.RaftState;
import nats.raft.StateMachine;
import nats.transport.json.Json;

/**
 * This server's member of one stream's RAFT group (Go's stream group, e.g. {@code S-R3F-...}). The leader subscribes
 * to the stream's subjects and proposes each message as received; every member applies committed messages
 * through the stream's own writer ({@link Replicas#apply}), in log order, so all replicas run the same checks and
 * store the same sequences. Only the member that proposed an entry in this run answers its publisher, after the
 * commit (a quorum has it on disk) and the local store made it durable.
 *
 * <p>Consumers run on the leader only. Their definitions and states travel through the same group
 * ({@link ConsumerSync}): the leader proposes a consumer's definition before its create is answered, its state
 * change (delivered, ack floor, pending added and removed: {@link ConsumerDelta}) after each ack (group-committed, an {@code AckSync} answered after the commit)
 * and every 200 ms when deliveries changed it, and its deletion; a new leader starts each consumer from the last
 * committed state, so a durable consumer continues (messages delivered but not acknowledged in a committed state are
 * delivered again). Acknowledged messages of interest and work-queue streams are removed through the group.
 *
 * <p>The group snapshots the stream's state ({@link StreamSnapshot}: first and last sequence, deleted sequences,
 * consumers) and compacts its log. A member restoring a snapshot (at start, or sent by the leader when it is behind
 * the compacted log) aligns its store with it ({@link Replicas#align}) and fetches the messages it lacks from another
 * replica ({@link CatchUp}) before it applies anything further; until then it does not lead (it steps down) and
 * serves no catch-up. A member whose log starts at the beginning empties its store and rebuilds it from the log, so
 * a replayed entry is never stored twice.
 */
final class StreamReplica implements StateMachine, DirectHandler.Batched {

    private static final byte MESSAGE = 1;
    static final byte CONSUMER_DEFINED = 2;
    static final byte CONSUMER_DELETED = 3;
    static final byte CONSUMER_STATE = 4;
    private static final byte REQUEST = 5;
    /** The removal of a message every consumer acknowledged (interest and work-queue retention): u64 sequence. */
    static final byte ACKED_REMOVAL = 6;
    /** A message with the time its leader received it (type 1 entries, without it, are still read). */
    private static final byte TIMED_MESSAGE = 7;
    /** A consumer's state change since the state its leader proposed before ({@link ConsumerDelta}). */
    static final byte CONSUMER_DELTA = 11;

    private final JsCluster cluster;
    private final JsAccount account;
    private volatile StreamAssignment assignment;
    private final String self;
    /** {@link #self} in UTF-8: written into and compared with every message entry. */
    private final byte[] selfBytes;
    private final Stream stream;
    private final NrgTransport transport;
    private final RaftNode node;
    private final List<Subscription> ingest = new ArrayList<>();
    private boolean leading;
    /** The consumers and their last states, as committed in the group (applied on the group's thread). */
    private final Map<String, byte[]> consumerDefs = new ConcurrentHashMap<>();
    private final Map<String, Map<?, ?>> consumerConfigs = new ConcurrentHashMap<>();
    private final Map<String, ReplicatedConsumerState> consumerStates = new ConcurrentHashMap<>();
    /** What each committed consumer's filter takes (retention). */
    private final Map<String, java.util.function.Predicate<String>> consumerFilters = new ConcurrentHashMap<>();
    /** Interest and work-queue retention, decided by the leader from the committed consumer states. */
    private final CommittedRetention retention;
    /** The consumers in the group: interest on every member, their replication on the leader. */
    private final ConsumerSync consumers;
    /** The new leader's read index: done once it has applied what was committed before its election. */
    private CompletableFuture<Long> readIndex;
    /** The create or update request this member answers when it leads (set when applied live, not replayed). */
    private volatile String pendingReply = "";
    private volatile String pendingType = "";
    /** A restore runs on this leader: it does not subscribe to the stream's subjects meanwhile. */
    private boolean restoring;
    /** Whether this round of applied entries stored messages, and answered any publisher (group thread). */
    private boolean storedInRound;
    private boolean answeredInRound;
    /** Whether the store was aligned with the group's log (emptied, or aligned with a snapshot); group thread. */
    private boolean based;
    /** The snapshot whose messages are still being fetched, or null when the store holds all it should. */
    private volatile StreamSnapshot catchUpTarget;
    private final java.util.concurrent.locks.ReentrantLock catchUpLock = new java.util.concurrent.locks.ReentrantLock();
    private volatile boolean catchUpRunning;
    private volatile boolean stopped;
    private final Subscription catchUpService;

    StreamReplica(JsCluster cluster, JsAccount account, StreamAssignment sa, String pendingReply, String pendingType) {
        this(cluster, account, sa, pendingReply, pendingType, sa.peers());
    }

    /**
     * A member of a group: {@code bootstrap} is the group's members when it is created ({@code sa.peers()}), or the
     * current members (this server not among them) when this server joins a running group, whose leader adds it.
     */
    StreamReplica(JsCluster cluster, JsAccount account, StreamAssignment sa, String pendingReply, String pendingType,
                  List<String> bootstrap) {
        this.cluster = cluster;
        this.account = account;
        this.assignment = sa;
        this.self = cluster.selfId() + "/" + cluster.runId();
        this.selfBytes = self.getBytes(StandardCharsets.UTF_8);
        this.pendingReply = pendingReply;
        this.pendingType = pendingType;
        StreamSettings cfg = StreamSettings.parse(sa.config());
        this.stream = Replicas.openReplica(account, cfg, Instant.parse(sa.created()));
        this.consumers = new ConsumerSync(stream);
        this.retention = new CommittedRetention(stream);
        Replicas.hooks(stream, consumers);
        this.transport = new NrgTransport(cluster.systemConnection(), sa.group());
        List<Member> members = bootstrap.stream().map(Member::voter).toList();
        this.node = cluster.startGroup(sa.group(), members, this, transport);
        consumers.node(node);
        transport.attach(cluster.selfId(), node);
        if (preferred(sa.group(), bootstrap).equals(cluster.selfId())) {
            node.campaign(); // a new group elects its first leader at once (ignored once the group has a term)
        }
        this.catchUpService = CatchUp.serve(cluster.systemConnection(), sa.group(), cluster.selfId(), stream,
                () -> catchUpTarget == null && based, peer -> peersCatchingUp.put(peer, System.nanoTime()));
        this.membership = new GroupMembership(cluster, this);
        this.sourcing = new StreamSourcing(stream, node, account.connection());
    }

    /**
     * The member of a new group that stands for election first (Go's {@code Preferred}, a random peer, which
     * campaigns at once): chosen from the group's name, so every member agrees without another field in the
     * assignment and new groups' first leaders spread over the peers.
     */
    static String preferred(String group, List<String> peers) {
        return peers.isEmpty() ? "" : peers.get(Math.floorMod(group.hashCode(), peers.size()));
    }

    /** The stream's mirror or sources, followed while this member leads. */
    private final StreamSourcing sourcing;

    /** The group's member changes: this server's side (leading them, or leaving). */
    private final GroupMembership membership;

    GroupMembership membership() {
        return membership;
    }

    /** Members that asked this replica for messages lately, with when: they are catching up. */
    private final Map<String, Long> peersCatchingUp = new ConcurrentHashMap<>();

    /** Whether {@code peer} asked for missing messages within the last 2 s (so it is not current, whatever RAFT says). */
    boolean peerCatchingUp(String peer) {
        Long at = peersCatchingUp.get(peer);
        return at != null && System.nanoTime() - at < 2_000_000_000L;
    }

    /** Whether this replica is still fetching messages a snapshot says it should hold. */
    boolean catchingUp() {
        return catchUpTarget != null;
    }

    Stream stream() {
        return stream;
    }

    RaftNode node() {
        return node;
    }

    /** The committed consumers Go would give a RAFT group of more than one peer (its {@code ha_assets}). */
    int consumerGroups() {
        int groups = 0;
        for (Map<?, ?> config : consumerConfigs.values()) {
            if (ConsumerGroups.goGroupSize(config, assignment.config()) > 1) {
                groups++;
            }
        }
        return groups;
    }

    /** The committed consumers as retention sees them (filter, ack policy, committed state). */
    private Map<String, CommittedRetention.Committed> committedConsumers() {
        Map<String, CommittedRetention.Committed> committed = new java.util.HashMap<>();
        consumerFilters.forEach((name, filter) -> committed.put(name,
                new CommittedRetention.Committed(filter, ackPolicy(name), consumerStates.get(name))));
        return committed;
    }

    /** A committed consumer's ack policy as its configuration names it ({@code none} when unset, as parsed). */
    private String ackPolicy(String consumer) {
        Map<?, ?> config = consumerConfigs.get(consumer);
        return config != null && config.get("ack_policy") instanceof String p ? p : "none";
    }

    /** Keeps a committed consumer's definition, and its configuration parsed (read every second for its usage). */
    private void keepConsumer(String name, byte[] definition) {
        consumerDefs.put(name, definition);
        consumerFilters.put(name, Replicas.interestOf(definition));
        Map<String, Object> json = Json.parseObject(new String(definition, StandardCharsets.UTF_8));
        consumerConfigs.put(name, json.get("config") instanceof Map<?, ?> config ? config : Map.of());
    }

    StreamAssignment assignment() {
        return assignment;
    }

    /** Follows leadership: the leader takes the stream's subjects and answers a pending request. */
    synchronized void tick() {
        boolean leader = node.state() == RaftState.LEADER;
        if (catchUpTarget != null) {
            if (leader) {
                node.stepDown(); // it lacks messages: another replica must lead
                leader = false;
            }
            if (!catchUpRunning && node.leader().isPresent()) {
                catchUpRunning = true;
                Thread.ofVirtual().name("catchup-" + assignment.group()).start(this::catchUp);
            }
        }
        if (leader && !leading) {
            leading = true;
            if (!restoring && !restorePending()) {
                subscribe();
            }
        } else if (!leader && leading) {
            leading = false;
            unsubscribe();
            stopConsumers();
            sourcing.follow();
        }
        if (!leader) {
            readIndex = null;
        }
        if (leader && caughtUp()) {
            if (consumers.install(consumerDefs, consumerStates)) {
                // What the committed states show acknowledged and the previous leader had not removed.
                retention.sweep(committedConsumers(), node);
            }
            consumers.tick();
            membership.lead();
            sourcing.lead();
        }
        membership.tick(leader);
        if (leader && !pendingReply.isEmpty() && caughtUp()) {
            String reply = pendingReply;
            pendingReply = "";
            if (pendingType.equals(ClusteredRestore.PENDING_TYPE)) {
                restoring = true; // the stream takes no publishes until it holds the snapshot's messages
                new ClusteredRestore(cluster, this, account).start(reply);
            } else {
                cluster.answerStreamRequest(this, reply, pendingType);
            }
        }
    }

    private boolean restorePending() {
        return !pendingReply.isEmpty() && pendingType.equals(ClusteredRestore.PENDING_TYPE);
    }

    /** A restore on this leader ({@link ClusteredRestore}) ended: publishes are taken again if it still leads. */
    synchronized void restoreEnded() {
        restoring = false;
        if (leading && ingest.isEmpty()) {
            subscribe();
        }
    }

    StreamSourcing sourcing() {
        return sourcing;
    }

    /**
     * Whether this leader has applied everything committed before it was elected: a new leader holds every
     * committed entry but learns that they are committed only with a quorum's answer, so it asks for a read index.
     */
    private boolean caughtUp() {
        CompletableFuture<Long> r = readIndex;
        if (r == null || (r.isCompletedExceptionally() && node.state() == RaftState.LEADER)) {
            readIndex = node.readIndex();
            return false;
        }
        return r.isDone() && !r.isCompletedExceptionally();
    }

    private void stopConsumers() {
        consumers.stop();
    }

    /** Proposes a consumer's definition and state (or deletion) now; completes once committed. */
    CompletableFuture<Void> commitConsumer(String name) {
        return consumers.commit(name);
    }

    boolean isLeader() {
        return node.state() == RaftState.LEADER;
    }

    /** Whether this leader serves requests: it applied what was committed before it and runs the consumers. */
    boolean serving() {
        return isLeader() && consumers.installed();
    }

    /** A configuration update committed by the meta group. */
    synchronized void update(StreamAssignment sa, String reply) {
        assignment = sa;
        StreamSettings cfg = StreamSettings.parse(sa.config());
        Replicas.update(stream, cfg);
        sourcing.configChanged(cfg);
        if (leading) {
            unsubscribe();
            subscribe();
        }
        if (!reply.isEmpty()) {
            pendingType = "stream_update_response";
            pendingReply = reply;
        }
    }

    private void subscribe() {
        for (String subject : stream.config().subjects) {
            ingest.add(account.connection().subscribeDirect(subject, null, this));
        }
    }

    private void unsubscribe() {
        ingest.forEach(Subscription::unsubscribe);
        ingest.clear();
    }

    /** A publisher's batch is proposed at its end, or in parts of this many messages. */
    private static final int MAX_PROPOSED_AT_ONCE = 512;

    /** The entries of the current publisher's batch not yet proposed: one list per publishing thread. */
    private static final class Unproposed {
        ArrayList<byte[]> entries = new ArrayList<>();
    }

    private final ThreadLocal<Unproposed> unproposed = ThreadLocal.withInitial(Unproposed::new);

    /**
     * The leader's ingest: copies the message into an entry, proposed with the rest of the publisher's batch at
     * its end ({@link #endOfBatch}); the answer comes from {@link #apply}.
     */
    @Override
    public boolean onMessage(InboundMessage m) {
        if (node.state() != RaftState.LEADER) {
            return false;
        }
        int subjectLength = m.subjectLength();
        int replyLength = m.replyLength();
        byte[] proposer = selfBytes;
        ByteBuffer entry = ByteBuffer.allocate(1 + 8 + 2 + proposer.length + 2 + subjectLength + 2 + replyLength + 4
                + m.dataLength());
        Instant now = Instant.now();
        entry.put(TIMED_MESSAGE).putLong(now.getEpochSecond() * 1_000_000_000L + now.getNano())
                .putShort((short) proposer.length).put(proposer)
                .putShort((short) subjectLength).put(m.subjectArray(), m.subjectOffset(), subjectLength)
                .putShort((short) replyLength);
        if (replyLength > 0) {
            entry.put(m.replyArray(), m.replyOffset(), replyLength);
        }
        entry.putInt(m.headerLength()).put(m.dataArray(), m.dataOffset(), m.dataLength());
        Unproposed batch = unproposed.get();
        batch.entries.add(entry.array());
        if (batch.entries.size() >= MAX_PROPOSED_AT_ONCE) {
            propose(batch);
        }
        return true;
    }

    /** The publisher's read (or flush) is over: its messages go to the group's thread as one proposal. */
    @Override
    public void endOfBatch() {
        propose(unproposed.get());
    }

    private void propose(Unproposed batch) {
        if (!batch.entries.isEmpty()) {
            node.proposeAll(batch.entries); // the node keeps the list
            batch.entries = new ArrayList<>();
        }
    }

    /** Replicates an API request about this stream (the leader's side); its answer comes from {@link #apply}. */
    void proposeRequest(nats.api.messaging.Message request) {
        byte[] proposer = self.getBytes(StandardCharsets.UTF_8);
        byte[] subject = request.subject().getBytes(StandardCharsets.UTF_8);
        byte[] reply = request.replyTo().getBytes(StandardCharsets.UTF_8);
        byte[] body = request.payload();
        node.propose(ByteBuffer.allocate(1 + 2 + proposer.length + 2 + subject.length + 2 + reply.length + body.length)
                .put(REQUEST).putShort((short) proposer.length).put(proposer).putShort((short) subject.length)
                .put(subject).putShort((short) reply.length).put(reply).put(body).array());
    }

    private void applyRequest(ByteBuffer b) {
        String proposer = text(b, b.getShort() & 0xFFFF);
        String subject = text(b, b.getShort() & 0xFFFF);
        String reply = text(b, b.getShort() & 0xFFFF);
        byte[] body = new byte[b.remaining()];
        b.get(body);
        ClusterRequests handler = cluster.requests();
        if (handler == null) {
            return;
        }
        String response = handler.applyRequest(account, new nats.api.messaging.Message(subject, reply,
                nats.api.messaging.Message.NO_HEADERS, body));
        if (proposer.equals(self) && !reply.isEmpty()) {
            account.connection().publish(new nats.api.messaging.Message(reply, "", nats.api.messaging.Message.NO_HEADERS,
                    response.getBytes(StandardCharsets.UTF_8)));
            handler.answered(account, subject, "", response); // Go's leader audits it without the request
        }
    }

    @Override
    public void apply(long index, byte[] data) {
        if (!based) {
            Replicas.reset(stream); // the log is applied from its start: rebuild the store from it
            based = true;
        }
        if (catchUpTarget != null) {
            catchUp(); // the messages of the snapshot come before this entry's
        }
        if (restorePending() && !isLeader()) {
            pendingReply = ""; // the group's leader took the restore: a later leader must not start it again
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        byte type = b.get();
        if (type == REQUEST) {
            applyRequest(b);
            return;
        }
        if (StreamSourcing.isSourcingEntry(type)) {
            storedInRound = true; // a sourced message's append also waits for applied() to wake the flusher
            StreamSourcing.apply(stream, type, b);
            return;
        }
        if (type == ACKED_REMOVAL) {
            Replicas.removeAcknowledged(stream, b.getLong());
            return;
        }
        long timestamp = type == TIMED_MESSAGE ? b.getLong() : 0;
        if (type != MESSAGE && type != TIMED_MESSAGE) {
            String name = text(b, b.getShort() & 0xFFFF);
            byte[] rest = new byte[b.remaining()];
            b.get(rest);
            switch (type) {
                case CONSUMER_DEFINED -> {
                    keepConsumer(name, rest);
                    consumers.defined(name, rest);
                }
                case CONSUMER_STATE -> {
                    ReplicatedConsumerState after = ReplicatedConsumerState.applied(rest);
                    ReplicatedConsumerState before = consumerStates.put(name, after);
                    if (isLeader()) {
                        retention.acknowledged(ReplicatedConsumerState.acknowledged(before, after), ackPolicy(name),
                                committedConsumers(), node);
                    }
                }
                case CONSUMER_DELTA -> {
                    ReplicatedConsumerState state = consumerStates.get(name);
                    if (state != null) { // a delta always follows a whole state of the same consumer
                        ReplicatedConsumerState.Acked acked = state.apply(ByteBuffer.wrap(rest));
                        if (isLeader()) {
                            retention.acknowledged(acked, ackPolicy(name), committedConsumers(), node);
                        }
                    }
                }
                case CONSUMER_DELETED -> {
                    consumerDefs.remove(name);
                    consumerConfigs.remove(name);
                    consumerStates.remove(name);
                    consumerFilters.remove(name);
                    consumers.deleted(name);
                    if (isLeader()) {
                        retention.sweep(committedConsumers(), node); // messages only it still needed
                    }
                }
                default -> cluster.log().log(System.Logger.Level.WARNING, "stream group {0}: unknown entry type {1}",
                        assignment.group(), type);
            }
            return;
        }
        boolean mine = isSelf(b, b.getShort() & 0xFFFF);
        String subject = text(b, b.getShort() & 0xFFFF);
        byte[] reply = new byte[b.getShort() & 0xFFFF];
        b.get(reply);
        int h = b.getInt();
        byte[] headers = new byte[h];
        b.get(headers);
        byte[] payload = new byte[b.remaining()];
        b.get(payload);
        boolean answer = reply.length > 0 && mine;
        storedInRound = true; // first: applied() must wake the store's flusher even if the store refuses this one
        Replicas.apply(stream, subject, answer ? reply : null, headers, payload, timestamp);
        answeredInRound |= answer;
    }

    /** The round's messages are stored: one flusher wake-up and one flush of their acks (group thread). */
    @Override
    public void applied() {
        if (storedInRound) {
            Replicas.applied(stream, answeredInRound);
            storedInRound = false;
            answeredInRound = false;
        }
    }

    /** Whether the next {@code length} bytes (consumed) name this member: only the proposer answers. */
    private boolean isSelf(ByteBuffer b, int length) {
        int at = b.position();
        b.position(at + length);
        return Arrays.equals(b.array(), at, at + length, selfBytes, 0, selfBytes.length);
    }

    private static String text(ByteBuffer b, int length) {
        byte[] bytes = new byte[length];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * The stream's state as of the last applied entry. Its messages are synced first: the group's log before this
     * point is dropped once the snapshot is saved, so this store (or another replica's) is then their only copy.
     */
    @Override
    public byte[] snapshot() {
        var store = stream.store();
        store.sync();
        var state = store.state();
        return new StreamSnapshot(state.firstSequence(), state.lastSequence(), state.deleted(),
                new java.util.TreeMap<>(consumerDefs), encodedStates()).encode();
    }

    private Map<String, byte[]> encodedStates() {
        Map<String, byte[]> encoded = new java.util.TreeMap<>();
        consumerStates.forEach((name, state) -> encoded.put(name, state.encode()));
        return encoded;
    }

    /**
     * Takes a snapshot's state: at start (the log before it is gone) or from the leader (this member was behind its
     * compacted log). The store keeps what matches and fetches the rest; at start that waits until a leader is
     * known (the first entry applied, or {@link #tick}), from the leader it happens now.
     */
    @Override
    public void restore(byte[] data) {
        StreamSnapshot snap = StreamSnapshot.decode(data);
        for (String name : List.copyOf(consumerDefs.keySet())) {
            if (!snap.consumerDefs().containsKey(name)) {
                consumers.deleted(name);
            }
        }
        snap.consumerDefs().forEach(consumers::defined); // their interest, on every member
        consumerDefs.clear();
        consumerConfigs.clear();
        consumerFilters.clear();
        snap.consumerDefs().forEach(this::keepConsumer);
        consumerStates.clear();
        snap.consumerStates().forEach((name, state) -> consumerStates.put(name, ReplicatedConsumerState.decode(state)));
        boolean behind;
        catchUpLock.lock(); // a catch-up under way (for an earlier snapshot) must not store while the store is aligned
        try {
            long have = Replicas.align(stream, snap.first(), snap.last(), snap.deleted());
            based = true;
            behind = have < snap.last();
            if (behind) {
                cluster.log().log(System.Logger.Level.INFO, "stream group {0}: store ends at {1}, snapshot at {2}: "
                        + "catching up", assignment.group(), have, snap.last());
                catchUpTarget = snap;
                Replicas.pauseDirect(stream, true);
            } else if (catchUpTarget != null) {
                catchUpTarget = null; // this newer snapshot is held already
                Replicas.pauseDirect(stream, false);
            }
        } finally {
            catchUpLock.unlock();
        }
        if (behind && node != null) {
            catchUp();
        }
    }

    /** Fetches what the snapshot being restored says this store lacks; returns when done or stopped. */
    private void catchUp() {
        catchUpLock.lock();
        catchUpRunning = true;
        try {
            StreamSnapshot target;
            while ((target = catchUpTarget) != null && !stopped) {
                long started = System.nanoTime();
                long from = stream.store().fastState().lastSequence();
                boolean done = CatchUp.fetch(cluster.systemConnection(), assignment.group(), cluster.selfId(), stream,
                        target.last(), this::catchUpSources, () -> stopped, cluster.log());
                if (done && catchUpTarget == target) {
                    catchUpTarget = null;
                    Replicas.pauseDirect(stream, false);
                    cluster.log().log(System.Logger.Level.INFO, "stream group {0}: caught up {1} sequences in {2} ms",
                            assignment.group(), target.last() - from, (System.nanoTime() - started) / 1_000_000);
                }
            }
        } finally {
            catchUpRunning = false;
            catchUpLock.unlock();
        }
    }

    /** The group's leader first, then the other members. */
    private List<String> catchUpSources() {
        List<String> sources = new ArrayList<>();
        node.leader().filter(l -> !l.equals(cluster.selfId())).ifPresent(sources::add);
        for (Member m : node.members()) {
            if (!m.id().equals(cluster.selfId()) && !sources.contains(m.id())) {
                sources.add(m.id());
            }
        }
        return sources;
    }

    /** Stops this member; {@code delete} also removes the stream's data and the group's log. */
    synchronized void stop(boolean delete) {
        stopped = true;
        catchUpService.unsubscribe();
        membership.close();
        sourcing.follow();
        unsubscribe();
        if (!delete) {
            consumers.stop();
        }
        leading = false;
        node.close();
        transport.close();
        if (delete) {
            account.deleteStream(stream);
            Replicas.deleteTree(cluster.groupDirectory(assignment.group()));
        }
    }
}
