package nats.jetstream.internal.cluster;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import nats.api.monitoring.MonitorException;
import nats.api.monitoring.MonitorQuery;
import nats.raft.GroupStatus;
import nats.raft.Member;
import nats.raft.PeerInfo;
import nats.raft.RaftNode;
import nats.raft.RaftState;
import nats.transport.json.GoDurations;

/**
 * Go's {@code /raftz} and {@code RAFTZ} system request (Go 2.11): this server's RAFT members, by account and group
 * name, each with its role, terms, indexes, log and what it knows of its peers. Go keeps every group under the
 * system account, which is also the default filter; another account, or a group not run here, gives {@code {}}.
 * The work queues Go reports ({@code ipq_*_len}) have no counterpart here and are 0; the log has no timestamps.
 */
public final class Raftz {

    private static final String ZERO_TIME = "0001-01-01T00:00:00Z";
    private static final long DESCRIBE_TIMEOUT_MS = 2_000;

    private final JsCluster cluster;
    private final String systemAccount;

    public Raftz(JsCluster cluster, String systemAccount) {
        this.cluster = cluster;
        this.systemAccount = systemAccount;
    }

    public Object document(MonitorQuery query) throws MonitorException {
        Map<String, RaftNode> nodes = cluster == null ? Map.of() : cluster.raftNodes();
        if (nodes.isEmpty()) {
            throw new MonitorException(404, "No Raft nodes registered");
        }
        String account = query.option("acc", "account").filter(a -> !a.isEmpty()).orElse(systemAccount);
        String group = query.option("group", "group").orElse("");
        Map<String, Object> groups = new TreeMap<>();
        if (account.equals(systemAccount)) {
            for (Map.Entry<String, RaftNode> e : nodes.entrySet()) {
                if (group.isEmpty() || group.equals(e.getKey())) {
                    describe(e.getValue()).ifPresent(s -> groups.put(e.getKey(), group(s)));
                }
            }
        }
        Map<String, Object> byAccount = new LinkedHashMap<>();
        if (!groups.isEmpty()) {
            byAccount.put(systemAccount, groups);
        }
        return byAccount;
    }

    private static java.util.Optional<GroupStatus> describe(RaftNode node) {
        try {
            return java.util.Optional.of(node.describe().get(DESCRIBE_TIMEOUT_MS, TimeUnit.MILLISECONDS));
        } catch (ExecutionException | TimeoutException e) {
            return java.util.Optional.empty(); // closed meanwhile, or too busy to answer: left out, as Go skips nil
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    private Map<String, Object> group(GroupStatus s) {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("id", s.id());
        boolean observer = s.state() == RaftState.OBSERVER;
        g.put("state", observer ? RaftState.FOLLOWER.name() : s.state().name());
        g.put("size", s.members().stream().filter(Member::voter).count());
        g.put("quorum_needed", s.quorumNeeded());
        if (observer) {
            g.put("observer", true);
        }
        g.put("committed", s.committed());
        g.put("applied", s.applied());
        if (s.catchingUp()) {
            g.put("catching_up", true);
        }
        if (!s.leader().isEmpty()) {
            g.put("leader", s.leader());
        }
        if (s.leaderSince() != null) {
            g.put("leader_since", s.leaderSince());
        }
        g.put("ever_had_leader", s.everHadLeader());
        g.put("term", s.term());
        if (!s.votedFor().isEmpty()) {
            g.put("voted_for", s.votedFor());
        }
        g.put("pterm", s.lastTerm());
        g.put("pindex", s.lastIndex());
        g.put("system_account", true);
        g.put("traffic_account", systemAccount);
        for (String queue : List.of("ipq_proposal_len", "ipq_entry_len", "ipq_resp_len", "ipq_apply_len")) {
            g.put(queue, 0);
        }
        g.put("wal", wal(s.log()));
        g.put("peers", peers(s));
        return g;
    }

    /** The log as Go's StreamState of its WAL. */
    private static Map<String, Object> wal(GroupStatus.Log log) {
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("messages", log.entries());
        w.put("bytes", log.bytes());
        w.put("first_seq", log.entries() == 0 ? log.lastIndex() + 1 : log.firstIndex());
        w.put("first_ts", ZERO_TIME);
        w.put("last_seq", log.lastIndex());
        w.put("last_ts", ZERO_TIME);
        w.put("consumer_count", 0);
        return w;
    }

    private Map<String, Object> peers(GroupStatus s) {
        Map<String, PeerInfo> seen = new LinkedHashMap<>();
        s.peers().forEach(p -> seen.put(p.id(), p));
        Map<String, Object> peers = new TreeMap<>();
        for (Member m : s.members()) {
            if (m.id().equals(s.id())) {
                continue;
            }
            Map<String, Object> peer = new LinkedHashMap<>();
            peer.put("name", cluster.serverName(m.id()));
            peer.put("known", true);
            PeerInfo p = seen.get(m.id());
            if (p != null && p.matchIndex() > 0) {
                peer.put("last_replicated_index", p.matchIndex());
            }
            if (p != null && p.lastContactMs() >= 0) {
                peer.put("last_seen", GoDurations.duration(TimeUnit.MILLISECONDS.toNanos(p.lastContactMs())));
            }
            peers.put(m.id(), peer);
        }
        return peers;
    }
}
