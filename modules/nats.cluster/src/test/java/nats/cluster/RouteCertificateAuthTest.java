package nats.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import nats.cluster.testing.GoNode;
import nats.cluster.testing.Node;
import nats.cluster.testing.Ports;
import nats.testing.Clients;
import nats.testing.Monitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Go's isRouterAuthorized with a certificate: {@code verify_cert_and_check_known_urls} lets in a dialling server
 * whose certificate's DNS name ({@code localhost} here) matches the host of one of the acceptor's configured
 * {@code routes}, and {@code verify_and_map} one whose certificate names the cluster authorization's user. Each
 * case runs with a Go 2.9.10 acceptor too (the oracle), so both servers decide the same. The acceptor's own routes
 * point at a port nobody listens on, so the only route is the one the other server dials.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RouteCertificateAuthTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private enum Kind { GO, OURS }

    /** Starts the acceptor of a case; returns its client URL, HTTP port and how to stop it. */
    private record Acceptor(String clientUrl, int httpPort, AutoCloseable server, GoNode go) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            server.close();
        }
    }

    private Acceptor acceptor(Kind kind, String name, int clusterPort, String block) throws Exception {
        if (kind == Kind.GO) {
            GoNode g = GoNode.start(dir, name, clusterPort, block, "");
            return new Acceptor(g.clientUrl(), g.httpPort, g, g);
        }
        Node n = Node.start(dir, name, clusterPort, block, "");
        return new Acceptor(n.clientUrl(), n.httpPort, n, null);
    }

    @Test
    void checkKnownUrlsLetsInTheServerWhoseCertificateMatchesAConfiguredRoute() throws Exception {
        String files = files();
        for (Kind kind : List.of(Kind.GO, Kind.OURS)) {
            if (kind == Kind.GO && !Files.isExecutable(GoNode.BINARY)) {
                continue;
            }
            for (String knownHost : List.of("localhost", "127.0.0.1")) {
                int aPort = Ports.free();
                String tag = kind.ordinal() + "" + knownHost.length();
                try (Acceptor a = acceptor(kind, "K" + tag, aPort, "name: k, tls { " + files
                        + ", verify_cert_and_check_known_urls: true }, routes: [\"nats-route://" + knownHost + ":"
                        + Ports.free() + "\"]");
                     Node b = Node.start(dir, "L" + tag, Ports.free(), "name: k, tls { " + files
                             + ", verify: true }, routes: [\"nats-route://localhost:" + aPort + "\"]", "")) {
                    expect(knownHost.equals("localhost"), a, b, kind + " acceptor, route known as " + knownHost);
                }
            }
        }
    }

    @Test
    void verifyAndMapLetsInTheServerItsCertificateNames() throws Exception {
        String files = files();
        for (Kind kind : List.of(Kind.GO, Kind.OURS)) {
            if (kind == Kind.GO && !Files.isExecutable(GoNode.BINARY)) {
                continue;
            }
            for (String user : List.of("localhost", "nobody")) {
                int aPort = Ports.free();
                String tag = kind.ordinal() + "" + user.length();
                try (Acceptor a = acceptor(kind, "M" + tag, aPort, "name: m, tls { " + files
                        + ", verify_and_map: true }, authorization { user: " + user + " }");
                     Node b = Node.start(dir, "N" + tag, Ports.free(), "name: m, tls { " + files
                             + ", verify: true }, routes: [\"nats-route://localhost:" + aPort + "\"]", "")) {
                    expect(user.equals("localhost"), a, b, kind + " acceptor, authorization user " + user);
                }
            }
        }
    }

    private static void expect(boolean admitted, Acceptor a, Node b, String what) throws Exception {
        if (admitted) {
            Monitor.awaitRoutes(WAIT, 1, a.httpPort(), b.httpPort);
            Clients.assertPubSub(b.clientUrl(), a.clientUrl(), "cert.auth");
            return;
        }
        Thread.sleep(2500);
        assertEquals(0, Monitor.routes(a.httpPort()), what + ": the acceptor keeps the dialling server out");
        if (a.go() != null) {
            assertTrue(a.go().log().contains("authentication error"), what + ": Go logs its refusal: " + a.go().log());
        }
    }

    private String files() throws Exception {
        Path tls = Files.createDirectories(dir.resolve("tls"));
        for (String name : new String[] {"ca.pem", "route-cert.pem", "route-key.pem"}) {
            try (var in = getClass().getResourceAsStream("/tls/" + name)) {
                assertNotNull(in, "test resource " + name);
                Files.write(tls.resolve(name), in.readAllBytes());
            }
        }
        return "cert_file: \"" + tls.resolve("route-cert.pem") + "\", key_file: \"" + tls.resolve("route-key.pem")
                + "\", ca_file: \"" + tls.resolve("ca.pem") + "\"";
    }
}
