package nats.jetstream.internal.cluster;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import nats.raft.Member;
import nats.raft.RaftNode;

/**
 * Membership changes of stream groups and of the meta group: the meta leader's side of {@code STREAM.PEER.REMOVE},
 * {@code SERVER.REMOVE} and a new {@code num_replicas} ({@link StreamPeers} chooses, an {@code update_stream} entry
 * with {@code peers} carries the choice), and every server's side of the committed change (a server newly placed
 * joins the running group; {@link GroupMembership} does the rest on the group's members).
 */
public final class PeerChanges {

    private final JsCluster cluster;

    PeerChanges(JsCluster cluster) {
        this.cluster = cluster;
    }

    /**
     * Removes a peer from a stream's group (the meta leader's side of {@code STREAM.PEER.REMOVE}); true when a
     * replacement was placed (Go answers "peer remap failed" otherwise, the peer being removed all the same), empty
     * when it was not a member, or the only peer and none could replace it (nothing is proposed then).
     */
    public Optional<Boolean> removeStreamPeer(String account, String stream, String serverName) {
        String peer = JsPeers.nodeId(serverName);
        StreamAssignment sa = cluster.assignment(account, stream);
        if (sa == null || !sa.peers().contains(peer)) {
            return Optional.empty();
        }
        StreamPeers.Remap remap = StreamPeers.remove(sa.peers(), peer, candidates(sa));
        if (remap.peers().isEmpty()) {
            return Optional.empty();
        }
        propose(sa, remap.peers());
        return Optional.of(remap.replaced());
    }

    /** The peers a stream gets for {@code count} replicas; empty when too few servers are online to grow to it. */
    public Optional<List<String>> peersFor(String account, String stream, int count) {
        StreamAssignment sa = cluster.assignment(account, stream);
        if (sa == null) {
            return Optional.empty();
        }
        StreamReplica r = cluster.replica(account, stream);
        return StreamPeers.scale(sa.peers(), count, candidates(sa),
                r == null ? Optional.empty() : r.node().leader());
    }

    /**
     * The online members a stream's group may use: its own peers, and those its {@code placement} (cluster, tags)
     * and the {@code unique_tag} allow as new ones (Go's selectPeerGroup with the existing peers).
     */
    private List<String> candidates(StreamAssignment sa) {
        @SuppressWarnings("unchecked")
        Optional<Map<String, Object>> placement = sa.config().get("placement") instanceof Map<?, ?> p
                ? Optional.of((Map<String, Object>) p) : Optional.empty();
        List<String> allowed = cluster.eligible(0, PeerSelection.Placement.of(placement), sa.peers(), sa.config())
                .eligible();
        return cluster.placementCandidates().stream().filter(c -> sa.peers().contains(c) || allowed.contains(c))
                .toList();
    }

    /** The meta member named by peer id or, without one, by server name (Go's {@code SERVER.REMOVE} lookup). */
    public Optional<String> metaMember(String peerId, String serverName) {
        RaftNode m = cluster.metaNode();
        if (m == null) {
            return Optional.empty();
        }
        for (Member member : m.members()) {
            if (peerId.isEmpty() ? cluster.peers().name(member.id()).equals(serverName) : member.id().equals(peerId)) {
                return Optional.of(member.id());
            }
        }
        return Optional.empty();
    }

    /** Proposes a server's removal from the meta group ({@code SERVER.REMOVE}). */
    public CompletableFuture<Long> removeServer(String peer) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("op", "remove_server");
        entry.put("peer", peer);
        entry.put("ts", System.currentTimeMillis());
        return cluster.proposeMeta(entry);
    }

    private void propose(StreamAssignment sa, List<String> peers) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("op", "update_stream");
        entry.put("account", sa.account());
        entry.put("config", sa.config());
        entry.put("peers", peers);
        entry.put("reply", "");
        entry.put("ts", System.currentTimeMillis());
        cluster.proposeMeta(entry);
    }

    // --- every server: applying what the meta group committed ----------------------------------------------------

    /**
     * New peers of a stream (and its configuration), committed: a server newly placed joins the running group (its
     * leader adds it), the others follow the assignment ({@link GroupMembership}).
     */
    void apply(String account, String name, List<String> newPeers, Map<String, Object> config, String reply) {
        StreamAssignment old = cluster.assignment(account, name);
        if (old == null) {
            return;
        }
        StreamAssignment updated = old.withPeers(newPeers, config);
        cluster.putAssignment(updated);
        StreamReplica r = cluster.replica(account, name);
        if (r != null) {
            r.update(updated, reply);
        } else if (newPeers.contains(cluster.selfId())) {
            cluster.joinGroup(updated, old.peers());
        }
    }

    /** This server's member left its group (removed from the assignment and from the group): its copy goes. */
    void replicaLeft(StreamReplica r) {
        StreamAssignment sa = r.assignment();
        cluster.log().log(System.Logger.Level.INFO, "JetStream cluster: left stream group {0} of ''{1} > {2}''",
                sa.group(), sa.account(), sa.name());
        cluster.leaveGroup(r);
    }

    /**
     * A server was removed from the meta group: it is not added back, the meta leader takes it out of the group
     * and re-places each stream replica it held where a server is free (Go's {@code processRemovePeer}).
     */
    void serverRemoved(String peer) {
        MetaMembership mm = cluster.metaMembership();
        if (mm != null) {
            mm.removed(peer);
        }
        if (peer.equals(cluster.selfId())) {
            cluster.disableAfterRemoval();
            return;
        }
        if (!cluster.isMetaLeader()) {
            return;
        }
        if (mm != null) {
            mm.tellRemoved(peer);
        }
        for (StreamAssignment sa : List.copyOf(cluster.assignments())) {
            if (sa.peers().contains(peer)) {
                StreamPeers.Remap remap = StreamPeers.remove(sa.peers(), peer,
                        candidates(sa).stream().filter(c -> !c.equals(peer)).toList());
                if (!remap.peers().isEmpty()) {
                    propose(sa, remap.peers());
                }
            }
        }
    }
}
