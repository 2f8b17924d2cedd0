package nats.leafnode.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import nats.transport.config.ConfigProblem;
import org.junit.jupiter.api.Test;

/** The {@code leafnodes} block as Go's parseLeafNodes reads it, with Go's error texts. */
class LeafConfigReaderTest {

    private final List<ConfigProblem> warnings = new ArrayList<>();
    private final LeafConfigReader reader = new LeafConfigReader(warnings::add);

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void listenerAuthorizationAndRemotes() throws Exception {
        LeafConfig c = reader.read(map("listen", "127.0.0.1:7422", "authorization",
                map("users", List.of(map("user", "a", "password", "p", "account", "A"), map("user", "b", "password", "q")),
                        "timeout", 1.5),
                "reconnect", 3L, "remotes", List.of(map("urls", List.of("nats-leaf://u:p@hub:7500", "hub2"),
                        "account", "B", "deny_imports", "x.>", "deny_exports", List.of("y.>", "z"), "hub", true))));
        assertEquals("127.0.0.1", c.host(), "host from listen");
        assertEquals(7422, c.port(), "port from listen");
        assertEquals(Duration.ofMillis(1500), c.auth().timeout(), "fractional auth timeout");
        assertEquals("A", c.auth().users().getFirst().account(), "user bound to an account");
        assertEquals(Duration.ofSeconds(3), c.reconnect(), "reconnect interval");
        LeafConfig.RemoteConfig r = c.remotes().getFirst();
        assertEquals("u", r.urls().getFirst().user().orElseThrow(), "URL user");
        assertEquals(7500, r.urls().getFirst().port(), "URL port");
        assertEquals(LeafUrl.DEFAULT_PORT, r.urls().get(1).port(), "Go's default leafnode port");
        assertEquals(List.of("x.>"), r.denyImports(), "a single subject");
        assertEquals(List.of("y.>", "z"), r.denyExports(), "a list of subjects");
        assertTrue(r.hub(), "hub flag");
    }

    @Test
    void goErrorTexts() {
        assertEquals("unknown field \"bogus\"",
                assertThrows(ConfigProblem.class, () -> reader.read(map("bogus", 1L))).getMessage());
        assertEquals("can not have a single user/pass and a users array", assertThrows(ConfigProblem.class,
                () -> reader.read(map("authorization", map("user", "x", "password", "y", "users",
                        List.of(map("user", "a")))))).getMessage());
        assertEquals("duplicate user \"a\" detected in leafnode authorization", assertThrows(ConfigProblem.class,
                () -> reader.read(map("authorization", map("users", List.of(map("user", "a"), map("user", "a"))))))
                .getMessage());
        assertEquals("Expected remotes field to be an array, got string", assertThrows(ConfigProblem.class,
                () -> reader.read(map("remotes", "x"))).getMessage());
        assertTrue(assertThrows(ConfigProblem.class, () -> reader.read(map("remotes",
                List.of(map("urls", List.of("ws://a", "nats-leaf://b")))))).getMessage()
                .startsWith("remote leaf node configuration cannot have a mix of websocket and non-websocket urls"),
                "mixed websocket urls refused");
        assertEquals("unknown field \"token\"", assertThrows(ConfigProblem.class,
                () -> reader.read(map("authorization", map("token", "t")))).getMessage(), "Go's leaf auth has no token");
    }

    @Test
    void unsupportedKeysAreWarnedAbout() throws Exception {
        LeafConfig c = reader.read(map("port", 7422L, "min_version", "2.8.0"));
        assertFalse(warnings.isEmpty(), "min_version warned about");
        assertTrue(c.listens(), "a port makes a listener");
        assertFalse(reader.read(map()).listens(), "no port, no listener");
    }

    @Test
    void compressionAsGo210ReadsIt() throws Exception {
        LeafConfig unset = reader.read(map("port", 7422L, "remotes", List.of(map("url", "hub"))));
        assertFalse(unset.compression().configured(), "not configured: Go 2.9's protocol (this server reports 2.9)");
        assertFalse(unset.remotes().getFirst().compression().configured(), "a remote without compression: Go 2.9's");
        LeafConfig set = reader.read(map("port", 7422L, "compression", true, "remotes",
                List.of(map("url", "hub", "compression", map("mode", "auto", "rtt_thresholds", List.of("5ms", "20ms"))),
                        map("url", "hub2", "compression", "s2_best"), map("url", "hub3", "compression", false))));
        assertEquals("s2_auto", set.compression().mode(), "true means s2_auto for leaf nodes (routes: s2_fast)");
        assertEquals(List.of(Duration.ofMillis(5), Duration.ofMillis(20)),
                set.remotes().getFirst().compression().rttThresholds(), "a remote's own thresholds");
        assertEquals("s2_best", set.remotes().get(1).compression().mode(), "a remote's mode");
        assertEquals("off", set.remotes().get(2).compression().mode(), "false is off");
        assertEquals("unsupported compression mode \"gzip\"", assertThrows(ConfigProblem.class,
                () -> reader.read(map("compression", "gzip"))).getMessage(), "Go's text for an unknown mode");
        assertEquals("RTT threshold values [20ms 5ms] should be in ascending order", assertThrows(ConfigProblem.class,
                () -> reader.read(map("remotes", List.of(map("url", "hub", "compression",
                        map("mode", "s2_auto", "rtt_thresholds", List.of("20ms", "5ms"))))))).getMessage(),
                "Go's text for thresholds out of order");
    }
}
