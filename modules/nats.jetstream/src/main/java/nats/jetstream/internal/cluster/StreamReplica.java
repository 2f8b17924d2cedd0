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

/**
 * This server's member of one stream's RAFT group (Go's stream group, e.g. {@code S-R3F-...}). The leader subscribes
 * to the stream's subjects and proposes each message as received; every member applies committed messages
 * through the stream's own writer ({@link Replicas#apply}), in log order, so all replicas run the same checks and
 * store the same sequences. Only the member that proposed an entry in this run answers its publisher, after the
 * commit (a quorum has it on disk) and the local store made it durable.
 *
 * <p>Consumers run on the leader only. Their definitions and states travel through the same group
 * ({@link ConsumerSync}): the leader proposes a consumer's definition before its create is answered, its state
 * (delivered, ack floor, pending) after each ack (group-committed, an {@code AckSync} answered after the commit)
 * and every 200 ms when deliveries changed it, and its deletion; a new leader starts each consumer from the last
 * committed state, so a durable consumer continues (messages delivered but not acknowledged in a committed state are
 * delivered again). Acknowledged messages of interest and work-queue streams are removed through the group.
 *
 * <p>The replica's store is rebuilt from the group's log when the server starts (stream groups keep their whole
 * log: no snapshots yet), which makes a replayed entry impossible to store twice.
 */
final class StreamReplica implements StateMachine, DirectHandler {

    private static final byte MESSAGE = 1;
    static final byte CONSUMER_DEFINED = 2;
    static final byte CONSUMER_DELETED = 3;
    static final byte CONSUMER_STATE = 4;
    private static final byte REQUEST = 5;
    /** The removal of a message every consumer acknowledged (interest and work-queue retention): u64 sequence. */
    static final byte ACKED_REMOVAL = 6;

    private final JsCluster cluster;
    private final JsAccount account;
    private volatile StreamAssignment assignment;
    private final String self;
    private final Stream stream;
    private final NrgTransport transport;
    private final RaftNode node;
    private final List<Subscription> ingest = new ArrayList<>();
    private boolean leading;
    /** The consumers and their last states, as committed in the group (applied on the group's thread). */
    private final Map<String, byte[]> consumerDefs = new ConcurrentHashMap<>();
    private final Map<String, byte[]> consumerStates = new ConcurrentHashMap<>();
    /** The consumers in the group: interest on every member, their replication on the leader. */
    private final ConsumerSync consumers;
    /** The new leader's read index: done once it has applied what was committed before its election. */
    private CompletableFuture<Long> readIndex;
    /** The create or update request this member answers when it leads (set when applied live, not replayed). */
    private volatile String pendingReply = "";
    private volatile String pendingType = "";

    StreamReplica(JsCluster cluster, JsAccount account, StreamAssignment sa, String pendingReply, String pendingType) {
        this.cluster = cluster;
        this.account = account;
        this.assignment = sa;
        this.self = cluster.selfId() + "/" + cluster.runId();
        this.pendingReply = pendingReply;
        this.pendingType = pendingType;
        StreamSettings cfg = StreamSettings.parse(sa.config());
        this.stream = Replicas.openReplica(account, cfg, Instant.parse(sa.created()));
        this.consumers = new ConsumerSync(stream);
        Replicas.hooks(stream, consumers);
        this.transport = new NrgTransport(cluster.systemConnection(), sa.group());
        List<Member> members = sa.peers().stream().map(Member::voter).toList();
        this.node = cluster.startGroup(sa.group(), members, this, transport);
        consumers.node(node);
        transport.attach(cluster.selfId(), node);
    }

    Stream stream() {
        return stream;
    }

    RaftNode node() {
        return node;
    }

    StreamAssignment assignment() {
        return assignment;
    }

    /** Follows leadership: the leader takes the stream's subjects and answers a pending request. */
    synchronized void tick() {
        boolean leader = node.state() == RaftState.LEADER;
        if (leader && !leading) {
            leading = true;
            subscribe();
        } else if (!leader && leading) {
            leading = false;
            unsubscribe();
            stopConsumers();
        }
        if (!leader) {
            readIndex = null;
        }
        if (leader && caughtUp()) {
            consumers.install(consumerDefs, consumerStates);
            consumers.tick();
        }
        if (leader && !pendingReply.isEmpty() && caughtUp()) {
            String reply = pendingReply;
            pendingReply = "";
            cluster.answerStreamRequest(this, reply, pendingType);
        }
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
        Replicas.update(stream, StreamSettings.parse(sa.config()));
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

    /** The leader's ingest: copies the message and proposes it; the answer comes from {@link #apply}. */
    @Override
    public boolean onMessage(InboundMessage m) {
        if (node.state() != RaftState.LEADER) {
            return false;
        }
        byte[] subject = Arrays.copyOfRange(m.subjectArray(), m.subjectOffset(), m.subjectOffset() + m.subjectLength());
        byte[] reply = Arrays.copyOfRange(m.replyArray(), m.replyOffset(), m.replyOffset() + m.replyLength());
        int h = m.headerLength();
        byte[] data = m.dataArray();
        int off = m.dataOffset();
        byte[] proposer = self.getBytes(StandardCharsets.UTF_8);
        ByteBuffer entry = ByteBuffer.allocate(1 + 2 + proposer.length + 2 + subject.length + 2 + reply.length + 4
                + m.dataLength());
        entry.put(MESSAGE).putShort((short) proposer.length).put(proposer).putShort((short) subject.length)
                .put(subject).putShort((short) reply.length).put(reply).putInt(h).put(data, off, m.dataLength());
        node.propose(entry.array());
        return true;
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
        }
    }

    @Override
    public void apply(long index, byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data);
        byte type = b.get();
        if (type == REQUEST) {
            applyRequest(b);
            return;
        }
        if (type == ACKED_REMOVAL) {
            Replicas.removeAcknowledged(stream, b.getLong());
            return;
        }
        if (type != MESSAGE) {
            String name = text(b, b.getShort() & 0xFFFF);
            byte[] rest = new byte[b.remaining()];
            b.get(rest);
            switch (type) {
                case CONSUMER_DEFINED -> {
                    consumerDefs.put(name, rest);
                    consumers.defined(name, rest);
                }
                case CONSUMER_STATE -> consumerStates.put(name, rest);
                case CONSUMER_DELETED -> {
                    consumerDefs.remove(name);
                    consumerStates.remove(name);
                    consumers.deleted(name);
                }
                default -> cluster.log().log(System.Logger.Level.WARNING, "stream group {0}: unknown entry type {1}",
                        assignment.group(), type);
            }
            return;
        }
        String proposer = text(b, b.getShort() & 0xFFFF);
        String subject = text(b, b.getShort() & 0xFFFF);
        byte[] reply = new byte[b.getShort() & 0xFFFF];
        b.get(reply);
        int h = b.getInt();
        byte[] headers = new byte[h];
        b.get(headers);
        byte[] payload = new byte[b.remaining()];
        b.get(payload);
        boolean answer = reply.length > 0 && proposer.equals(self);
        Replicas.apply(stream, subject, answer ? reply : null, headers, payload);
    }

    private static String text(ByteBuffer b, int length) {
        byte[] bytes = new byte[length];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Stream groups keep their whole log (see the class comment): nothing to snapshot. */
    @Override
    public byte[] snapshot() {
        throw new UnsupportedOperationException("stream groups do not take snapshots yet");
    }

    @Override
    public void restore(byte[] snapshot) {
        cluster.log().log(System.Logger.Level.ERROR, "stream group {0}: catch-up by snapshot is not implemented",
                assignment.group());
    }

    /** Stops this member; {@code delete} also removes the stream's data and the group's log. */
    synchronized void stop(boolean delete) {
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
