package nats.jetstream.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import nats.testing.GoServer;
import nats.transport.json.Json;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The requests the cluster layer answers itself (stream create, update, delete, names, list, step-downs, purge and
 * message delete through the stream's group, peer removal) count in {@code $JS.API.INFO}'s {@code api} totals, over
 * the whole cluster, and are audited on {@code $JS.EVENT.ADVISORY.API}: the same totals and the same audited
 * subjects, errors and request bodies as three Go 2.9.10 servers give for the same requests.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ClusterApiCountersTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /**
     * The requests run in APP; the harness's own (Go's readiness probe) in PROBE, the account of clients without
     * credentials: Go brings a server's counts to the others late when it sent its last update within 250 ms.
     */
    private static final String ACCOUNTS = "accounts { APP { jetstream: enabled, users: [{user: app, password: app}] }, "
            + "PROBE { jetstream: enabled, users: [{user: probe, password: probe}] } }\nno_auth_user: probe\n";

    @TempDir
    Path dir;

    @Test
    void clusterAnswersCountAndAreAuditedAsGo() throws Exception {
        Map<String, Object> ours = JsCluster3.run(dir, n -> ACCOUNTS, "A", ClusterApiCountersTest::inApp);
        Map<?, ?> api = (Map<?, ?>) ours.get("api");
        assertTrue(((Number) api.get("total")).longValue() >= 14, "counted: " + ours);
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        assertEquals(GoCluster3.run(dir, n -> ACCOUNTS, ClusterApiCountersTest::inApp), ours,
                "the same totals and audits as a Go 2.9.10 cluster");
    }

    /** The scenario with a client of account APP on the server {@code nc} is connected to. */
    private static Map<String, Object> inApp(Connection nc) throws Exception {
        try (Connection app = io.nats.client.Nats.connect(new io.nats.client.Options.Builder()
                .server(nc.getConnectedUrl()).userInfo("app", "app").connectionTimeout(WAIT).build())) {
            return scenario(app);
        }
    }

    /** The requests, then the account's api totals and the audits seen (subject, error, request; sorted). */
    private static Map<String, Object> scenario(Connection nc) throws Exception {
        long before = apiTotals(nc).get("total");
        long errorsBefore = apiTotals(nc).get("errors");
        Subscription audits = nc.subscribe("$JS.EVENT.ADVISORY.API");
        nc.flush(WAIT);
        String create = "{\"name\":\"CT\",\"subjects\":[\"ct.>\"],\"num_replicas\":3}";
        request(nc, "$JS.API.STREAM.CREATE.CT", create);
        request(nc, "$JS.API.STREAM.CREATE.CT", "{\"name\":\"CT\",\"subjects\":[\"other\"],\"num_replicas\":3}");
        request(nc, "$JS.API.STREAM.UPDATE.CT", "{\"name\":\"CT\",\"subjects\":[\"ct.>\"],\"num_replicas\":3,"
                + "\"max_msgs\":100}");
        request(nc, "$JS.API.STREAM.UPDATE.NONE", "{\"name\":\"NONE\",\"subjects\":[\"none\"]}");
        request(nc, "$JS.API.STREAM.NAMES", "");
        request(nc, "$JS.API.STREAM.LIST", "");
        for (int i = 0; i < 3; i++) {
            nc.request("ct.x", ("m" + i).getBytes(StandardCharsets.UTF_8), WAIT);
        }
        request(nc, "$JS.API.STREAM.MSG.DELETE.CT", "{\"seq\":2}");
        request(nc, "$JS.API.STREAM.PURGE.CT", "");
        request(nc, "$JS.API.STREAM.INFO.CT", "");
        request(nc, "$JS.API.STREAM.LEADER.STEPDOWN.NONE", "");
        request(nc, "$JS.API.STREAM.PEER.REMOVE.CT", "");
        request(nc, "$JS.API.STREAM.PEER.REMOVE.CT", "{\"peer\":\"nobody\"}");
        request(nc, "$JS.API.STREAM.DELETE.CT", "");
        request(nc, "$JS.API.STREAM.DELETE.CT", "");
        Thread.sleep(2500); // each server's usage reaches the others (Go at once, ours within a second)
        Map<String, Long> after = apiTotals(nc);
        List<String> seen = new ArrayList<>();
        Message m;
        while ((m = audits.nextMessage(Duration.ofMillis(300))) != null) {
            Map<String, Object> a = Json.parseObject(new String(m.getData(), StandardCharsets.UTF_8));
            String subject = String.valueOf(a.get("subject"));
            if (subject.equals("$JS.API.INFO")) {
                continue; // the totals' own requests
            }
            String response = String.valueOf(a.get("response"));
            // Go's meta leader audits a request a route brought with the headers it came with (client info).
            String request = String.valueOf(a.get("request"));
            request = request.startsWith("NATS/1.0") ? request.substring(request.indexOf("\r\n\r\n") + 4) : request;
            seen.add(subject + " error=" + response.contains("\"error\"") + " request=" + request);
        }
        Collections.sort(seen);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("api", Map.of("total", after.get("total") - before - 1, "errors", after.get("errors") - errorsBefore));
        out.put("audits", seen);
        return out;
    }

    private static void request(Connection nc, String subject, String body) throws Exception {
        Message m = nc.request(subject, body.getBytes(StandardCharsets.UTF_8), WAIT);
        assertTrue(m != null, "an answer to " + subject);
        Thread.sleep(300); // apart, so that Go's usage updates (at most every 250 ms per server) carry each one
    }

    private static Map<String, Long> apiTotals(Connection nc) throws Exception {
        Message m = nc.request("$JS.API.INFO", new byte[0], WAIT);
        Map<?, ?> api = (Map<?, ?>) Json.parseObject(new String(m.getData(), StandardCharsets.UTF_8)).get("api");
        return Map.of("total", ((Number) api.get("total")).longValue(), "errors",
                ((Number) api.get("errors")).longValue());
    }
}
