package nats.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import nats.transport.config.ConfigProblem;
import org.junit.jupiter.api.Test;

/** The cluster block read as Go's parseCluster reads it, with Go's texts for mistakes. */
class ClusterConfigReaderTest {

    private final List<String> warnings = new ArrayList<>();
    private final ClusterConfigReader reader = new ClusterConfigReader(w -> warnings.add(w.getMessage()));

    private static Map<String, Object> block(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    @Test
    void readsEveryKeyGoReads() throws Exception {
        ClusterConfig c = reader.read(block("name", "c1", "listen", "127.0.0.1:6222",
                "authorization", block("user", "u", "password", "p", "timeout", 3L),
                "routes", List.of("nats-route://u:p@10.0.0.1:6222", "nats://host2"),
                "cluster_advertise", "example.com:7222", "no_advertise", true, "connect_retries", 5L,
                "permissions", block("import", List.of("in.>"), "export", block("allow", List.of("out.>"),
                        "deny", "out.secret"))));
        assertEquals("c1", c.name(), "name");
        assertEquals("127.0.0.1", c.host(), "host from listen");
        assertEquals(6222, c.port(), "port from listen");
        assertEquals("u", c.username(), "user");
        assertEquals("p", c.password(), "password");
        assertEquals(Duration.ofSeconds(3), c.authTimeout(), "auth timeout");
        assertEquals(2, c.routes().size(), "routes");
        RouteUrl first = c.routes().get(0);
        assertEquals("10.0.0.1", first.host(), "route host");
        assertEquals(Optional.of("u"), first.user(), "route user");
        assertEquals(Optional.of("p"), first.password(), "route password");
        assertEquals(6222, c.routes().get(1).port(), "a route without a port gets 6222");
        assertEquals("example.com:7222", c.advertise(), "advertise");
        assertTrue(c.noAdvertise(), "no_advertise");
        assertEquals(5, c.connectRetries(), "connect_retries");
        assertTrue(c.permissions().canImport("in.x"), "import allowed");
        assertFalse(c.permissions().canImport("other"), "import not allowed");
        assertTrue(c.permissions().canExport("out.x"), "export allowed");
        assertFalse(c.permissions().canExport("out.secret"), "export denied");
    }

    @Test
    void defaultsAreGos() throws Exception {
        ClusterConfig c = reader.read(block("port", 6222L));
        assertTrue(c.dynamicName(), "no name: a dynamic one");
        assertEquals("0.0.0.0", c.host(), "Go's default host");
        assertEquals(Duration.ofSeconds(2), c.authTimeout(), "Go's default route auth timeout");
        assertFalse(c.authRequired(), "no authentication");
        assertTrue(c.permissions().isEmpty(), "no permissions");
        assertTrue(reader.read(block()).port() == 0 && !reader.read(block()).listens(), "no port: no listener");
    }

    @Test
    void theFlagsFormOfListenIsAUrl() throws Exception {
        ClusterConfig c = reader.read(block("listen", "nats://127.0.0.1:6333"));
        assertEquals("127.0.0.1", c.host(), "host of --cluster");
        assertEquals(6333, c.port(), "port of --cluster");
    }

    @Test
    void mistakesGetGosTexts() {
        assertEquals("unknown field \"bogus\"", problem(block("bogus", 1L)), "unknown key");
        assertEquals("Cluster authorization does not allow multiple users",
                problem(block("authorization", block("users", List.of()))), "users");
        assertEquals("Cluster authorization does not support tokens",
                problem(block("authorization", block("token", "t"))), "token");
        assertEquals("Cluster permissions do not support dynamic responses",
                problem(block("permissions", block("allow_responses", true))), "responses");
        assertEquals("could not parse address string \"nohostport\"", problem(block("listen", "nohostport")),
                "listen without a port");
        assertEquals("subject \"foo..bar\" is not a valid subject",
                problem(block("permissions", block("import", "foo..bar"))), "bad subject");
        assertEquals("Unknown field \"nope\" parsing permissions", problem(block("permissions", block("nope", 1L))),
                "unknown permission key");
    }

    @Test
    void goTwoTenKeysAreRead() throws Exception {
        ClusterConfig c = reader.read(block("ping_interval", "5s", "ping_max", 4L, "write_deadline", "3s",
                "connect_backoff", true, "pool_size", 5L, "accounts", List.of("ONE", "TWO"), "compression", "s2_auto"));
        assertEquals(Optional.of(Duration.ofSeconds(5)), c.pingInterval(), "route ping interval");
        assertEquals(4, c.pingMax(), "route ping max");
        assertEquals(Optional.of(Duration.ofSeconds(3)), c.writeDeadline(), "route write deadline");
        assertTrue(c.connectBackoff(), "connect_backoff");
        assertEquals(5, c.routesPoolSize(), "pool_size");
        assertEquals(List.of("ONE", "TWO", "$SYS"), c.pinned(Optional.of("$SYS")), "pinned accounts, the system one added");
        assertEquals("s2_auto", c.compression().mode(), "compression");
        assertEquals(List.of(), warnings, "nothing to warn about");
    }

    @Test
    void poolingDefaultsAndOffAsGo() throws Exception {
        ClusterConfig defaults = reader.read(block("name", "x"));
        assertEquals(1, defaults.routesPoolSize(), "unset: one route per peer, as Go 2.9 (the version we report)");
        assertEquals(0, defaults.announcedPoolSize(), "and no route_pool_size in INFO");
        assertEquals(List.of(), defaults.pinned(Optional.of("$SYS")), "nothing pinned, not even the system account");
        assertFalse(defaults.compression().configured(), "compression unset: not negotiated, as Go 2.9");
        ClusterConfig pinnedOnly = reader.read(block("accounts", List.of("ONE")));
        assertEquals(3, pinnedOnly.routesPoolSize(), "pinned accounts alone: Go 2.10's default pool of 3");
        assertEquals(List.of("ONE", "$SYS"), pinnedOnly.pinned(Optional.of("$SYS")), "and the system account pinned");
        ClusterConfig off = reader.read(block("pool_size", -1L, "accounts", List.of("ONE"), "compression", false));
        assertEquals(1, off.routesPoolSize(), "pool_size -1: one route per peer");
        assertEquals(0, off.announcedPoolSize(), "and none announced");
        assertEquals(List.of(), off.pinned(Optional.of("$SYS")), "no pinned accounts without pooling (Go)");
        assertEquals("off", off.compression().mode(), "compression: false");
        ClusterConfig map = reader.read(block("compression", block("mode", "s2_auto", "rtt_thresholds",
                List.of("1ms", "2ms"))));
        assertEquals(List.of(Duration.ofMillis(1), Duration.ofMillis(2)), map.compression().rttThresholds(), "thresholds");
        assertEquals("unsupported compression mode \"lz4\"", problem(block("compression", "lz4")), "Go's text");
    }

    @Test
    void aDuplicateRouteIsAWarningAndCountsOnce() throws Exception {
        ClusterConfig c = reader.read(block("routes", List.of("nats-route://a:1", "nats-route://a:1")));
        assertEquals(1, c.routes().size(), "one route");
        assertEquals(List.of("Duplicate route entry detected"), warnings, "Go's warning");
    }

    private String problem(Map<String, Object> block) {
        return assertThrows(ConfigProblem.class, () -> reader.read(block), "refused: " + block).getMessage();
    }
}
