package nats.jetstream.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import nats.jetstream.testing.JsServer;
import nats.testing.Ports;
import nats.transport.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /raftz} (Go 2.11's document; Go 2.9.10 has none): every server lists its meta member and its member of
 * each stream group under the system account, and they agree on the leader, the term and what is committed; the
 * {@code acc} and {@code group} filters; a server without RAFT groups answers 404 as Go's does.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RaftzTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void everyMemberDescribesItsGroups() throws Exception {
        try (JsCluster3 cluster = new JsCluster3(Files.createDirectories(dir.resolve("cluster")))) {
            cluster.startAll();
            cluster.awaitMetaLeader(WAIT);
            try (Connection nc = cluster.connect("A")) {
                nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("RZ").subjects("rz")
                        .replicas(3).storageType(StorageType.File).build());
                JetStream js = nc.jetStream();
                for (int i = 0; i < 5; i++) {
                    js.publish("rz", new byte[] {(byte) i});
                }
                String leaderName = StreamLeaders.await(nc.jetStreamManagement(), "RZ", WAIT);
                // Followers learn the last commit with the next append or heartbeat.
                long deadline = System.nanoTime() + WAIT.toNanos();
                List<Map<String, Object>> members;
                String group;
                do {
                    members = new ArrayList<>();
                    group = "";
                    for (String server : List.of("A", "B", "C")) {
                        Map<String, Object> doc = Json.parseObject(cluster.monitor(server, "/raftz"));
                        assertEquals(Set.of("$SYS"), doc.keySet(), "groups under the system account only");
                        Map<String, Object> groups = (Map<String, Object>) doc.get("$SYS");
                        assertTrue(groups.containsKey("_meta_"), server + " lists its meta member: " + groups);
                        for (String name : groups.keySet()) {
                            if (name.startsWith("S-R3F-")) {
                                group = name;
                                members.add((Map<String, Object>) groups.get(name));
                            }
                        }
                    }
                    Thread.sleep(100);
                } while (System.nanoTime() < deadline && !(members.size() == 3 && members.stream()
                        .allMatch(m -> ((Number) m.get("applied")).longValue() >= 5)));
                assertEquals(3, members.size(), "one member of the stream's group on each server");
                long leaders = members.stream().filter(m -> m.get("state").equals("LEADER")).count();
                assertEquals(1, leaders, "one leader: " + members);
                Map<String, Object> leader = members.stream().filter(m -> m.get("state").equals("LEADER"))
                        .findFirst().orElseThrow();
                for (Map<String, Object> m : members) {
                    assertEquals(leader.get("id"), m.get("leader"), "every member follows the leader: " + m);
                    assertEquals(leader.get("term"), m.get("term"), "one term: " + m);
                    assertEquals(3L, ((Number) m.get("size")).longValue());
                    assertEquals(2L, ((Number) m.get("quorum_needed")).longValue());
                    assertTrue(((Number) m.get("applied")).longValue() >= 5, "the 5 messages applied: " + m);
                    assertTrue(((Number) m.get("committed")).longValue() >= ((Number) m.get("applied")).longValue());
                    assertEquals(true, m.get("ever_had_leader"));
                    Map<String, Object> peers = (Map<String, Object>) m.get("peers");
                    assertEquals(2, peers.size(), "the two other members: " + peers);
                    assertTrue(!peers.containsKey(m.get("id")), "not itself");
                    Map<String, Object> wal = (Map<String, Object>) m.get("wal");
                    assertTrue(((Number) wal.get("last_seq")).longValue() >= 5, "the log holds the messages: " + wal);
                    assertEquals(m.get("pindex"), wal.get("last_seq"));
                }
                Map<String, Object> leaderPeers = (Map<String, Object>) leader.get("peers");
                for (Object p : leaderPeers.values()) {
                    Map<String, Object> peer = (Map<String, Object>) p;
                    assertTrue(Set.of("A", "B", "C").contains(peer.get("name")) && !peer.get("name").equals(leaderName),
                            "a follower's name: " + peer);
                    assertTrue(((Number) peer.get("last_replicated_index")).longValue() >= 5, "replicated: " + peer);
                    assertTrue(peer.containsKey("last_seen"), "the leader heard from it: " + peer);
                }

                Map<String, Object> one = Json.parseObject(cluster.monitor("B", "/raftz?group=" + group));
                assertEquals(Set.of(group), ((Map<String, Object>) one.get("$SYS")).keySet(), "the group filter");
                assertEquals("{}", cluster.monitor("B", "/raftz?group=S-R3F-nothere").strip());
                assertEquals("{}", cluster.monitor("B", "/raftz?acc=APP").strip());
            }
        }
    }

    @Test
    void aServerWithoutRaftGroupsAnswers404() throws Exception {
        int http = Ports.free();
        try (JsServer server = JsServer.start(Files.createDirectories(dir.resolve("single")),
                "jetstream { store_dir: \"%s\" }\nhttp: \"127.0.0.1:" + http + "\"\n")) {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + http + "/raftz").toURL()
                    .openConnection();
            assertEquals(404, c.getResponseCode());
            assertEquals("No Raft nodes registered",
                    new String(c.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
