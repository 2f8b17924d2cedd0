package nats.server.internal.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import nats.server.options.ServerOptions;
import org.junit.jupiter.api.Test;

/** Top-level keys onto {@link ServerOptions}, as the Go server's processConfigFileLine reads them. */
class OptionsMapperTest {

    private final ServerOptions options = new ServerOptions();

    private List<String> apply(String text) throws ConfigException {
        return OptionsMapper.apply(ConfigParserTest.parse(text), options, false);
    }

    private ConfigException applyError(String text) {
        return assertThrows(ConfigException.class, () -> apply(text));
    }

    @Test
    void basicServerOptions() throws Exception {
        List<String> warnings = apply("""
                host: 127.0.0.1
                port: 4333
                server_name: "n1"
                max_payload: 2MB
                max_control_line: 8KB
                max_connections: 100
                max_subscriptions: 1000
                max_pending: 128MB
                ping_interval: "30s"
                ping_max: 5
                write_deadline: "2s"
                debug: true
                trace: on
                logtime: no
                log_file: "/var/log/nats.log"
                pid_file: /var/run/nats.pid
                ports_file_dir: "/tmp/ports"
                lame_duck_duration: "45s"
                lame_duck_grace_period: 5s
                """);
        assertEquals(List.of(), warnings);
        assertEquals("127.0.0.1", options.host());
        assertEquals(4333, options.port());
        assertEquals("n1", options.serverName());
        assertEquals(2 << 20, options.maxPayload());
        assertEquals(8 << 10, options.maxControlLine());
        assertEquals(100, options.maxConnections());
        assertEquals(1000, options.maxSubscriptions());
        assertEquals(128L << 20, options.maxPending());
        assertEquals(Duration.ofSeconds(30), options.pingInterval());
        assertEquals(5, options.maxPingsOut());
        assertEquals(Duration.ofSeconds(2), options.writeDeadline());
        assertTrue(options.debug());
        assertTrue(options.trace());
        assertFalse(options.logTime());
        assertEquals(Optional.of(Path.of("/var/log/nats.log")), options.logFile());
        assertEquals(Optional.of(Path.of("/var/run/nats.pid")), options.pidFile());
        assertEquals(Optional.of(Path.of("/tmp/ports")), options.portsFileDir());
        assertEquals(Duration.ofSeconds(45), options.lameDuckDuration());
        assertEquals(Duration.ofSeconds(5), options.lameDuckGracePeriod());
    }

    @Test
    void aliasesAndCaseInsensitiveKeys() throws Exception {
        // Go matches strings.ToLower(key) and knows these aliases
        apply("NET: 10.0.0.1\nPort: 1\nmax_conn: 7\nmax_subs: 9\nLOGFILE: a.log\npidfile: b.pid\nmonitor_port: 8300");
        assertEquals("10.0.0.1", options.host());
        assertEquals(1, options.port());
        assertEquals(7, options.maxConnections());
        assertEquals(9, options.maxSubscriptions());
        assertEquals(Optional.of(Path.of("a.log")), options.logFile());
        assertEquals(Optional.of(Path.of("b.pid")), options.pidFile());
        assertEquals(8300, options.httpPort());
    }

    @Test
    void listen() throws Exception {
        apply("listen: 0.0.0.0:4222");
        assertEquals("0.0.0.0", options.host());
        assertEquals(4222, options.port());
        apply("listen: \"[::1]:5222\"");
        assertEquals("::1", options.host());
        assertEquals(5222, options.port());
        apply("listen: localhost:-1");
        assertEquals("localhost", options.host());
        assertEquals(ServerOptions.RANDOM_PORT, options.port());
        apply("listen: 6222");
        assertEquals("localhost", options.host(), "a bare port leaves the host");
        assertEquals(6222, options.port());
        apply("listen: \":7222\"");
        assertEquals("0.0.0.0", options.host());
        assertEquals(7222, options.port());
        ConfigException e = applyError("\nlisten: localhost");
        assertEquals("could not parse address string \"localhost\"", e.reason());
        assertEquals(2, e.line());
        assertEquals(1, e.column());
        assertEquals("could not parse port \"x\"", applyError("listen: \"h:x\"").reason());
        assertTrue(applyError("listen: 1.2.3.4:70000").reason().contains("out of range"));
    }

    @Test
    void splitHostPortMatchesGo() {
        assertArrayEquals(new String[] {"h", "1"}, OptionsMapper.splitHostPort("h:1"));
        assertArrayEquals(new String[] {"::1", "1"}, OptionsMapper.splitHostPort("[::1]:1"));
        assertArrayEquals(new String[] {"", "1"}, OptionsMapper.splitHostPort(":1"));
        assertArrayEquals(new String[] {"h", ""}, OptionsMapper.splitHostPort("h:"));
        for (String bad : List.of("h", "::1:1", "[::1]", "[::1:1", "[h]x:1", "h]:1", "[h]:[1")) {
            assertNull(OptionsMapper.splitHostPort(bad), bad);
        }
    }

    @Test
    void httpAsPortOrHostPort() throws Exception {
        // Go: "http: 8222" is a port, "http: host:port" sets both
        apply("http: 8222");
        assertEquals(8222, options.httpPort());
        assertEquals("", options.httpHost());
        apply("http: \"127.0.0.1:8223\"");
        assertEquals(8223, options.httpPort());
        assertEquals("127.0.0.1", options.httpHost());
        apply("http_port: 8224\nhttp_host: 0.0.0.0");
        assertEquals(8224, options.httpPort());
        assertEquals("0.0.0.0", options.httpHost());
    }

    @Test
    void authorizationUserAndPassword() throws Exception {
        List<String> w = apply("authorization {\n  user: derek\n  password: s3cr3t\n  timeout: 0.5\n}");
        assertEquals(List.of(), w);
        assertEquals("derek", options.username());
        assertEquals("s3cr3t", options.password());
        assertEquals(Duration.ofMillis(500), options.authTimeout());
        assertTrue(options.authRequired());
    }

    @Test
    void authorizationToken() throws Exception {
        apply("authorization { token: \"abc\", timeout: 3 }");
        assertEquals("abc", options.authToken());
        assertEquals("", options.username());
        assertEquals(Duration.ofSeconds(3), options.authTimeout());
        apply("authorization { username: u, pass: p }");
        assertEquals("u", options.username());
        assertEquals("p", options.password());
        assertEquals("", options.authToken());
    }

    @Test
    void authorizationRules() throws Exception {
        ConfigException e = applyError("authorization {\n user: a\n token: t\n}");
        assertEquals("Cannot have a user/pass and token", e.reason());
        assertEquals(1, e.line());
        // a timeout that is not a number counts as 1 second in Go
        List<String> w = apply("authorization { user: a, timeout: \"5s\" }");
        assertEquals(Duration.ofSeconds(1), options.authTimeout());
        assertEquals(1, w.size());
        // users and their permissions are read; what is not built yet is refused rather than ignored
        apply("authorization {\n  users = [\n    {user: a, password: b}\n  ]\n}");
        assertEquals(List.of(new nats.server.options.User("a", "b")), options.users());
        apply("authorization {\n  users = [\n    {user: a, password: b, permissions: {publish: x}}\n  ]\n}");
        assertEquals(java.util.Optional.of(List.of("x")), options.users().getFirst().permissions().publish().allow());
        apply("authorization {\n  users = [\n    {user: a, password: b, permissions: {subscribe: x,\n"
                + "      allow_responses: {max: 3, expires: \"5s\"}}}\n  ]\n}");
        assertEquals(java.util.Optional.of(new nats.server.options.Permissions.Responses(3, Duration.ofSeconds(5))),
                options.users().getFirst().permissions().responses());
        assertEquals(java.util.Optional.of(List.of()), options.users().getFirst().permissions().publish().allow(),
                "as in Go, responses alone allow publishing to nothing else");
        e = applyError("authorization {\n  users = [\n    {user: a, password: b, permissions: {publish: x,\n"
                + "      allow_responses: 7}}\n  ]\n}");
        assertEquals("error parsing response permissions, expected a boolean or a map", e.reason());
        assertEquals(4, e.line());
        assertTrue(applyError("authorization: 1").reason().contains("expected a map"));
    }

    @Test
    void authorizationUnknownKeys() throws Exception {
        List<String> w = apply("authorization {\n  user: a\n  colour: blue\n}");
        assertEquals(List.of("<config>:3:3: unknown field \"colour\""), w);
        ConfigException e = assertThrows(ConfigException.class,
                () -> OptionsMapper.apply(ConfigParserTest.parse("authorization {\n  user: a\n  colour: blue\n}"),
                        new ServerOptions(), true));
        assertEquals("unknown field \"colour\"", e.reason());
    }

    @Test
    void durationsAsInGo() throws Exception {
        // integer seconds are accepted with Go's warning
        List<String> w = apply("ping_interval: 10\nwrite_deadline: 3");
        assertEquals(Duration.ofSeconds(10), options.pingInterval());
        assertEquals(Duration.ofSeconds(3), options.writeDeadline());
        assertEquals(List.of("<config>:1:1: ping_interval should be converted to a duration",
                "<config>:2:1: write_deadline should be converted to a duration"), w);
        // an unquoted 2m is the number 2,000,000: Go reads it as that many seconds; the warning says why
        w = apply("ping_interval: 2m");
        assertEquals(Duration.ofSeconds(2_000_000), options.pingInterval());
        assertTrue(w.get(0).contains("2m is a number with a size suffix"), w.get(0));
        apply("ping_interval: \"2m\"");
        assertEquals(Duration.ofMinutes(2), options.pingInterval());
        apply("ping_interval: 1h30m");
        assertEquals(Duration.ofMinutes(90), options.pingInterval());
        ConfigException e = applyError("\n\nwrite_deadline: \"10q\"");
        assertEquals("error parsing write_deadline: time: unknown unit \"q\" in duration \"10q\"", e.reason());
        assertEquals(3, e.line());
        assertTrue(applyError("ping_interval: \"-1s\"").reason().contains("negative"));
        assertTrue(applyError("ping_interval: 1.5").reason().contains("expected a duration"));
    }

    @Test
    void lameDuck() throws Exception {
        ConfigException e = applyError("lame_duck_duration: \"10s\"");
        assertEquals("invalid lame_duck_duration of 10s, minimum is 30 seconds", e.reason());
        e = applyError("lame_duck_duration: 2m");
        assertTrue(e.reason().contains("expected a duration string"), e.getMessage());
        assertTrue(e.reason().contains("write \"2m\" in quotes"), e.getMessage());
        assertEquals("invalid lame_duck_grace_period, needs to be positive",
                applyError("lame_duck_grace_period: \"-1s\"").reason());
    }

    @Test
    void zeroMeansTheGoDefault() throws Exception {
        apply("port: 0\nmax_payload: 0\nmax_control_line: 0\nmax_pending: 0\nmax_connections: 0\n"
                + "ping_interval: \"0s\"\nping_max: 0\nwrite_deadline: \"0\"\nauthorization { user: a, timeout: 0 }");
        ServerOptions defaults = new ServerOptions();
        assertEquals(ServerOptions.DEFAULT_PORT, options.port());
        assertEquals(ServerOptions.DEFAULT_MAX_PAYLOAD, options.maxPayload());
        assertEquals(ServerOptions.DEFAULT_MAX_CONTROL_LINE, options.maxControlLine());
        assertEquals(ServerOptions.DEFAULT_MAX_PENDING, options.maxPending());
        assertEquals(defaults.maxConnections(), options.maxConnections());
        assertEquals(defaults.pingInterval(), options.pingInterval());
        assertEquals(defaults.maxPingsOut(), options.maxPingsOut());
        assertEquals(defaults.writeDeadline(), options.writeDeadline());
        assertEquals(defaults.authTimeout(), options.authTimeout());
    }

    @Test
    void limits() throws Exception {
        assertEquals("max_payload value is too big", applyError("max_payload: 3GB").reason());
        assertEquals("max_payload (2097152) cannot be higher than max_pending (1048576)",
                applyError("max_payload: 2MB\nmax_pending: 1MB").reason());
        assertTrue(applyError("port: 70000").reason().contains("out of range"));
        apply("max_connections: -1\nmax_subscriptions: -1");
        assertEquals(Integer.MAX_VALUE, options.maxConnections(), "negative means no limit in Go");
        assertEquals(0, options.maxSubscriptions());
    }

    @Test
    void pluginSectionsAreHandedOverUnchanged() throws Exception {
        Map<String, Object> config = ConfigParserTest.parse("""
                cluster { name: c1, listen: 0.0.0.0:6222, routes: [nats://a:6222] }
                jetstream { store_dir: /data, max_mem: 1G }
                leaf { listen: 7422 }
                ws { port: 8080, no_tls: true }
                MQTT { port: 1883 }
                accounts { A { users: [{user: a, password: b}] } }
                system_account: SYS
                gateway { name: g }
                """);
        assertEquals(List.of(), OptionsMapper.apply(config, options, true));
        Map<String, Object> sections = options.configSections();
        assertEquals(config.get("cluster"), sections.get("cluster"));
        assertEquals(Map.of("store_dir", "/data", "max_mem", 1_000_000_000L), sections.get("jetstream"));
        assertEquals(Map.of("listen", 7422L), sections.get("leafnodes"));
        assertEquals(Map.of("port", 8080L, "no_tls", true), sections.get("websocket"));
        assertEquals(Map.of("port", 1883L), sections.get("mqtt"));
        assertEquals(List.of("A"), options.accounts().stream().map(a -> a.name()).toList());
        assertEquals("SYS", options.systemAccount());
        assertEquals(Map.of("name", "g"), sections.get("gateway"));
    }

    @Test
    void loggingAndMonitoringOptionsOnceUnsupported() throws Exception {
        List<String> w = apply("""
                logfile_size_limit: 10MB
                logfile_max_num: 5
                logtime_utc: true
                syslog: true
                remote_syslog: "udp://127.0.0.1:514"
                http_base_path: "/ops"
                https: "127.0.0.1:8443"
                """);
        assertEquals(List.of(), w, "no warnings: these are options jnatsd has now");
        assertEquals(10L * 1024 * 1024, options.logging().sizeLimit(), "a size with units, as Go reads it");
        assertEquals(5, options.logging().maxFiles());
        assertTrue(options.logging().utc());
        assertTrue(options.logging().syslog());
        assertEquals("udp://127.0.0.1:514", options.logging().remoteSyslog());
        assertEquals("/ops", options.httpBasePath());
        assertEquals(8443, options.httpsPort(), "https: host:port sets the HTTPS port");
        assertEquals("127.0.0.1", options.httpHost(), "and the monitoring host");
        apply("log_size_limit: 2048\nlog_max_num: 2\nhttps_port: 9443");
        assertEquals(2048, options.logging().sizeLimit(), "Go's other spelling");
        assertEquals(2, options.logging().maxFiles(), "Go's other spelling");
        assertEquals(9443, options.httpsPort());
    }

    @Test
    void unknownKeysWarnOrFail() throws Exception {
        List<String> w = apply("port: 1\n  bogus: 2\nprof_port: 6060");
        assertEquals(2, w.size());
        assertEquals("<config>:2:3: unknown field \"bogus\"", w.get(0));
        assertTrue(w.get(1).contains("'prof_port' is a nats-server option jnatsd does not support"), w.get(1));
        ConfigException e = assertThrows(ConfigException.class,
                () -> OptionsMapper.apply(ConfigParserTest.parse("port: 1\n  bogus: 2"), new ServerOptions(), true));
        assertEquals("unknown field \"bogus\"", e.reason());
        assertEquals(2, e.line());
        assertEquals(3, e.column());
    }

    @Test
    void keysDefinedOnlyForVariablesAreNotUnknown() throws Exception {
        // Go skips unknown top-level fields that were referenced as $variables
        List<String> w = OptionsMapper.apply(
                ConfigParserTest.parse("PORT_BASE: 4222\nport: $PORT_BASE\nUNUSED: 1"), options, false);
        assertEquals(4222, options.port());
        assertEquals(List.of("<config>:3:1: unknown field \"UNUSED\""), w);
    }

    @Test
    void wrongTypesFailWithPositionsAndChangeNothing() throws Exception {
        ConfigException e = applyError("port: 4333\ndebug: true\nmax_payload: \"big\"");
        assertEquals(3, e.line());
        assertEquals(1, e.column());
        assertTrue(e.reason().contains("expected an integer for max_payload, got the string \"big\""), e.getMessage());
        assertEquals(ServerOptions.DEFAULT_PORT, options.port(), "nothing is applied when one value is wrong");
        assertFalse(options.debug());
        assertTrue(applyError("debug: 1").reason().contains("expected a boolean"));
        assertTrue(applyError("server_name: 5").reason().contains("expected a string"));
        assertTrue(applyError("host: [a]").reason().contains("got an array"));
    }

    @Test
    void plainMapsWithoutPositions() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("port", 5L);
        m.put("what", 1L);
        assertEquals(List.of("unknown field \"what\""), OptionsMapper.apply(m, options, false));
        assertEquals(5, options.port());
        m.put("port", "x");
        ConfigException e = assertThrows(ConfigException.class, () -> OptionsMapper.apply(m, options, false));
        assertEquals(0, e.line());
    }

    @Test
    void emptyPathsMeanNone() throws Exception {
        options.pidFile(Path.of("x.pid"));
        apply("pid_file: \"\"");
        assertEquals(Optional.empty(), options.pidFile());
    }
}
