package nats.jetstream.internal.cluster;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Go's {@code streamAssignment}: a stream of an account placed on a RAFT group of peers (node ids), as the meta
 * group replicates it. {@code config} is the stream configuration as JSON values; {@code reply} and
 * {@code proposer} say where the create or update request's answer goes (the group's first leader sends it).
 * {@code restore} marks a stream created by {@code STREAM.RESTORE} (Go's {@code sa.Restore}): the group's first
 * leader takes the snapshot's chunks and replicates what it holds ({@link ClusteredRestore}).
 */
record StreamAssignment(String account, Map<String, Object> config, String group, List<String> peers,
                        String created, String reply, boolean restore) {

    String name() {
        return (String) config.get("name");
    }

    StreamAssignment withConfig(Map<String, Object> newConfig, String newReply) {
        return new StreamAssignment(account, newConfig, group, peers, created, newReply, false);
    }

    StreamAssignment withPeers(List<String> newPeers, Map<String, Object> newConfig) {
        return new StreamAssignment(account, newConfig, group, List.copyOf(newPeers), created, "", false);
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("account", account);
        m.put("config", config);
        m.put("group", group);
        m.put("peers", peers);
        m.put("created", created);
        m.put("reply", reply);
        if (restore) {
            m.put("restore", true);
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    static StreamAssignment fromJson(Map<String, Object> m) {
        List<String> peers = ((List<Object>) m.get("peers")).stream().map(Object::toString).toList();
        return new StreamAssignment((String) m.get("account"), (Map<String, Object>) m.get("config"),
                (String) m.get("group"), peers, (String) m.get("created"),
                m.get("reply") instanceof String r ? r : "", Boolean.TRUE.equals(m.get("restore")));
    }
}
