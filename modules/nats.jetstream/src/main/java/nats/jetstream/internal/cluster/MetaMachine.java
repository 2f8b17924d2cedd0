package nats.jetstream.internal.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import nats.raft.StateMachine;
import nats.transport.json.GoJson;
import nats.transport.json.Json;

/**
 * The meta group's state machine: JSON entries {@code add_stream} (a {@link StreamAssignment}),
 * {@code update_stream} (account, configuration, and new peers when the group's membership changes),
 * {@code remove_server} (a peer id leaving the meta group) and {@code delete_stream} (account, name), each with {@code ts},
 * the proposal's time. Snapshots hold the assignments and the servers removed ({@code {"streams":[..],"removed":[..]}};
 * a bare list of assignments is an older snapshot). Applied on the meta group's thread.
 */
final class MetaMachine implements StateMachine {

    /** An entry proposed longer ago than this is a replay (a restart): its request is not answered again. */
    private static final long ANSWER_WINDOW_MS = 30_000;

    private final JsCluster cluster;

    MetaMachine(JsCluster cluster) {
        this.cluster = cluster;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void apply(long index, byte[] data) {
        Map<String, Object> e = Json.parseObject(new String(data, StandardCharsets.UTF_8));
        String op = (String) e.get("op");
        try {
            switch (op) {
                case "add_stream" -> cluster.addStream(StreamAssignment.fromJson((Map<String, Object>) e.get("stream")),
                        recent(e));
                case "update_stream" -> cluster.updateStream((String) e.get("account"),
                        (Map<String, Object>) e.get("config"), recent(e) ? (String) e.getOrDefault("reply", "") : "",
                        e.get("peers") instanceof List<?> p ? p.stream().map(Object::toString).toList() : null);
                case "remove_server" -> cluster.peerChanges().serverRemoved((String) e.get("peer"));
                case "delete_stream" -> cluster.deleteStream((String) e.get("account"), (String) e.get("name"));
                default -> cluster.log().log(System.Logger.Level.WARNING, "JetStream cluster: unknown meta entry {0}",
                        op);
            }
        } catch (RuntimeException ex) {
            cluster.log().log(System.Logger.Level.ERROR, "JetStream cluster: applying " + op + " failed: " + ex, ex);
        }
    }

    private static boolean recent(Map<String, Object> e) {
        return e.get("ts") instanceof Number ts && System.currentTimeMillis() - ts.longValue() < ANSWER_WINDOW_MS;
    }

    @Override
    public byte[] snapshot() {
        List<Object> all = new ArrayList<>();
        for (StreamAssignment sa : cluster.assignments()) {
            all.add(sa.withConfig(sa.config(), "").toJson());
        }
        MetaMembership mm = cluster.metaMembership();
        Map<String, Object> snapshot = new java.util.LinkedHashMap<>();
        snapshot.put("streams", all);
        snapshot.put("removed", mm == null ? List.of() : mm.removedServers());
        return GoJson.compact(snapshot).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void restore(byte[] snapshot) {
        Object parsed = Json.parse(new String(snapshot, StandardCharsets.UTF_8));
        List<Object> streams = parsed instanceof Map<?, ?> m ? (List<Object>) m.get("streams") : (List<Object>) parsed;
        List<StreamAssignment> all = new ArrayList<>();
        for (Object o : streams) {
            all.add(StreamAssignment.fromJson((Map<String, Object>) o));
        }
        cluster.replaceAssignments(all);
        List<String> removed = parsed instanceof Map<?, ?> m && m.get("removed") instanceof List<?> r
                ? r.stream().map(Object::toString).toList() : List.of();
        MetaMembership mm = cluster.metaMembership();
        if (mm != null) {
            mm.replaceRemoved(removed);
        }
        if (removed.contains(cluster.selfId())) {
            cluster.disableAfterRemoval();
        }
    }
}
