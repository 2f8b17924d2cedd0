package nats.jetstream.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import nats.transport.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Membership of stream groups and of the meta group on three servers: {@code STREAM.PEER.REMOVE} replaces a peer
 * (the replacement catches up and, made leader, serves every message), Go 2.9.10's errors (bad request, peer not a
 * member, stream not found, "peer remap failed" when no server is free, the group shrinking all the same);
 * {@code num_replicas} 1 → 3 → 1 on update; {@code SERVER.REMOVE} (unknown server, then a real one: the meta group
 * shrinks to two and the server is not added back).
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ClusterMembershipTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void peersComeAndGo() throws Exception {
        try (JsCluster3 cluster = new JsCluster3(dir)) {
            cluster.startAll();
            String metaLeader = cluster.awaitMetaLeader(WAIT);
            try (Connection nc = cluster.connect("A")) {
                JetStreamManagement jsm = nc.jetStreamManagement();

                // A peer of an R2 stream is replaced by the third server, which catches up.
                jsm.addStream(StreamConfiguration.builder().name("PR").subjects("pr.>").replicas(2)
                        .storageType(StorageType.File).build());
                publish(nc, "pr.x", 1, 30);
                Set<String> before = awaitPeers(nc, "PR", 2);
                String leader = leader(nc, "PR");
                String removed = before.stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
                String third = JsCluster3.NAMES.stream().filter(n -> !before.contains(n)).findFirst().orElseThrow();
                java.util.Optional<Path> removedCopy = replicaDir(dir.resolve(removed), "PR");
                Map<String, Object> ok = request(nc, "$JS.API.STREAM.PEER.REMOVE.PR", "{\"peer\":\"" + removed + "\"}");
                assertEquals("{type=io.nats.jetstream.api.v1.stream_remove_peer_response, success=true}", ok.toString(),
                        "peer removal answer");
                assertEquals(new TreeSet<>(List.of(leader, third)), awaitPeerSet(nc, "PR", Set.of(leader, third)),
                        "the third server replaced " + removed);
                awaitGone(removedCopy, removed + "'s copy of PR");
                leadOn(nc, "PR", third);
                for (long seq = 1; seq <= 30; seq++) {
                    assertEquals("m" + seq, new String(jsm.getMessage("PR", seq).getData(), StandardCharsets.UTF_8),
                            "message " + seq + " on the replacement " + third);
                }
                assertEquals(third, jszLeader(cluster, leader, "PR"),
                        "/jsz stream detail on " + leader + " (now a follower) names the group's leader");
                // The leader itself removed: the server freed before replaces it, the leader steps down and leaves.
                assertEquals("{type=io.nats.jetstream.api.v1.stream_remove_peer_response, success=true}",
                        request(nc, "$JS.API.STREAM.PEER.REMOVE.PR", "{\"peer\":\"" + third + "\"}").toString(),
                        "removing the leader");
                assertEquals(new TreeSet<>(List.of(leader, removed)), awaitPeerSet(nc, "PR", Set.of(leader, removed)),
                        removed + " replaced the leader " + third);
                assertEquals(31, nc.jetStream().publish("pr.x", "m31".getBytes(StandardCharsets.UTF_8)).getSeqno(),
                        "publishing goes on under the new leader");

                // Go 2.9.10's errors; with every server in the group, no replacement: 10075, the group shrinks.
                jsm.addStream(StreamConfiguration.builder().name("PE").subjects("pe.>").replicas(3)
                        .storageType(StorageType.File).build());
                awaitPeers(nc, "PE", 3);
                assertEquals(10003L, errorCode(request(nc, "$JS.API.STREAM.PEER.REMOVE.PE", "")), "empty request");
                assertEquals(10025L, errorCode(request(nc, "$JS.API.STREAM.PEER.REMOVE.PE", "xx")), "not JSON");
                assertEquals(10040L, errorCode(request(nc, "$JS.API.STREAM.PEER.REMOVE.PE", "{\"peer\":\"Z\"}")),
                        "not a member");
                assertEquals(10059L, errorCode(request(nc, "$JS.API.STREAM.PEER.REMOVE.NOPE", "{\"peer\":\"A\"}")),
                        "no such stream");
                String peLeader = leader(nc, "PE");
                String peGone = JsCluster3.NAMES.stream().filter(n -> !n.equals(peLeader)).findFirst().orElseThrow();
                Map<String, Object> remap = request(nc, "$JS.API.STREAM.PEER.REMOVE.PE", "{\"peer\":\"" + peGone + "\"}");
                assertEquals("{type=io.nats.jetstream.api.v1.stream_remove_peer_response, error={code=503, "
                        + "err_code=10075, description=peer remap failed}}", remap.toString(), "no server free");
                assertEquals(2, awaitPeers(nc, "PE", 2).size(), "the group went on without " + peGone);

                // num_replicas 1 -> 3 -> 1.
                jsm.addStream(StreamConfiguration.builder().name("SC").subjects("sc.>").replicas(1)
                        .storageType(StorageType.File).build());
                publish(nc, "sc.x", 1, 20);
                StreamConfiguration cfg = jsm.getStreamInfo("SC").getConfiguration();
                assertEquals(3, jsm.updateStream(StreamConfiguration.builder(cfg).replicas(3).build())
                        .getConfiguration().getReplicas(), "scaled up");
                assertEquals(3, awaitPeers(nc, "SC", 3).size(), "three current replicas");
                String scLeader = leader(nc, "SC");
                String newPeer = JsCluster3.NAMES.stream().filter(n -> !n.equals(scLeader)).findFirst().orElseThrow();
                leadOn(nc, "SC", newPeer);
                for (long seq = 1; seq <= 20; seq++) {
                    assertEquals("m" + seq, new String(jsm.getMessage("SC", seq).getData(), StandardCharsets.UTF_8),
                            "message " + seq + " on the new replica " + newPeer);
                }
                cfg = jsm.getStreamInfo("SC").getConfiguration();
                assertEquals(1, jsm.updateStream(StreamConfiguration.builder(cfg).replicas(1).build())
                        .getConfiguration().getReplicas(), "scaled down");
                assertEquals(Set.of(newPeer), awaitPeerSet(nc, "SC", Set.of(newPeer)), "the leader stays");
                assertEquals(21, nc.jetStream().publish("sc.x", "m21".getBytes(StandardCharsets.UTF_8)).getSeqno(),
                        "publishing goes on at R1");

                // SERVER.REMOVE ("peer" is the server's name in Go 2.9.10, "peer_id" its id).
                assertEquals(10003L, errorCode(request(nc, "$JS.API.SERVER.REMOVE", "")), "empty request");
                assertEquals(10044L, errorCode(request(nc, "$JS.API.SERVER.REMOVE", "{\"peer\":\"Z\"}")),
                        "unknown server");
                String gone = JsCluster3.NAMES.stream().filter(n -> !n.equals(metaLeader) && !n.equals("A"))
                        .findFirst().orElseThrow();
                assertEquals("{type=io.nats.jetstream.api.v1.meta_server_remove_response, success=true}",
                        request(nc, "$JS.API.SERVER.REMOVE", "{\"peer\":\"" + gone + "\"}").toString(),
                        "server removal answer");
                long deadline = System.nanoTime() + WAIT.toNanos();
                long size = 3;
                while (size != 2 && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                    size = metaSizeOnLeader(cluster, gone);
                }
                assertEquals(2, size, "meta group without " + gone);
                Thread.sleep(3000);
                assertEquals(2, metaSizeOnLeader(cluster, gone), gone + " is not added back");
                assertEquals(10044L, errorCode(request(nc, "$JS.API.SERVER.REMOVE", "{\"peer\":\"" + gone + "\"}")),
                        "no longer a member");
            }
        }
    }

    /** The leader named in {@code /jsz?accounts=1&streams=1} of {@code server} for {@code stream}. */
    private static String jszLeader(JsCluster3 cluster, String server, String stream) throws Exception {
        if (cluster.jsz(server, "accounts=1&streams=1").get("account_details") instanceof List<?> accounts) {
            for (Object a : accounts) {
                if (a instanceof Map<?, ?> am && am.get("stream_detail") instanceof List<?> streams) {
                    for (Object o : streams) {
                        if (o instanceof Map<?, ?> sd && stream.equals(sd.get("name"))
                                && sd.get("cluster") instanceof Map<?, ?> c) {
                            return String.valueOf(c.get("leader"));
                        }
                    }
                }
            }
        }
        return "";
    }

    /** The meta group's size as its leader (not {@code removed}) reports it; -1 while there is none. */
    private static long metaSizeOnLeader(JsCluster3 cluster, String removed) throws Exception {
        for (String server : cluster.running()) {
            Object meta = server.equals(removed) ? null : cluster.jsz(server).get("meta_cluster");
            if (meta instanceof Map<?, ?> m && server.equals(m.get("leader"))
                    && m.get("cluster_size") instanceof Number n) {
                return n.longValue();
            }
        }
        return -1;
    }

    /** Where a server keeps its replica of a stream ({@code .../replicas/<stream>}), found by walking its store. */
    private static java.util.Optional<Path> replicaDir(Path store, String stream) throws Exception {
        try (var all = java.nio.file.Files.walk(store)) {
            return all.filter(p -> p.getFileName().toString().equals(stream) && p.getParent() != null
                    && p.getParent().getFileName().toString().equals("replicas")).findFirst();
        }
    }

    private static void awaitGone(java.util.Optional<Path> path, String what) throws Exception {
        assertTrue(path.isPresent(), what + " was there");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (java.nio.file.Files.exists(path.get()) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertTrue(!java.nio.file.Files.exists(path.get()), what + " is deleted once it left the group");
    }

    private static void publish(Connection nc, String subject, int from, int through) throws Exception {
        for (int i = from; i <= through; i++) {
            assertEquals(i, nc.jetStream().publish(subject, ("m" + i).getBytes(StandardCharsets.UTF_8)).getSeqno(),
                    "sequence of message " + i);
        }
    }

    private static Map<String, Object> request(Connection nc, String subject, String body) throws Exception {
        var reply = nc.request(subject, body.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(10));
        return Json.parseObject(new String(reply.getData(), StandardCharsets.UTF_8));
    }

    private static long errorCode(Map<String, Object> answer) {
        return answer.get("error") instanceof Map<?, ?> e && e.get("err_code") instanceof Number n ? n.longValue() : 0;
    }

    private static String leader(Connection nc, String stream) throws Exception {
        Map<String, Object> info = request(nc, "$JS.API.STREAM.INFO." + stream, "");
        return info.get("cluster") instanceof Map<?, ?> c && c.get("leader") instanceof String l ? l : "";
    }

    /** The stream's leader and its current replicas, once there are {@code count} of them. */
    private static Set<String> awaitPeers(Connection nc, String stream, int count) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Set<String> peers = Set.of();
        while (System.nanoTime() < deadline) {
            peers = currentPeers(nc, stream);
            if (peers.size() == count) {
                return peers;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(stream + ": expected " + count + " current peers, saw " + peers);
    }

    private static Set<String> awaitPeerSet(Connection nc, String stream, Set<String> expected) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Set<String> peers = Set.of();
        while (System.nanoTime() < deadline) {
            peers = currentPeers(nc, stream);
            if (peers.equals(expected)) {
                return new TreeSet<>(peers);
            }
            Thread.sleep(200);
        }
        return new TreeSet<>(peers);
    }

    private static Set<String> currentPeers(Connection nc, String stream) {
        Set<String> peers = new TreeSet<>();
        try {
            Map<String, Object> info = request(nc, "$JS.API.STREAM.INFO." + stream, "");
            if (info.get("cluster") instanceof Map<?, ?> c && c.get("leader") instanceof String l) {
                peers.add(l);
                if (c.get("replicas") instanceof List<?> list) {
                    for (Object o : list) {
                        if (o instanceof Map<?, ?> r && Boolean.TRUE.equals(r.get("current"))) {
                            peers.add((String) r.get("name"));
                        } else if (o instanceof Map<?, ?> r) {
                            peers.add("(lagging " + r.get("name") + ")");
                        }
                    }
                }
            }
        } catch (Exception e) {
            // No leader for a moment.
        }
        return peers;
    }

    private static void leadOn(Connection nc, String stream, String name) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String leader = "";
        while (!name.equals(leader) && System.nanoTime() < deadline) {
            try {
                nc.request("$JS.API.STREAM.LEADER.STEPDOWN." + stream, ("{\"placement\":{\"preferred\":\"" + name
                        + "\"}}").getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
            } catch (Exception e) {
                // No leader to answer for a moment.
            }
            Thread.sleep(300);
            try {
                leader = leader(nc, stream);
            } catch (Exception e) {
                leader = "";
            }
        }
        assertEquals(name, leader, name + " leads " + stream);
    }
}
