package nats.jetstream.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import nats.testing.GoServer;
import nats.transport.json.Json;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ha_assets} counts what Go 2.9.10 runs a RAFT group for: the meta group, each replicated stream, and each
 * consumer whose own group would have more than one peer (a durable of an R3 stream, an ephemeral of an interest
 * stream) but not an ephemeral of a limits stream, a consumer asking for one replica, or anything of an R1 stream.
 * Each server's count, as the {@code JSZ} system request gives it, is Go's.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class HaAssetsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String ACCOUNTS = """
            accounts { SYS { users: [{user: sys, password: p}] }, APP { jetstream: enabled, users: [{user: app, password: p}] } }
            system_account: SYS
            no_auth_user: app
            """;
    private static final long MINUTE_NS = TimeUnit.MINUTES.toNanos(1);

    @TempDir
    Path dir;

    @Test
    void consumersWithAGroupOfTheirOwnCountAsGoCountsThem() throws Exception {
        List<Long> ours = JsCluster3.run(Files.createDirectories(dir.resolve("ours")), n -> ACCOUNTS, "A",
                HaAssetsTest::haAssets);
        assertEquals(List.of(5L, 5L, 5L), ours, "meta, S, W, S's durable, W's ephemeral on every server");
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server not installed");
        List<Long> go = GoCluster3.run(Files.createDirectories(dir.resolve("go")), n -> ACCOUNTS,
                HaAssetsTest::haAssets);
        assertEquals(go, ours, "Go's ha_assets");
    }

    /** Creates the streams and consumers, then each server's {@code ha_assets}, sorted, once they settled. */
    private static List<Long> haAssets(Connection nc) throws Exception {
        create(nc, "$JS.API.STREAM.CREATE.S", "{\"name\":\"S\",\"subjects\":[\"s\"],\"num_replicas\":3}");
        create(nc, "$JS.API.STREAM.CREATE.W", "{\"name\":\"W\",\"subjects\":[\"w\"],\"num_replicas\":3,"
                + "\"retention\":\"interest\"}");
        create(nc, "$JS.API.STREAM.CREATE.ONE", "{\"name\":\"ONE\",\"subjects\":[\"one\"],\"num_replicas\":1}");
        create(nc, "$JS.API.CONSUMER.DURABLE.CREATE.S.D", consumer("S", "\"durable_name\":\"D\","));
        create(nc, "$JS.API.CONSUMER.DURABLE.CREATE.S.D1", consumer("S", "\"durable_name\":\"D1\",\"num_replicas\":1,"));
        create(nc, "$JS.API.CONSUMER.CREATE.S", consumer("S", ""));
        create(nc, "$JS.API.CONSUMER.CREATE.W", consumer("W", ""));
        create(nc, "$JS.API.CONSUMER.DURABLE.CREATE.ONE.D", consumer("ONE", "\"durable_name\":\"D\","));
        Options sys = new Options.Builder().server(nc.getConnectedUrl()).userInfo("sys", "p").build();
        try (Connection system = Nats.connect(sys)) {
            List<Long> last = List.of();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                Thread.sleep(500);
                List<Long> now = ping(system);
                if (now.size() == 3 && now.equals(last)) {
                    return now;
                }
                last = now;
            }
            return last;
        }
    }

    private static String consumer(String stream, String fields) {
        return "{\"stream_name\":\"" + stream + "\",\"config\":{" + fields + "\"ack_policy\":\"explicit\","
                + "\"inactive_threshold\":" + MINUTE_NS + "}}";
    }

    private static void create(Connection nc, String subject, String body) throws Exception {
        Map<String, Object> answer = SingleAnswer.of(nc, subject, body, WAIT);
        assertEquals(null, answer.get("error"), subject + ": " + answer);
    }

    /** Every server's {@code ha_assets} from {@code $SYS.REQ.SERVER.PING.JSZ}, sorted. */
    private static List<Long> ping(Connection system) throws Exception {
        String inbox = system.createInbox();
        Subscription sub = system.subscribe(inbox);
        system.publish("$SYS.REQ.SERVER.PING.JSZ", inbox, new byte[0]);
        List<Long> counts = new ArrayList<>();
        for (Message m; counts.size() < 3 && (m = sub.nextMessage(Duration.ofSeconds(2))) != null; ) {
            Map<String, Object> answer = Json.parseObject(new String(m.getData(), StandardCharsets.UTF_8));
            if (answer.get("data") instanceof Map<?, ?> data && data.get("ha_assets") instanceof Number n) {
                counts.add(n.longValue());
            }
        }
        sub.unsubscribe();
        counts.sort(null);
        return counts;
    }
}
