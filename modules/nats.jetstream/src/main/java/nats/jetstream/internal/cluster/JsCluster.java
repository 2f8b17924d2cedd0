package nats.jetstream.internal.cluster;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import nats.api.ServerContext;
import nats.api.accounts.PluginAccount;
import nats.api.messaging.InternalConnection;
import nats.api.messaging.Message;
import nats.jetstream.internal.engine.JetStream;
import nats.jetstream.internal.engine.JsAccount;
import nats.jetstream.internal.engine.Replicas;
import nats.raft.Member;
import nats.raft.RaftConfig;
import nats.raft.RaftGroups;
import nats.raft.RaftNode;
import nats.raft.RaftState;
import nats.raft.StateMachine;
import nats.raft.RaftTransport;
import nats.transport.json.GoJson;
import nats.transport.json.Json;

/**
 * Clustered JetStream on this server (Go's {@code jetStreamCluster}): the JetStream servers of the cluster, learnt
 * from the routes, form the meta group {@code _meta_}; its leader places streams on peers and replicates the
 * assignments, and every server applies them, running its member of each stream group it was placed in.
 *
 * <p>Clustered mode starts with a cluster that has a port, as Go's: the meta group forms once JetStream peers
 * appear on the routes ({@link MetaMembership}), and until it has a leader requests get 503 10008.
 */
public final class JsCluster {

    static final String META = "_meta_";

    private final JetStream js;
    private final ServerContext context;
    private final System.Logger log;
    private final String selfName;
    private final String selfId;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final JsPeers peers;
    private final Path root;
    private final Duration electionMin;
    private final Map<String, StreamAssignment> streams = new ConcurrentHashMap<>();
    private final Map<String, StreamReplica> replicas = new ConcurrentHashMap<>();
    private volatile InternalConnection system;
    private volatile RaftNode meta;
    private volatile NrgTransport metaTransport;
    private volatile MetaMembership membership;
    private ScheduledFuture<?> ticker;
    private ScheduledFuture<?> usageTicker;
    private final UsageGossip usage;
    private volatile boolean stopped;
    /** JetStream was disabled here: this server was removed from the cluster ({@code SERVER.REMOVE}). */
    private volatile boolean disabled;
    private volatile ClusterRequests requests;
    private final PeerChanges peerChanges = new PeerChanges(this);

    public JsCluster(JetStream js, ServerContext context) {
        this.js = js;
        this.context = context;
        this.log = js.log();
        this.selfName = context.identity().serverName();
        this.selfId = JsPeers.nodeId(selfName);
        StartChecks checks = new StartChecks(!selfName.equals(context.identity().serverId()),
                js.options().extensionHint(), js.options().maxCatchup());
        this.peers = new JsPeers(selfName, context.settings().tags(),
                () -> new JsPeers.Limits(js.maxMemory(), js.maxStore()), checks, () -> {
            MetaMembership m = membership;
            if (m != null) {
                m.peersChanged();
            }
        });
        // Go keeps the meta group under the system account: <store>/$SYS/_js_/_meta_.
        this.root = js.options().storeRoot().resolve("$SYS").resolve("_js_");
        this.usage = new UsageGossip(js, selfId, this::isStreamLeader, (a, st) -> streams.containsKey(key(a, st)),
                this::haAssets);
        long ms = Long.getLong("nats.jetstream.cluster.election_ms", 4000);
        this.electionMin = Duration.ofMillis(ms);
    }

    /** Joins the route gossip (before the routes start) and starts watching for JetStream peers. */
    public void start() {
        context.links().addRouteGossip(peers);
        PluginAccount sys = context.accounts().system().orElse(context.accounts().global());
        system = sys.connect("jetstream-cluster");
        membership = new MetaMembership(peers, system, selfId, !selfName.equals(context.identity().serverId()),
                groupDirectory(META).resolve("peers.json"), runId, log);
        system.subscribe(MetaMembership.MEMBERS_SUBJECT, m -> membership.answerMembers(meta, m));
        system.subscribe("$JSC.SI.*.*", this::answerStreamInfo);
        system.subscribe(MetaMembership.REMOVED_PREFIX + selfId, m -> disableAfterRemoval());
        ticker = js.timers().scheduleWithFixedDelay(this::tick, 50, 50, TimeUnit.MILLISECONDS);
        system.subscribe(UsageGossip.SUBJECT_PREFIX + "*", this::receiveUsage);
        usageTicker = js.timers().scheduleWithFixedDelay(this::publishUsage, 1, 1, TimeUnit.SECONDS);
    }

    public void stop() {
        stopped = true;
        if (ticker != null) {
            ticker.cancel(false);
        }
        if (usageTicker != null) {
            usageTicker.cancel(false);
        }
        replicas.values().forEach(r -> r.stop(false));
        replicas.clear();
        RaftNode m = meta;
        if (m != null) {
            m.close();
            metaTransport.close();
        }
        if (system != null) {
            system.close();
        }
    }

    /**
     * Whether requests are answered the clustered way: once a cluster with a port starts, as Go's
     * {@code enableJetStreamClustering}, so that until the meta group has a leader (its peers settle first) every
     * request gets 503 10008 "temporarily unavailable" instead of the single-server path (which created R1 streams
     * on every server that was asked in that window); or once the meta group runs.
     */
    public boolean isClustered() {
        return meta != null || peers.clusterStarting() || disabled;
    }

    /** Whether this server's JetStream was disabled because it was removed from the cluster (it answers nothing). */
    public boolean isDisabled() {
        return disabled;
    }

    /**
     * This server was removed from the meta group (Go's {@code processRemovePeer} on the server removed): JetStream
     * is disabled here with Go's error line and {@code $JS.EVENT.ADVISORY.SERVER.REMOVED} in the system account; its
     * replicas stop (their files stay, as Go's shutdown leaves them), its meta member hands on the leadership if it
     * has it and deletes its state.
     */
    void disableAfterRemoval() {
        if (disabled || stopped) {
            return;
        }
        disabled = true;
        log.log(System.Logger.Level.ERROR, "JetStream being DISABLED, our server was removed from the cluster");
        Map<String, Object> adv = new LinkedHashMap<>();
        adv.put("type", "io.nats.jetstream.advisory.v1.server_removed");
        adv.put("id", nats.jetstream.internal.engine.Nuid.next());
        adv.put("timestamp", Instant.now());
        adv.put("server", selfName);
        adv.put("server_id", context.identity().serverId());
        adv.put("cluster", clusterName());
        if (!js.options().domain().isEmpty()) {
            adv.put("domain", js.options().domain());
        }
        system.publish(new Message("$JS.EVENT.ADVISORY.SERVER.REMOVED", "", Message.NO_HEADERS,
                GoJson.compact(adv).getBytes(StandardCharsets.UTF_8)));
        Thread.ofVirtual().name("jetstream-disable").start(this::shutDownAfterRemoval);
    }

    private void shutDownAfterRemoval() {
        for (StreamReplica r : List.copyOf(replicas.values())) {
            r.stop(false);
        }
        replicas.clear();
        RaftNode m = meta;
        if (m == null) {
            return;
        }
        if (m.state() == RaftState.LEADER) {
            log.log(System.Logger.Level.WARNING, "JetStream initiating meta leader transfer");
            try {
                m.stepDown().get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.log(System.Logger.Level.WARNING, "JetStream timeout waiting for meta leader transfer");
            }
        }
        meta = null;
        m.close();
        metaTransport.close();
        Replicas.deleteTree(groupDirectory(META));
    }

    public boolean isMetaLeader() {
        RaftNode m = meta;
        return m != null && m.state() == RaftState.LEADER;
    }

    /** Whether the meta group has a leader this server knows of. */
    public boolean hasMetaLeader() {
        RaftNode m = meta;
        return m != null && m.leader().isPresent();
    }

    String selfId() {
        return selfId;
    }

    String runId() {
        return runId;
    }

    System.Logger log() {
        return log;
    }

    InternalConnection systemConnection() {
        return system;
    }

    JsPeers peers() {
        return peers;
    }

    public String clusterName() {
        return peers.clusterName();
    }

    /** This server's RAFT members by group name: the meta group's and one per stream group it is placed in. */
    Map<String, RaftNode> raftNodes() {
        Map<String, RaftNode> nodes = new java.util.TreeMap<>();
        RaftNode m = meta;
        if (m != null) {
            nodes.put(META, m);
        }
        for (StreamReplica r : replicas.values()) {
            RaftNode n = r.node();
            if (n != null) {
                nodes.put(n.group(), n);
            }
        }
        return nodes;
    }

    public String serverName(String nodeId) {
        return peers.name(nodeId);
    }

    Path groupDirectory(String group) {
        return root.resolve(group);
    }

    /**
     * Puts Go's clustered account usage into an account info: memory and storage held by every replica in the
     * cluster, consumers of every stream (from the servers' usage reports, {@link UsageGossip}; about a second
     * behind).
     */
    public void putAccountUsage(Map<String, Object> out, JsAccount account) {
        UsageGossip.Usage u = usage.total(account);
        out.put("memory", u.memory());
        out.put("storage", u.storage());
        out.put("consumers", u.consumers());
        if (out.get("api") instanceof Map<?, ?>) {
            Map<String, Object> api = new LinkedHashMap<>();
            api.put("total", u.api());
            api.put("errors", u.apiErrors());
            out.put("api", api);
        }
    }

    private void publishUsage() {
        InternalConnection sys = system;
        if (stopped || disabled || meta == null || sys == null) {
            return;
        }
        try {
            usage.publish(sys);
        } catch (RuntimeException e) {
            log.log(System.Logger.Level.WARNING, "JetStream cluster: usage report not sent: " + e, e);
        }
    }

    private void receiveUsage(Message m) {
        try {
            usage.receive(m);
        } catch (RuntimeException e) {
            log.log(System.Logger.Level.WARNING, "JetStream cluster: bad usage report on {0}: {1}", m.subject(),
                    e.toString());
        }
    }

    // --- the meta group --------------------------------------------------------------------------------------

    private void tick() {
        if (stopped || disabled) {
            return;
        }
        try {
            if (meta == null) {
                maybeStartMeta();
            } else {
                membership.removeRemovedPeers(meta);
                membership.addNewPeers(meta);
            }
            startMissingReplicas();
            for (StreamReplica r : replicas.values()) {
                r.tick();
            }
        } catch (RuntimeException e) {
            log.log(System.Logger.Level.WARNING, "JetStream cluster: " + e, e);
        }
    }

    private void maybeStartMeta() {
        Optional<List<String>> members = membership.initialMembers();
        if (members.isEmpty()) {
            return;
        }
        log.log(System.Logger.Level.INFO, "Creating JetStream metadata controller");
        metaTransport = new NrgTransport(system, META);
        RaftNode node = startGroup(META, members.get().stream().map(Member::voter).toList(), new MetaMachine(this),
                metaTransport);
        metaTransport.attach(selfId, node);
        meta = node;
    }

    /** Entries a stream group applies between snapshots (each compacts its log); the system property is for tests. */
    private static long streamSnapshotEntries() {
        return Math.max(1, Long.getLong("nats.jetstream.cluster.stream_snapshot_entries", 100_000));
    }

    /** Entries the meta group applies between snapshots; the system property is for tests. */
    private static long metaSnapshotEntries() {
        return Math.max(1, Long.getLong("nats.jetstream.cluster.meta_snapshot_entries", 10_000));
    }

    RaftNode startGroup(String group, List<Member> members, StateMachine machine, RaftTransport transport) {
        Duration min = electionMin;
        RaftConfig cfg = RaftConfig.of(group, selfId, members, groupDirectory(group))
                .withTiming(min, min.multipliedBy(9).dividedBy(4), min.dividedBy(4))
                .withSnapshotThreshold(group.equals(META) ? metaSnapshotEntries() : streamSnapshotEntries());
        return RaftGroups.load().start(cfg, machine, transport);
    }

    /** Go's {@code MetaClusterInfo}: name, leader, its node id, the replicas (on the leader) and the size. */
    public Optional<Map<String, Object>> metaClusterInfo() {
        RaftNode m = meta;
        if (m == null) {
            return Optional.empty();
        }
        Map<String, Object> info = new LinkedHashMap<>();
        if (!clusterName().isEmpty()) {
            info.put("name", clusterName());
        }
        m.leader().ifPresent(l -> {
            info.put("leader", peers.name(l));
            info.put("peer", l);
        });
        if (m.state() == RaftState.LEADER) {
            List<Map<String, Object>> list = peerInfos(m);
            if (!list.isEmpty()) {
                info.put("replicas", list);
            }
        }
        info.put("cluster_size", m.members().stream().filter(Member::voter).count());
        return Optional.of(info);
    }

    /** Go's {@code PeerInfo} of each other member, as the leader {@code node} sees them. */
    private List<Map<String, Object>> peerInfos(RaftNode node) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (nats.raft.PeerInfo p : node.peers()) {
            if (p.id().equals(selfId)) {
                continue;
            }
            Map<String, Object> pi = new LinkedHashMap<>();
            pi.put("name", peers.name(p.id()));
            pi.put("current", p.current());
            if (!peers.isOnline(p.id())) {
                pi.put("offline", true);
            }
            pi.put("active", p.lastContactMs() < 0 ? 0L : p.lastContactMs() * 1_000_000L);
            if (p.lag() > 0) {
                pi.put("lag", p.lag());
            }
            pi.put("peer", p.id());
            list.add(pi);
        }
        return list;
    }

    /** Peers a new stream may be placed on: this server and the JetStream peers online now, meta members only. */
    List<String> placementCandidates() {
        List<String> out = new ArrayList<>();
        RaftNode m = meta;
        if (m == null) {
            return out;
        }
        for (Member member : m.members()) {
            if (member.id().equals(selfId) || peers.isOnline(member.id())) {
                out.add(member.id());
            }
        }
        return out;
    }

    /** Proposes an entry of the meta group (the caller is its leader). */
    public CompletableFuture<Long> proposeMeta(Map<String, Object> entry) {
        RaftNode m = meta;
        if (m == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no meta group"));
        }
        return m.propose(GoJson.compact(entry).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Picks {@code replicas} peers among those the placement and the stream's storage allow ({@link PeerSelection}:
     * most room first, for a replicated stream fewest RAFT groups first, ties at random); the result's error says
     * why when there are too few.
     *
     * @param config the stream's configuration (its {@code storage} and {@code max_bytes})
     */
    public PeerSelection.Result place(int replicas, PeerSelection.Placement placement, Map<String, Object> config) {
        PeerSelection.Result r = eligible(replicas, placement, List.of(), config);
        if (!r.error().isEmpty()) {
            return r;
        }
        return new PeerSelection.Result(List.copyOf(r.eligible().subList(0, replicas)), "");
    }

    /**
     * The members (in placement's order) that may take {@code needed} more replicas of a group holding
     * {@code existing}.
     */
    PeerSelection.Result eligible(int needed, PeerSelection.Placement placement, List<String> existing,
                                  Map<String, Object> config) {
        boolean memory = "memory".equals(config.get("storage"));
        long maxBytes = config.get("max_bytes") instanceof Number n ? n.longValue() : 0;
        int replicas = config.get("num_replicas") instanceof Number n ? n.intValue() : 1;
        PeerSelection.Demand demand = new PeerSelection.Demand(maxBytes, js.options().limits().maxHaAssets(),
                replicas > 1);
        List<PeerSelection.Node> nodes = new ArrayList<>();
        RaftNode m = meta;
        String cluster = peers.clusterName();
        if (m != null) {
            for (Member member : m.members()) {
                String id = member.id();
                boolean online = id.equals(selfId) || peers.isOnline(id);
                JsPeers.Limits limits = peers.limits(id);
                long room = Math.max(0, (memory ? limits.maxMemory() : limits.maxStore()) - reserved(id, memory));
                // The assignments count at once; the member's own report adds its consumers' groups.
                int assets = id.equals(selfId) ? haAssets() : Math.max(haAssets(id), usage.haAssets(id));
                nodes.add(new PeerSelection.Node(id, cluster, online, peers.tags(id), room, assets));
            }
        }
        java.util.Collections.shuffle(nodes, ThreadLocalRandom.current());
        return PeerSelection.select(needed, placement, demand, nodes, existing, cluster, js.options().uniqueTag());
    }

    /**
     * What the streams assigned to a member reserve in one storage type: the sum of their {@code max_bytes} (Go's
     * reserved memory or storage, which each server reports of itself; here the meta state says it at once).
     */
    private long reserved(String nodeId, boolean memory) {
        long sum = 0;
        for (StreamAssignment sa : streams.values()) {
            if (sa.peers().contains(nodeId) && memory == "memory".equals(sa.config().get("storage"))
                    && sa.config().get("max_bytes") instanceof Number n && n.longValue() > 0) {
                sum += n.longValue();
            }
        }
        return sum;
    }

    /**
     * The RAFT groups a member runs: the meta group and each stream group of more than one peer it is in (Go's
     * {@code ha_assets} without the consumers' groups; here consumers ride their stream's group).
     */
    public int haAssets(String nodeId) {
        int groups = meta == null ? 0 : 1;
        for (StreamAssignment sa : streams.values()) {
            if (sa.peers().size() > 1 && sa.peers().contains(nodeId)) {
                groups++;
            }
        }
        return groups;
    }

    /**
     * This server's {@link #haAssets(String)}, plus the consumers of its stream groups to which Go would give a
     * group of their own (only the members of a stream's group know its consumers, so placement counts without).
     */
    public int haAssets() {
        int assets = haAssets(selfId);
        for (StreamReplica r : replicas.values()) {
            if (r.assignment().peers().size() > 1) {
                assets += r.consumerGroups();
            }
        }
        return assets;
    }

    /** Go's stream group name: {@code S-R<n><F|M>-<random>}. */
    public static String groupName(int replicas, boolean memory) {
        String letters = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder b = new StringBuilder("S-R").append(replicas).append(memory ? 'M' : 'F').append('-');
        for (int i = 0; i < 8; i++) {
            b.append(letters.charAt(ThreadLocalRandom.current().nextInt(letters.length())));
        }
        return b.toString();
    }

    private static String key(String account, String stream) {
        return account + " > " + stream;
    }

    public Optional<Map<String, Object>> streamConfig(String account, String stream) {
        StreamAssignment sa = streams.get(key(account, stream));
        return sa == null ? Optional.empty() : Optional.of(sa.config());
    }

    /** Names of the streams assigned in an account, sorted. */
    public List<String> streamNames(String account) {
        return streams.values().stream().filter(sa -> sa.account().equals(account)).map(StreamAssignment::name)
                .sorted().toList();
    }

    /**
     * Whether this server leads the stream's group and serves it: a new leader answers once it has applied what
     * was committed before it and started the consumers (until then nobody answers, as in an election).
     */
    public boolean isStreamLeader(String account, String stream) {
        StreamReplica r = replicas.get(key(account, stream));
        return r != null && r.serving();
    }

    /**
     * Whether this server must keep a request about the stream until the group has a serving leader: it holds a
     * replica that leads but has not yet applied what its predecessors committed, or that knows no leader (an
     * election is under way). Nobody answers such a request now; dropped, it would be lost.
     */
    public boolean awaitsStreamLeader(String account, String stream) {
        StreamReplica r = replicas.get(key(account, stream));
        if (r == null || r.serving()) {
            return false;
        }
        Optional<String> leader = r.node().leader();
        return leader.isEmpty() || leader.get().equals(selfId);
    }

    /** Whether another member leads the stream's group, as this server's replica sees it. */
    public boolean otherStreamLeaderKnown(String account, String stream) {
        StreamReplica r = replicas.get(key(account, stream));
        return r != null && r.node().leader().filter(l -> !l.equals(selfId)).isPresent();
    }

    /** The stream's leader steps down; completes when it did. */
    public CompletableFuture<Void> stepDownStream(String account, String stream, String preferred) {
        StreamReplica r = replicas.get(key(account, stream));
        if (r == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no replica"));
        }
        return preferred.isEmpty() ? r.node().stepDown() : r.node().transferLeadership(JsPeers.nodeId(preferred));
    }

    /** Whether the server named {@code serverName} holds a replica of the stream. */
    public boolean isStreamPeer(String account, String stream, String serverName) {
        StreamAssignment sa = streams.get(key(account, stream));
        return sa != null && sa.peers().contains(JsPeers.nodeId(serverName));
    }

    /**
     * Proposes a consumer's definition and state, or its deletion, in its stream's group (this server leads it);
     * completes once committed, so a create or delete is answered after it is replicated.
     */
    public CompletableFuture<Void> commitConsumer(String account, String stream, String consumer) {
        StreamReplica r = replicas.get(key(account, stream));
        if (r == null || !r.isLeader()) {
            return CompletableFuture.failedFuture(new IllegalStateException("not the stream's leader"));
        }
        return r.commitConsumer(consumer);
    }

    public CompletableFuture<Void> stepDownMeta() {
        RaftNode m = meta;
        return m == null ? CompletableFuture.failedFuture(new IllegalStateException("no meta group")) : m.stepDown();
    }

    /** Go's {@code ClusterInfo} of a stream's group, as this server's member sees it. */
    public Map<String, Object> clusterInfo(String account, String stream) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", clusterName());
        StreamReplica r = replicas.get(key(account, stream));
        if (r == null) {
            return m;
        }
        RaftNode node = r.node();
        node.leader().ifPresent(l -> m.put("leader", peers.name(l)));
        List<Map<String, Object>> list = node.state() == RaftState.LEADER ? peerInfos(node) : List.of();
        for (Map<String, Object> pi : list) {
            if (r.peerCatchingUp((String) pi.get("peer"))) {
                pi.put("current", false); // it still fetches messages it lacks (RAFT alone would call it current)
            }
        }
        if (!list.isEmpty()) {
            m.put("replicas", list);
        }
        return m;
    }

    /** The answer to a create or update request, sent by the group's leader once it leads. */
    void answerStreamRequest(StreamReplica r, String reply, String type) {
        ClusterRequests a = requests;
        if (a != null) {
            a.answerStream(r.stream(), reply, type);
        }
    }

    /** Go's {@code $JSC.SI.<account>.<stream>}: the stream's leader answers with its info (for stream lists). */
    private void answerStreamInfo(Message m) {
        String[] t = m.subject().split("\\.");
        ClusterRequests handler = requests;
        if (t.length != 4 || !m.hasReplyTo() || handler == null) {
            return;
        }
        StreamReplica r = replicas.get(key(t[2], t[3]));
        if (r != null && r.isLeader()) {
            system.publish(new Message(m.replyTo(), "", Message.NO_HEADERS,
                    handler.streamInfo(r.stream()).getBytes(StandardCharsets.UTF_8)));
        }
    }

    /**
     * Asks the leaders of {@code streams} of {@code account} for their infos (Go's scatter and gather for stream
     * lists); completes with the answers by stream name once all came or {@code timeout} passed.
     */
    public CompletableFuture<Map<String, String>> gatherStreamInfos(String account, List<String> streams,
                                                                    Duration timeout) {
        CompletableFuture<Map<String, String>> done = new CompletableFuture<>();
        Map<String, String> answers = new ConcurrentHashMap<>();
        if (streams.isEmpty()) {
            done.complete(answers);
            return done;
        }
        String inbox = "$JSC.SIR." + selfId + "." + UUID.randomUUID().toString().replace("-", "");
        var sub = system.subscribe(inbox, m -> {
            String body = new String(m.payload(), StandardCharsets.UTF_8);
            try {
                if (Json.parseObject(body).get("config") instanceof Map<?, ?> c && c.get("name") instanceof String n) {
                    answers.put(n, body);
                    if (answers.keySet().containsAll(streams)) {
                        done.complete(answers);
                    }
                }
            } catch (RuntimeException e) {
                log.log(System.Logger.Level.WARNING, "JetStream cluster: bad stream info answer: {0}", e.toString());
            }
        });
        js.timers().schedule(() -> done.complete(answers), timeout.toMillis(), TimeUnit.MILLISECONDS);
        done.whenComplete((v, e) -> sub.unsubscribe());
        for (String stream : streams) {
            system.publish(new Message("$JSC.SI." + account + "." + stream, inbox, Message.NO_HEADERS, new byte[0]));
        }
        return done;
    }

    /** The API layer's side (see {@link ClusterRequests}). */
    public void requests(ClusterRequests handler) {
        this.requests = handler;
    }

    ClusterRequests requests() {
        return requests;
    }

    /**
     * Replicates a request about a stream through its group (this server leads it): every replica handles it in
     * log order, and this server answers it.
     */
    public void proposeRequest(String account, String stream, Message request) {
        StreamReplica r = replicas.get(key(account, stream));
        if (r != null) {
            r.proposeRequest(request);
        }
    }

    // --- applying the meta group's entries (MetaMachine) -------------------------------------------------------

    Collection<StreamAssignment> assignments() {
        return streams.values();
    }

    /** A snapshot's assignments replace the current ones: streams gone are removed, new ones added. */
    void replaceAssignments(List<StreamAssignment> all) {
        List<String> keep = new ArrayList<>();
        for (StreamAssignment sa : all) {
            keep.add(key(sa.account(), sa.name()));
            if (!streams.containsKey(key(sa.account(), sa.name()))) {
                addStream(sa, false);
            }
        }
        for (String k : List.copyOf(streams.keySet())) {
            StreamAssignment sa = streams.get(k);
            if (!keep.contains(k) && sa != null) {
                deleteStream(sa.account(), sa.name());
            }
        }
    }

    void addStream(StreamAssignment sa, boolean live) {
        String k = key(sa.account(), sa.name());
        if (streams.putIfAbsent(k, sa) != null) {
            return;
        }
        if (!sa.peers().contains(selfId)) {
            return;
        }
        // Only a request applied now is answered: a replayed one was answered before.
        startReplica(k, sa, live ? sa.reply() : "");
    }

    /** Starts this server's member of a stream's group, unless its account has no JetStream here (yet). */
    private synchronized void startReplica(String k, StreamAssignment sa, String reply) {
        if (replicas.containsKey(k) || streams.get(k) != sa || stopped) {
            return;
        }
        Optional<JsAccount> account = js.account(sa.account());
        if (account.isEmpty()) {
            return;
        }
        replicas.put(k, new StreamReplica(this, account.get(), sa, reply,
                sa.restore() ? ClusteredRestore.PENDING_TYPE : "stream_create_response"));
    }

    /** Members whose account was not there when their assignment was applied start once it is. */
    private void startMissingReplicas() {
        for (Map.Entry<String, StreamAssignment> e : streams.entrySet()) {
            if (e.getValue().peers().contains(selfId) && !replicas.containsKey(e.getKey())) {
                startReplica(e.getKey(), e.getValue(), "");
            }
        }
    }

    void updateStream(String account, Map<String, Object> config, String reply, List<String> newPeers) {
        if (newPeers != null) {
            peerChanges.apply(account, (String) config.get("name"), newPeers, config, reply);
            return;
        }
        String k = key(account, (String) config.get("name"));
        StreamAssignment sa = streams.get(k);
        if (sa == null) {
            return;
        }
        StreamAssignment updated = sa.withConfig(config, "");
        streams.put(k, updated);
        StreamReplica r = replicas.get(k);
        if (r != null) {
            r.update(updated, reply);
        }
    }

    synchronized void deleteStream(String account, String name) {
        String k = key(account, name);
        StreamAssignment sa = streams.remove(k);
        StreamReplica r = replicas.remove(k);
        if (r != null) {
            r.stop(true);
        } else if (sa != null) {
            Replicas.deleteTree(groupDirectory(sa.group()));
        }
    }

    // --- what PeerChanges works with -----------------------------------------------------------------------------

    /** The stream and server membership changes (the meta leader's requests and every server's side of them). */
    public PeerChanges peerChanges() {
        return peerChanges;
    }

    StreamAssignment assignment(String account, String stream) {
        return streams.get(key(account, stream));
    }

    void putAssignment(StreamAssignment sa) {
        streams.put(key(sa.account(), sa.name()), sa);
    }

    StreamReplica replica(String account, String stream) {
        return replicas.get(key(account, stream));
    }

    /** Starts this server's member of a running group it was newly placed in; {@code members} are the group's now. */
    synchronized void joinGroup(StreamAssignment sa, List<String> members) {
        String k = key(sa.account(), sa.name());
        if (replicas.containsKey(k) || stopped) {
            return;
        }
        js.account(sa.account()).ifPresent(a -> {
            Replicas.deleteTree(groupDirectory(sa.group())); // left over from an earlier membership
            replicas.put(k, new StreamReplica(this, a, sa, "", "", members));
        });
    }

    /** Removes this server's member of a group it left; it is stopped (and its copy deleted) off the caller's thread. */
    void leaveGroup(StreamReplica r) {
        StreamAssignment sa = r.assignment();
        replicas.remove(key(sa.account(), sa.name()), r);
        js.timers().execute(() -> r.stop(true));
    }

    RaftNode metaNode() {
        return meta;
    }

    MetaMembership metaMembership() {
        return membership;
    }

    public static Instant now() {
        return Instant.now();
    }
}
