package nats.server.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import nats.server.options.ServerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole configuration files written the way the NATS documentation writes them load unchanged. */
class RealisticConfigTest {

    /** A full server: clients, monitoring, authorization, a cluster, JetStream, limits and logging. */
    static final String FULL_SERVER = """
            # Client port of 4222 on all interfaces
            port: 4222

            # HTTP monitoring port
            monitor_port: 8222

            server_name: "n1-c1"

            # This is for clustering multiple servers together.
            cluster {
              # It is recommended to set a cluster name
              name: "my_cluster"

              # Route connections to be received on any interface on port 6222
              port: 6222

              # Routes are protected, so need to use them with --routes flag
              # e.g. --routes=nats-route://ruser:T0pS3cr3t@otherdockerhost:6222
              authorization {
                user: ruser
                password: T0pS3cr3t
                timeout: 2
              }

              # Routes are actively solicited and connected to from this server.
              routes = [
                nats-route://ruser:T0pS3cr3t@n2:6222
                nats-route://ruser:T0pS3cr3t@n3:6222
              ]
            }

            jetstream {
              store_dir: /data/jetstream
              max_mem: 1G
              max_file: 100G
            }

            authorization {
              user: app
              password: "s3cr3t!"
              timeout: 1
            }

            # Limits
            max_payload: 1MB
            max_pending: 64MB
            max_connections: 1K
            max_control_line: 4KB
            ping_interval: "2m"
            ping_max: 2
            write_deadline: "10s"
            lame_duck_duration: "2m"
            lame_duck_grace_period: "10s"

            # Logging options
            debug:   false
            trace:   false
            logtime: true
            log_file: "/tmp/nats-server.log"
            pid_file: "/tmp/nats-server.pid"
            """;

    /** JetStream cluster example: '=' separators, $SYS as a key, bcrypt in quotes. */
    static final String JETSTREAM_CLUSTER = """
            server_name=n1-c1
            listen=4222

            accounts {
              $SYS {
                users = [
                  { user: "admin",
                    pass: "$2a$11$DRh4C0KNbNnD8K/hb/buWe1zPxEHrLEiDmuq1Mi0rRJiH/W25Qidm"
                  }
                ]
              }
            }

            jetstream {
               store_dir=/nats/storage
            }

            cluster {
              name: C1
              listen: 0.0.0.0:6222
              routes: [
                nats://host_b:6222
                nats://host_c:6222
              ]
            }
            """;

    /** Leaf nodes, a gateway, websocket and MQTT, with TLS blocks and variables. */
    static final String EDGE = """
            listen: 127.0.0.1:4222
            http: localhost:8222

            # Variables
            TOKEN: "dag0HTXl4RGg7dXdaJwbC8"
            authorization {
                token: $TOKEN
            }

            websocket {
                port: 8080
                no_tls: true
                compression: true
            }

            mqtt {
                listen: 127.0.0.1:1883
                ack_wait: "1m"
                max_ack_pending: 100
            }

            leafnodes {
                remotes = [
                    {
                      url: "nats-leaf://connect.ngs.global"
                      credentials: "/Users/foo/.nkeys/creds/synadia/leaf/leaf.creds"
                    }
                ]
            }

            gateway {
                name: "A"
                listen: "localhost:7222"
                authorization {
                    user: gwu
                    password: gwp
                }
                tls {
                    cert_file: "./configs/certs/server-cert.pem"
                    key_file:  "./configs/certs/server-key.pem"
                    ca_file:   "./configs/certs/ca.pem"
                    timeout:   0.5
                }
                gateways: [
                    {name: "A", url: "nats://localhost:7222"},
                    {name: "B", url: "nats://localhost:7333"},
                ]
            }
            """;

    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void fullServerConfig() throws Exception {
        Map<String, Object> m = ConfigParser.parse(write("nats.conf", FULL_SERVER));
        @SuppressWarnings("unchecked")
        Map<String, Object> cluster = (Map<String, Object>) m.get("cluster");
        assertEquals("my_cluster", cluster.get("name"));
        assertEquals(6222L, cluster.get("port"));
        assertEquals(Map.of("user", "ruser", "password", "T0pS3cr3t", "timeout", 2L), cluster.get("authorization"));
        assertEquals(List.of("nats-route://ruser:T0pS3cr3t@n2:6222", "nats-route://ruser:T0pS3cr3t@n3:6222"),
                cluster.get("routes"));
        assertEquals(Map.of("store_dir", "/data/jetstream", "max_mem", 1_000_000_000L, "max_file", 100_000_000_000L),
                m.get("jetstream"));

        ServerOptions options = new ServerOptions();
        assertEquals(List.of(), OptionsMapper.apply(m, options, true));
        assertEquals(4222, options.port());
        assertEquals(8222, options.httpPort());
        assertEquals("n1-c1", options.serverName());
        assertEquals("app", options.username());
        assertEquals("s3cr3t!", options.password());
        assertEquals(Duration.ofSeconds(1), options.authTimeout());
        assertEquals(1 << 20, options.maxPayload());
        assertEquals(64L << 20, options.maxPending());
        assertEquals(1000, options.maxConnections());
        assertEquals(4096, options.maxControlLine());
        assertEquals(Duration.ofMinutes(2), options.pingInterval());
        assertEquals(2, options.maxPingsOut());
        assertEquals(Duration.ofSeconds(10), options.writeDeadline());
        assertEquals(Duration.ofMinutes(2), options.lameDuckDuration());
        assertEquals(Duration.ofSeconds(10), options.lameDuckGracePeriod());
        assertFalse(options.debug());
        assertTrue(options.logTime());
        assertEquals(Optional.of(Path.of("/tmp/nats-server.log")), options.logFile());
        assertEquals(cluster, options.configSections().get("cluster"));
        assertEquals(m.get("jetstream"), options.configSections().get("jetstream"));
    }

    @Test
    void jetStreamClusterConfig() throws Exception {
        Map<String, Object> m = ConfigParser.parse(write("js.conf", JETSTREAM_CLUSTER));
        assertEquals("n1-c1", m.get("server_name"));
        assertEquals(4222L, m.get("listen"));
        assertEquals(Map.of("$SYS", Map.of("users", List.of(Map.of("user", "admin",
                        "pass", "$2a$11$DRh4C0KNbNnD8K/hb/buWe1zPxEHrLEiDmuq1Mi0rRJiH/W25Qidm")))),
                m.get("accounts"));
        assertEquals(Map.of("store_dir", "/nats/storage"), m.get("jetstream"));
        assertEquals(Map.of("name", "C1", "listen", "0.0.0.0:6222",
                "routes", List.of("nats://host_b:6222", "nats://host_c:6222")), m.get("cluster"));
        ServerOptions options = new ServerOptions();
        assertEquals(List.of(), OptionsMapper.apply(m, options, true));
        assertEquals(4222, options.port());
        assertEquals(List.of("$SYS"), options.accounts().stream().map(a -> a.name()).toList());
        assertEquals("$SYS", options.users().get(0).account());
    }

    @Test
    void edgeConfigWithVariablesAndTls() throws Exception {
        Map<String, Object> m = ConfigParser.parse(write("edge.conf", EDGE));
        assertEquals(Map.of("token", "dag0HTXl4RGg7dXdaJwbC8"), m.get("authorization"));
        @SuppressWarnings("unchecked")
        Map<String, Object> gateway = (Map<String, Object>) m.get("gateway");
        assertEquals(List.of(Map.of("name", "A", "url", "nats://localhost:7222"),
                Map.of("name", "B", "url", "nats://localhost:7333")), gateway.get("gateways"));
        assertEquals(0.5, ((Map<?, ?>) gateway.get("tls")).get("timeout"));
        assertEquals("1m", ((Map<?, ?>) m.get("mqtt")).get("ack_wait"));

        ServerOptions options = new ServerOptions();
        // TOKEN is only there to be referenced: not an unknown field, even when pedantic
        assertEquals(List.of(), OptionsMapper.apply(m, options, true));
        assertEquals("127.0.0.1", options.host());
        assertEquals("localhost", options.httpHost());
        assertEquals(8222, options.httpPort());
        assertEquals("dag0HTXl4RGg7dXdaJwbC8", options.authToken());
        assertEquals(Map.of("port", 8080L, "no_tls", true, "compression", true),
                options.configSections().get("websocket"));
        assertEquals(m.get("leafnodes"), options.configSections().get("leafnodes"));
        assertEquals(gateway, options.configSections().get("gateway"));
    }

    @Test
    void splitAcrossIncludes() throws Exception {
        write("accounts.conf", """
                # account definitions
                A: { users: [ {user: a, password: a} ] }
                B: { users: [ {user: b, password: b} ] }
                """);
        Path main = write("main.conf", """
                APP_PASS: "pa55"
                listen: 0.0.0.0:4222
                accounts {
                  include ./accounts.conf
                }
                authorization {
                  user: app
                  password: $APP_PASS
                }
                """);
        Map<String, Object> m = ConfigParser.parse(main);
        assertEquals(List.of("A", "B"), List.copyOf(((Map<?, ?>) m.get("accounts")).keySet()));
        ServerOptions options = new ServerOptions();
        // As the Go server says for this file (checked with nats-server -t): account users exclude a single user.
        ConfigException e = assertThrows(ConfigException.class, () -> OptionsMapper.apply(m, options, true));
        assertTrue(e.getMessage().endsWith("main.conf:6:1: Can not have a single user/pass and a users array"),
                e.getMessage());
    }

    @Test
    void jsonConfig() throws Exception {
        Map<String, Object> m = ConfigParser.parse(write("nats.json", """
                {
                  "port": 4223,
                  "http_port": 8223,
                  "max_payload": 65536,
                  "debug": true,
                  "cluster": {
                    "name": "c",
                    "routes": ["nats://127.0.0.1:6223", "nats://127.0.0.1:6224"]
                  }
                }
                """));
        ServerOptions options = new ServerOptions();
        assertEquals(List.of(), OptionsMapper.apply(m, options, true));
        assertEquals(4223, options.port());
        assertEquals(8223, options.httpPort());
        assertEquals(65536, options.maxPayload());
        assertTrue(options.debug());
        assertEquals(Map.of("name", "c", "routes", List.of("nats://127.0.0.1:6223", "nats://127.0.0.1:6224")),
                options.configSections().get("cluster"));
    }
}
