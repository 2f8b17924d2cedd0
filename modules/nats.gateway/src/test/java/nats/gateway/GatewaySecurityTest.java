package nats.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import nats.gateway.testing.Member.Kind;
import nats.gateway.testing.Member;
import nats.testing.Clients;
import nats.testing.Monitor;
import nats.testing.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may connect to a gateway port: TLS both ways between ours and Go, credentials, {@code reject_unknown_cluster},
 * and a client dialling the gateway port, each answered as Go 2.9.10 answers.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GatewaySecurityTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void tlsGatewaysBetweenOursAndGoBothWays() throws Exception {
        Path tls = tlsFiles();
        String block = "tls { cert_file: \"" + tls.resolve("route-cert.pem") + "\", key_file: \""
                + tls.resolve("route-key.pem") + "\", ca_file: \"" + tls.resolve("ca.pem") + "\", verify: true }";
        Member.Plan jp = new Member.Plan();
        Member.Plan gp = new Member.Plan();
        try (Member j = Member.start(dir, Kind.OURS, "J", jp, null, "name: J\n  " + block + "\n  gateways: [{name: G, urls: [\""
                + "nats://localhost:" + gp.gatewayPort + "\"]}]");
             Member g = Member.start(dir, Kind.GO, "G", gp, null, "name: G\n  " + block
                     + "\n  gateways: [{name: J, urls: [\"nats://localhost:" + jp.gatewayPort + "\"]}]")) {
            Monitor.awaitOutbound(WAIT, j.httpPort, "G");
            Monitor.awaitOutbound(WAIT, g.httpPort, "J");
            Clients.assertPubSub(j.clientUrl(), g.clientUrl(), "tls.j.g");
            Clients.assertPubSub(g.clientUrl(), j.clientUrl(), "tls.g.j");
            Map<String, Object> out = (Map<String, Object>) Monitor.outbound(j.httpPort).get("G");
            Map<String, Object> conn = (Map<String, Object>) out.get("connection");
            assertTrue(String.valueOf(conn.get("tls_version")).startsWith("1."), "/gatewayz shows TLS: " + conn);
            assertEquals(Boolean.TRUE, ((Map<String, Object>) Monitor.get(j.httpPort, "/varz").get("gateway"))
                    .get("tls_required"), "/varz shows TLS on gateways");
        }
    }

    /**
     * Go's isGatewayAuthorized with {@code verify_and_map}: the dialling server's certificate must name the
     * authorization's user (its DNS name {@code localhost} here); a user it does not name keeps the gateway out.
     * Each case runs with a Go acceptor too, so both servers decide the same.
     */
    @Test
    void verifyAndMapLetsInTheGatewayItsCertificateNames() throws Exception {
        Path tls = tlsFiles();
        String files = "cert_file: \"" + tls.resolve("route-cert.pem") + "\", key_file: \""
                + tls.resolve("route-key.pem") + "\", ca_file: \"" + tls.resolve("ca.pem") + "\"";
        for (Kind acceptor : List.of(Kind.GO, Kind.OURS)) {
            for (String user : List.of("localhost", "nobody")) {
                Member.Plan ap = new Member.Plan();
                Member.Plan bp = new Member.Plan();
                try (Member a = Member.start(dir, acceptor, "A" + acceptor.ordinal() + user.length(), ap, null,
                        "name: A\n  tls { " + files + ", verify_and_map: true }\n  authorization { user: " + user + " }");
                     Member b = Member.start(dir, Kind.OURS, "B" + acceptor.ordinal() + user.length(), bp, null,
                             "name: B\n  tls { " + files + ", verify: true }\n  gateways: [{name: A, urls: [\""
                                     + "nats://localhost:" + ap.gatewayPort + "\"]}]")) {
                    if (user.equals("localhost")) {
                        Monitor.awaitOutbound(WAIT, b.httpPort, "A");
                        Clients.assertPubSub(b.clientUrl(), a.clientUrl(), "map." + acceptor);
                    } else {
                        Thread.sleep(2500);
                        assertTrue(Monitor.outbound(b.httpPort).get("A") == null
                                || ((Map<?, ?>) Monitor.outbound(b.httpPort).get("A")).get("connection") == null,
                                acceptor + " keeps out a gateway whose certificate does not name " + user);
                        assertTrue(Monitor.inbound(a.httpPort).isEmpty(), acceptor + " has no inbound gateway");
                    }
                }
            }
        }
    }

    /**
     * Go's isGatewayAuthorized with {@code verify_cert_and_check_known_urls}: the dialling server's certificate
     * (DNS name {@code localhost}) must match the host of a configured gateway URL. Known as
     * {@code nats://localhost:port} it is let in; known only as {@code nats://127.0.0.1:port} it is not (Go compares
     * DNS names, not IP addresses). Each case runs with a Go acceptor too, so both servers decide the same.
     */
    @Test
    void checkKnownUrlsLetsInTheGatewayWhoseCertificateMatchesAConfiguredUrl() throws Exception {
        Path tls = tlsFiles();
        String files = "cert_file: \"" + tls.resolve("route-cert.pem") + "\", key_file: \""
                + tls.resolve("route-key.pem") + "\", ca_file: \"" + tls.resolve("ca.pem") + "\"";
        for (Kind acceptor : List.of(Kind.GO, Kind.OURS)) {
            for (String knownHost : List.of("localhost", "127.0.0.1")) {
                Member.Plan ap = new Member.Plan();
                Member.Plan bp = new Member.Plan();
                try (Member a = Member.start(dir, acceptor, "K" + acceptor.ordinal() + knownHost.length(), ap, null,
                        "name: A\n  tls { " + files + ", verify_cert_and_check_known_urls: true }\n  gateways: [{name: B,"
                                + " urls: [\"nats://" + knownHost + ":" + bp.gatewayPort + "\"]}]");
                     Member b = Member.start(dir, Kind.OURS, "L" + acceptor.ordinal() + knownHost.length(), bp, null,
                             "name: B\n  tls { " + files + ", verify: true }\n  gateways: [{name: A, urls: [\""
                                     + "nats://localhost:" + ap.gatewayPort + "\"]}]")) {
                    if (knownHost.equals("localhost")) {
                        Monitor.awaitOutbound(WAIT, b.httpPort, "A");
                        Monitor.await(WAIT, acceptor + " lets B in", () -> Monitor.inbound(a.httpPort).containsKey("B"));
                        Clients.assertPubSub(b.clientUrl(), a.clientUrl(), "known." + acceptor);
                    } else {
                        Thread.sleep(2500);
                        assertTrue(Monitor.outbound(b.httpPort).get("A") == null
                                || ((Map<?, ?>) Monitor.outbound(b.httpPort).get("A")).get("connection") == null,
                                acceptor + " keeps out a gateway whose certificate matches no configured URL");
                        assertTrue(Monitor.inbound(a.httpPort).isEmpty(), acceptor + " has no inbound gateway");
                    }
                }
            }
        }
    }

    @Test
    void credentialsAndUnknownClustersAreRefused() throws Exception {
        Member.Plan ap = new Member.Plan();
        Member.Plan bp = new Member.Plan();
        Member.Plan cp = new Member.Plan();
        Member.Plan dp = new Member.Plan();
        String aUrl = "127.0.0.1:" + ap.gatewayPort;
        try (Member a = Member.start(dir, Kind.OURS, "A", ap, null, "name: A, authorization { user: gw, password: pw },"
                + " reject_unknown_cluster: true, gateways: [{name: B, urls: [\"nats://gw:pw@127.0.0.1:" + bp.gatewayPort
                + "\"]}, {name: D, urls: [\"nats://gw:pw@127.0.0.1:" + dp.gatewayPort + "\"]}]");
             Member b = Member.start(dir, Kind.OURS, "B", bp, null, "name: B, gateways: [{name: A, urls: [\"nats://gw:pw@"
                     + aUrl + "\"]}]");
             Member c = Member.start(dir, Kind.GO, "C", cp, null, "name: C, gateways: [{name: A, urls: [\"nats://gw:pw@"
                     + aUrl + "\"]}]");
             Member d = Member.start(dir, Kind.GO, "D", dp, null, "name: D, gateways: [{name: A, urls: [\"nats://gw:wrong@"
                     + aUrl + "\"]}]")) {
            Monitor.awaitOutbound(WAIT, b.httpPort, "A");
            Clients.assertPubSub(b.clientUrl(), a.clientUrl(), "auth.ok");
            Monitor.await(WAIT, "Go's C logs A's refusal of an unknown cluster",
                    () -> logHas(c, "Connection to gateway \"A\" rejected"));
            Monitor.await(WAIT, "Go's D logs the authorization violation",
                    () -> logHas(d, "Authorization Violation"));
            assertEquals(List.of("B"), Monitor.inbound(a.httpPort).keySet().stream().sorted().toList(),
                    "only B is let in: C is unknown to A, D is known but its password is wrong");
        }
    }

    @Test
    void aClientDiallingTheGatewayPortGetsGosError() throws Exception {
        Member.Plan jp = new Member.Plan();
        Member.Plan gp = new Member.Plan();
        try (Member j = Member.start(dir, Kind.OURS, "J", jp, null, "name: J");
             Member g = Member.start(dir, Kind.GO, "G", gp, null, "name: G")) {
            assertEquals(clientOnGatewayPort(gp.gatewayPort), clientOnGatewayPort(jp.gatewayPort),
                    "what a client dialling the gateway port reads");
        }
    }

    private static String clientOnGatewayPort(int port) throws Exception {
        try (RawClient c = RawClient.connect(port)) {
            String info = c.readLine(5000);
            assertTrue(info.startsWith("INFO {") && info.contains("\"gateway\":"), "a gateway INFO first: " + info);
            c.send("CONNECT {\"verbose\":false,\"pedantic\":false,\"lang\":\"java\",\"version\":\"2.0\"}\r\n");
            return c.readAllToEnd(5000).text();
        }
    }

    private static boolean logHas(Member m, String text) {
        try {
            return m.logText().contains(text);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private Path tlsFiles() throws Exception {
        Path tls = Files.createDirectories(dir.resolve("tls"));
        for (String name : List.of("ca.pem", "route-cert.pem", "route-key.pem")) {
            try (var in = getClass().getResourceAsStream("/tls/" + name)) {
                Files.write(tls.resolve(name), in.readAllBytes());
            }
        }
        return tls;
    }
}
