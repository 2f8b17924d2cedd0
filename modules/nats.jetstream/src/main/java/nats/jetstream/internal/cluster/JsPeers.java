package nats.jetstream.internal.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import nats.api.links.RouteGossip;

/**
 * The JetStream-enabled servers of this cluster, learnt from the routes: each server adds Go's
 * {@code "jetstream": true} to its route INFO, and a peer's INFO names it ({@code server_name}) and its cluster.
 * RAFT member ids are Go's node ids: the first 8 characters of the base64 (URL) SHA-256 of the server name.
 */
final class JsPeers implements RouteGossip {

    /** A JetStream peer reachable now: its server name and node id, by server id. */
    record Peer(String serverId, String name, String nodeId) {
    }

    /** A server's effective {@code max_memory_store} and {@code max_file_store}, for placement. */
    record Limits(long maxMemory, long maxStore) {
        /** What placement assumes of a server that did not say (no limit). */
        static final Limits UNKNOWN = new Limits(Long.MAX_VALUE, Long.MAX_VALUE);
    }

    private final Map<String, Peer> online = new ConcurrentHashMap<>();
    /** Node id to server name, for every server ever seen (names in stream info outlive a route). */
    private final Map<String, String> names = new ConcurrentHashMap<>();
    private final Runnable changed;
    private volatile String clusterName = "";
    private final StartChecks checks;
    /** Routes with a port are about to start and passed the checks: JetStream runs clustered, as Go's does. */
    private volatile boolean clusterStarting;

    /** This server's {@code server_tags} as placement compares them. */
    private final Set<String> ownTags;
    /** The tags of each JetStream peer seen, by node id (sent in route INFO, read by placement). */
    private final Map<String, Set<String>> tags = new ConcurrentHashMap<>();
    /** This server's storage limits (known once JetStream started). */
    private final java.util.function.Supplier<Limits> ownLimits;
    private final String selfNodeId;
    /** The storage limits of each JetStream peer seen, by node id (sent in route INFO, read by placement). */
    private final Map<String, Limits> limits = new ConcurrentHashMap<>();

    JsPeers(String selfName, java.util.Collection<String> ownTags, java.util.function.Supplier<Limits> ownLimits,
            StartChecks checks, Runnable changed) {
        this.changed = changed;
        this.checks = checks;
        this.ownTags = PeerSelection.normalize(ownTags);
        this.ownLimits = ownLimits;
        this.selfNodeId = nodeId(selfName);
        names.put(selfNodeId, selfName);
        tags.put(selfNodeId, this.ownTags);
    }

    /** Go's {@code getHash}: the node id of a server name. */
    static String nodeId(String serverName) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(serverName.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().encodeToString(sha).substring(0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Go's start-up checks for JetStream in a cluster ({@link StartChecks}). */
    @Override
    public Optional<String> checkCluster(Optional<String> configuredClusterName, int configuredRoutes) {
        Optional<String> refusal = checks.refusal(configuredClusterName, configuredRoutes);
        clusterStarting = refusal.isEmpty();
        return refusal;
    }

    /** Whether a cluster with a port starts (the checks passed): Go then runs JetStream clustered from the start. */
    boolean clusterStarting() {
        return clusterStarting;
    }

    @Override
    public Map<String, Object> routeInfoFields() {
        // Go learns a server's tags and storage limits from its system events; here the route INFO carries them
        // (Go ignores fields it does not know).
        Limits own = ownLimits.get();
        Map<String, Object> fields = new java.util.LinkedHashMap<>();
        fields.put("jetstream", true);
        if (!ownTags.isEmpty()) {
            fields.put("tags", java.util.List.copyOf(ownTags));
        }
        fields.put("js_max_memory", own.maxMemory());
        fields.put("js_max_storage", own.maxStore());
        return fields;
    }

    @Override
    public void routeRegistered(String peerId, Map<String, Object> info, Consumer<Map<String, Object>> send) {
        if (info.get("cluster") instanceof String c && !c.isEmpty()) {
            clusterName = c;
        }
        if (!Boolean.TRUE.equals(info.get("jetstream"))) {
            return;
        }
        String name = info.get("server_name") instanceof String n && !n.isEmpty() ? n : peerId;
        Peer peer = new Peer(peerId, name, nodeId(name));
        names.put(peer.nodeId(), name);
        java.util.List<String> theirs = new java.util.ArrayList<>();
        if (info.get("tags") instanceof java.util.List<?> list) {
            list.forEach(t -> theirs.add(String.valueOf(t)));
        }
        tags.put(peer.nodeId(), PeerSelection.normalize(theirs));
        if (info.get("js_max_memory") instanceof Number mem && info.get("js_max_storage") instanceof Number store) {
            limits.put(peer.nodeId(), new Limits(mem.longValue(), store.longValue()));
        }
        online.put(peerId, peer);
        changed.run();
    }

    @Override
    public void routeClosed(String peerId, Map<String, Object> info) {
        if (online.remove(peerId) != null) {
            changed.run();
        }
    }

    @Override
    public boolean routeInfo(String peerId, Map<String, Object> info) {
        return false;
    }

    /** Node ids of the JetStream peers reachable now (not this server). */
    Set<String> onlineNodeIds() {
        Set<String> ids = new TreeSet<>();
        online.values().forEach(p -> ids.add(p.nodeId()));
        return ids;
    }

    boolean isOnline(String nodeId) {
        return online.values().stream().anyMatch(p -> p.nodeId().equals(nodeId));
    }

    /** The server name of a node id, or the id itself when never seen. */
    String name(String nodeId) {
        return names.getOrDefault(nodeId, nodeId);
    }

    String clusterName() {
        return clusterName;
    }

    /** The storage limits a peer (or this server) announced; {@link Limits#UNKNOWN} when never seen. */
    Limits limits(String nodeId) {
        return nodeId.equals(selfNodeId) ? ownLimits.get() : limits.getOrDefault(nodeId, Limits.UNKNOWN);
    }

    /** The tags a peer (or this server) announced; empty when never seen. */
    Set<String> tags(String nodeId) {
        return tags.getOrDefault(nodeId, Set.of());
    }
}
