package nats.jetstream.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import nats.transport.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code SERVER.REMOVE} as Go 2.9.10: the removed server disables its JetStream (its {@code /jsz} says
 * {@code disabled}, it answers no request, the others answer its clients) and sends
 * {@code $JS.EVENT.ADVISORY.SERVER.REMOVED} in the system account with Go's fields; the remaining servers keep
 * it out of the meta group after a meta snapshot (every 4 entries here) and a restart of both, while it is online.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ServerRemoveTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ACCOUNTS = "accounts { SYS { users: [{user: sys, password: sys}] }, "
            + "APP { jetstream: enabled, users: [{user: app, password: app}] } }\nsystem_account: SYS\n";

    @TempDir
    Path dir;

    @Test
    void aRemovedServerDisablesJetStreamAndStaysOutAfterASnapshotAndRestart() throws Exception {
        System.setProperty("nats.jetstream.cluster.meta_snapshot_entries", "4");
        try (JsCluster3 cluster = new JsCluster3(dir)) {
            for (String n : JsCluster3.NAMES) {
                cluster.configure(n, ACCOUNTS, "");
            }
            cluster.startAll();
            String metaLeader = cluster.awaitMetaLeader(WAIT);
            String gone = JsCluster3.NAMES.stream().filter(n -> !n.equals(metaLeader) && !n.equals("A")).findFirst()
                    .orElseThrow();
            String goneId = String.valueOf(cluster.jsz(gone).get("server_id"));
            try (Connection sys = connect(cluster, "A", "sys"); Connection app = connect(cluster, "A", "app")) {
                Subscription advisories = sys.subscribe("$JS.EVENT.ADVISORY.SERVER.REMOVED");
                sys.flush(WAIT);
                Map<String, Object> ok = SingleAnswer.of(app, "$JS.API.SERVER.REMOVE", "{\"peer\":\"" + gone + "\"}",
                        WAIT);
                assertEquals("{type=io.nats.jetstream.api.v1.meta_server_remove_response, success=true}",
                        ok.toString());
                Message m = advisories.nextMessage(WAIT);
                assertNotNull(m, "the removed server's advisory");
                Map<String, Object> adv = Json.parseObject(new String(m.getData(), StandardCharsets.UTF_8));
                assertEquals(List.of("type", "id", "timestamp", "server", "server_id", "cluster"),
                        List.copyOf(adv.keySet()), "Go's JSServerRemovedAdvisory fields: " + adv);
                assertEquals("io.nats.jetstream.advisory.v1.server_removed", adv.get("type"));
                assertEquals(gone, adv.get("server"));
                assertEquals(goneId, adv.get("server_id"));
                assertEquals("jsc", adv.get("cluster"));
            }
            awaitDisabled(cluster, gone);
            try (Connection app = connect(cluster, gone, "app")) {
                assertFalse(app.getServerInfo().isJetStreamAvailable(), "INFO no longer announces JetStream");
                Map<String, Object> info = SingleAnswer.of(app, "$JS.API.INFO", "", WAIT);
                assertNull(info.get("error"), "the others answer the removed server's clients: " + info);
            }

            // Enough meta entries for snapshots (every 4), then both remaining servers restart from them.
            try (Connection app = connect(cluster, "A", "app")) {
                for (int i = 0; i < 5; i++) {
                    Map<String, Object> created = SingleAnswer.of(app, "$JS.API.STREAM.CREATE.S" + i,
                            "{\"name\":\"S" + i + "\",\"subjects\":[\"s" + i + "\"],\"num_replicas\":2}", WAIT);
                    assertNull(created.get("error"), "created on the two remaining servers: " + created);
                }
            }
            List<String> remaining = JsCluster3.NAMES.stream().filter(n -> !n.equals(gone)).toList();
            for (String n : remaining) {
                Path snapshot = dir.resolve(n).resolve("jetstream").resolve("$SYS").resolve("_js_").resolve("_meta_").resolve("snapshot.dat");
                awaitSnapshotWithRemoved(snapshot);
            }
            for (String n : remaining) {
                cluster.stop(n);
            }
            for (String n : remaining) {
                cluster.start(n);
            }
            awaitMetaSize(cluster, remaining, 2);
            Thread.sleep(4000); // the new meta leader would add an online JetStream peer within a tick
            awaitMetaSize(cluster, remaining, 2);
            awaitDisabled(cluster, gone);
        } finally {
            System.clearProperty("nats.jetstream.cluster.meta_snapshot_entries");
        }
    }

    private static Connection connect(JsCluster3 cluster, String server, String user) throws Exception {
        return Nats.connect(new Options.Builder().server(cluster.url(server)).userInfo(user, user)
                .connectionTimeout(Duration.ofSeconds(5)).maxReconnects(0).build());
    }

    private static void awaitDisabled(JsCluster3 cluster, String server) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Map<String, Object> jsz = Map.of();
        while (System.nanoTime() < deadline) {
            jsz = cluster.jsz(server);
            if (Boolean.TRUE.equals(jsz.get("disabled"))) {
                assertNull(jsz.get("meta_cluster"), "no meta group: " + jsz);
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(server + "'s JetStream not disabled: " + jsz);
    }

    private static void awaitSnapshotWithRemoved(Path snapshot) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(snapshot) && new String(Files.readAllBytes(snapshot), StandardCharsets.ISO_8859_1)
                    .contains("\"removed\":[\"")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no meta snapshot with the removed server at " + snapshot);
    }

    /** Waits until a leader among {@code servers} reports a meta group of {@code size}; fails if it grows. */
    private static void awaitMetaSize(JsCluster3 cluster, List<String> servers, long size) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String seen = "";
        while (System.nanoTime() < deadline) {
            for (String n : servers) {
                if (cluster.jsz(n).get("meta_cluster") instanceof Map<?, ?> meta && n.equals(meta.get("leader"))) {
                    long s = ((Number) meta.get("cluster_size")).longValue();
                    assertTrue(s <= size, "meta group grew back: " + meta);
                    if (s == size) {
                        return;
                    }
                    seen = meta.toString();
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no meta leader with a group of " + size + ": " + seen);
    }
}
