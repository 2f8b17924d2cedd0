package nats.jetstream.internal.cluster;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import nats.api.messaging.Message;
import nats.api.messaging.Subscription;
import nats.raft.Member;
import nats.raft.RaftNode;

/**
 * Brings a stream group's RAFT members in line with its assignment's peers, which the meta group changes (peer
 * removal, server removal, a new {@code num_replicas}). The group's leader adds the peers that are missing, then
 * removes those no longer assigned once the assigned ones are current (a stream move's new peers caught up), itself
 * last (a leader removing itself steps down once that is committed), one
 * change at a time, and tells each removed member on {@code $JSC.RM.<group>.<member>}. A removed member leaves (stops
 * and deletes its copy) when told, or when it was unassigned {@link #LEAVE_AFTER_NANOS} ago and its group has gone on
 * without it: it must not leave earlier, or a shrinking group could lose its quorum before the removal commits.
 * A member added to a running group gets the leader's log or snapshot and catches up as any follower behind.
 */
final class GroupMembership {

    private static final String REMOVED_PREFIX = "$JSC.RM.";
    /** How long an unassigned member waits for the leader's word before it leaves on its own. */
    private static final long LEAVE_AFTER_NANOS = 30_000_000_000L;

    private final JsCluster cluster;
    private final StreamReplica replica;
    private final Subscription removed;
    private CompletableFuture<?> change;
    private long unassignedSince;
    private volatile boolean told;
    private boolean left;

    GroupMembership(JsCluster cluster, StreamReplica replica) {
        this.cluster = cluster;
        this.replica = replica;
        String group = replica.assignment().group();
        this.removed = cluster.systemConnection().subscribe(REMOVED_PREFIX + group + "." + cluster.selfId(),
                m -> told = true);
    }

    /** The leader's part, once it has applied what was committed before its election (on the replica's tick). */
    void lead() {
        if (change != null && !change.isDone()) {
            return;
        }
        RaftNode node = replica.node();
        String group = replica.assignment().group();
        List<String> wanted = replica.assignment().peers();
        List<String> members = node.members().stream().map(Member::id).toList();
        for (String peer : wanted) {
            if (!members.contains(peer)) {
                log("adding {1} to stream group {0}", group, peer);
                change = node.addMember(Member.voter(peer));
                return;
            }
        }
        String self = cluster.selfId();
        if (!wantedCurrent(node, wanted)) {
            return; // a member leaves only once those staying hold everything (a move's new peers caught up)
        }
        for (String peer : members) {
            if (!wanted.contains(peer) && !peer.equals(self)) {
                log("removing {1} from stream group {0}", group, peer);
                change = node.removeMember(peer).thenRun(() -> tell(group, peer));
                return;
            }
        }
        if (members.contains(self) && !wanted.contains(self)) {
            log("removing {1} (this server, its leader) from stream group {0}", group, self);
            change = node.removeMember(self).thenRun(() -> told = true);
        }
    }

    /** Whether every other assigned member is current, with no lag and not fetching messages. */
    private boolean wantedCurrent(RaftNode node, List<String> wanted) {
        for (nats.raft.PeerInfo p : node.peers()) {
            if (wanted.contains(p.id()) && !p.id().equals(cluster.selfId())
                    && (!p.current() || p.lag() > 0 || replica.peerCatchingUp(p.id()))) {
                return false;
            }
        }
        return true;
    }

    private void tell(String group, String peer) {
        cluster.systemConnection().publish(new Message(REMOVED_PREFIX + group + "." + peer, "", Message.NO_HEADERS,
                new byte[0]));
    }

    /** Every member, on the replica's tick: leaves once unassigned and removed (or after the wait). */
    void tick(boolean leader) {
        if (left || replica.assignment().peers().contains(cluster.selfId())) {
            unassignedSince = 0;
            return;
        }
        long now = System.nanoTime();
        if (unassignedSince == 0) {
            unassignedSince = now;
        }
        if (told || (!leader && now - unassignedSince > LEAVE_AFTER_NANOS)) {
            left = true;
            cluster.peerChanges().replicaLeft(replica);
        }
    }

    void close() {
        removed.unsubscribe();
    }

    private void log(String format, String group, String peer) {
        cluster.log().log(System.Logger.Level.INFO, "JetStream cluster: " + format, group, peer);
    }
}
