package nats.server.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import nats.transport.json.Json;
import nats.server.testing.BothServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The system account's events and services, seen by a system-account user (jnats) on the Go nats-server
 * and on this server, both started from the same config file. Each observation is a message's subject (the
 * server id replaced) with the shape of its JSON (every key path and the kind of its value) and the values
 * that do not depend on the process (event types, accounts, users, client names, counts, reasons, error
 * texts); the two lists must be equal.
 */
@Timeout(120)
class SystemAccountDifferentialTest {

    private static final Duration WAIT = Duration.ofMillis(500);

    static final String CONFIG = """
            host: 127.0.0.1
            port: %d
            accounts {
              A: { users: [ {user: a, password: a} ] }
              SYS: { users: [ {user: sys, password: sys} ] }
            }
            system_account: SYS
            """;

    /** Values that change with the process, the time or the traffic of the system user itself. */
    private static final Set<String> VOLATILE = Set.of("id", "timestamp", "time", "seq", "name", "host", "start",
            "stop", "rtt", "now", "server_id", "mem", "cpu", "cores", "port", "uptime", "last_activity", "idle",
            "update_time", "config_load_time", "go", "server_name", "http_req_stats", "sid", "cid", "msgs",
            "bytes", "in_msgs", "out_msgs", "in_bytes", "out_bytes", "subscriptions_list", "num_cache",
            "num_inserts", "num_removes", "num_matches", "cache_hit_rate", "max_fanout", "avg_fanout", "total_connections",
            "system_account", "gomaxprocs", "connections", "pending_bytes", "description");

    private static BothServers servers;

    @BeforeAll
    static void startBoth(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        servers = BothServers.start(dir, CONFIG);
    }

    @AfterAll
    static void stopBoth() throws Exception {
        if (servers != null) {
            servers.close();
        }
    }

    private interface Scenario {
        void run(int port, List<String> log) throws Exception;
    }

    private static void same(Scenario scenario) throws Exception {
        List<String> expected = new ArrayList<>();
        scenario.run(servers.go().port(), expected);
        List<String> actual = new ArrayList<>();
        scenario.run(servers.ours().port(), actual);
        assertFalse(expected.isEmpty(), "the scenario observed something");
        assertEquals(String.join("\n", expected), String.join("\n", actual), "observations differ from Go's");
    }

    private static Connection connect(int port, String user, String password, String name) throws Exception {
        return Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + port).userInfo(user, password)
                .connectionName(name).maxReconnects(0).connectionTimeout(Duration.ofSeconds(3)).build());
    }

    @Test
    void clientEventsOfAnAccount() throws Exception {
        same((port, log) -> {
            try (Connection sys = connect(port, "sys", "sys", "sys")) {
                Subscription events = sys.subscribe("$SYS.ACCOUNT.A.>");
                Subscription authErrors = sys.subscribe("$SYS.SERVER.*.CLIENT.AUTH.ERR");
                sys.flush(WAIT);
                try (Connection a = connect(port, "a", "a", "client-a")) {
                    Subscription own = a.subscribe("foo");
                    a.publish("foo", "hello".getBytes(StandardCharsets.UTF_8));
                    a.flush(WAIT);
                    own.nextMessage(WAIT);
                }
                try {
                    connect(port, "a", "wrong", "intruder").close();
                } catch (Exception expected) {
                    // The refusal is what the event reports.
                }
                drain(events, log);
                drain(authErrors, log);
            }
        });
    }

    @Test
    void serverRequests() throws Exception {
        same((port, log) -> {
            try (Connection sys = connect(port, "sys", "sys", "sys"); Connection a = connect(port, "a", "a", "a")) {
                a.subscribe("foo");
                a.flush(WAIT);
                String[][] requests = {
                    {"$SYS.REQ.SERVER.PING", ""},
                    {"$SYS.REQ.SERVER.PING.STATSZ", ""},
                    {"$SYS.REQ.SERVER.PING.VARZ", ""},
                    {"$SYS.REQ.SERVER.PING.CONNZ", "{\"subscriptions\":true}"},
                    {"$SYS.REQ.SERVER.PING.SUBSZ", ""},
                    {"$SYS.REQ.SERVER.PING.HEALTHZ", ""},
                    {"$SYS.REQ.SERVER.PING.ACCOUNTZ", "{\"account\":\"A\"}"},
                    {"$SYS.REQ.SERVER.PING.ROUTEZ", ""},
                    {"$SYS.REQ.SERVER.PING.LEAFZ", ""},
                    {"$SYS.REQ.SERVER.PING.GATEWAYZ", ""},
                    {"$SYS.REQ.SERVER.PING.CONNZ", "{\"sort\":\"bogus\"}"},
                    {"$SYS.REQ.SERVER.PING.VARZ", "{\"server_name\":\"another\"}"},
                    {"$SYS.REQ.SERVER.PING.VARZ", "{\"cluster\":\"elsewhere\"}"},
                    {"$SYS.REQ.ACCOUNT.A.CONNZ", ""},
                    {"$SYS.REQ.ACCOUNT.A.SUBSZ", ""},
                    {"$SYS.REQ.ACCOUNT.A.INFO", ""},
                    {"$SYS.REQ.ACCOUNT.NOPE.INFO", ""},
                    {"$SYS.REQ.ACCOUNT.A.STATZ", ""},
                    {"$SYS.REQ.ACCOUNT.A.JSZ", ""},
                    {"$SYS.REQ.ACCOUNT.PING.STATZ", "{\"accounts\":[\"A\"]}"},
                };
                for (String[] r : requests) {
                    Message reply = sys.request(r[0], r[1].getBytes(StandardCharsets.UTF_8), WAIT);
                    log.add(r[0] + " " + r[1] + " -> " + (reply == null ? "no answer" : describe(reply)));
                }
                // The server's own id addresses it directly, like PING but for one server.
                Message varz = sys.request("$SYS.REQ.SERVER.PING.VARZ", new byte[0], WAIT);
                Map<?, ?> server = (Map<?, ?>) Json.parseObject(new String(varz.getData(), StandardCharsets.UTF_8))
                        .get("server");
                String id = (String) server.get("id");
                Message direct = sys.request("$SYS.REQ.SERVER." + id + ".HEALTHZ", new byte[0], WAIT);
                log.add("direct HEALTHZ -> " + (direct == null ? "no answer" : describe(direct)));
            }
        });
    }

    @Test
    void accountsImportTheirOwnConnectionList() throws Exception {
        same((port, log) -> {
            try (Connection a = connect(port, "a", "a", "importer")) {
                // Imported from the system account: answers for account A only.
                Message reply = a.request("$SYS.REQ.SERVER.PING.CONNZ", "{\"auth\":true}".getBytes(), WAIT);
                assertTrue(reply != null, "the import answers");
                Map<String, Object> doc = Json.parseObject(new String(reply.getData(), StandardCharsets.UTF_8));
                Map<?, ?> data = (Map<?, ?>) doc.get("data");
                log.add("connections " + data.get("num_connections"));
                for (Object c : (List<?>) data.get("connections")) {
                    Map<?, ?> conn = (Map<?, ?>) c;
                    log.add("  " + conn.get("name") + " user " + conn.get("authorized_user") + " in " + conn.get("account"));
                }
                Message statz = a.request("$SYS.REQ.ACCOUNT.PING.STATZ", new byte[0], WAIT);
                log.add("statz " + (statz == null ? "no answer" : describe(statz)));
            }
        });
    }

    private static void drain(Subscription sub, List<String> log) throws InterruptedException {
        Message m;
        while ((m = sub.nextMessage(WAIT)) != null) {
            log.add(describe(m));
        }
    }

    /** The subject with server ids masked, then every key path of the JSON body with its kind or value. */
    private static String describe(Message m) {
        String subject = m.getSubject().replaceAll("N[A-Z0-9]{55}", "<server>");
        if (subject.startsWith("_INBOX.")) {
            subject = "<reply>";
        }
        Object body = Json.parse(new String(m.getData(), StandardCharsets.UTF_8));
        TreeMap<String, String> paths = new TreeMap<>();
        flatten("", body, paths);
        return subject + " " + paths;
    }

    private static void flatten(String path, Object value, Map<String, String> out) {
        String key = path.substring(path.lastIndexOf('.') + 1);
        if (value instanceof Map<?, ?> map) {
            out.put(path, "{}");
            if (!VOLATILE.contains(key)) {
                map.forEach((k, v) -> flatten(path.isEmpty() ? String.valueOf(k) : path + "." + k, v, out));
            }
        } else if (value instanceof List<?> list) {
            out.put(path, VOLATILE.contains(key) ? "[]" : "[" + list.size() + "]");
        } else if (value == null) {
            out.put(path, "null");
        } else if (VOLATILE.contains(key)) {
            out.put(path, value instanceof String ? "string" : value instanceof Boolean ? "bool" : "number");
        } else {
            out.put(path, String.valueOf(value));
        }
    }
}
