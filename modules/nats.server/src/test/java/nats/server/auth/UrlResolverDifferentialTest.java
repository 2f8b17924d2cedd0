package nats.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import nats.server.ConfigFiles;
import nats.server.NatsServer;
import nats.server.internal.auth.NKeyPair;
import nats.server.options.ServerOptions;
import nats.testing.GoServer;
import nats.server.testing.JwtFactory;
import nats.server.testing.RawNats;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code resolver: URL(...)} against an account server (the JDK's HTTP server answering
 * {@code GET /jwt/v1/accounts/<key>}), on the Go nats-server and on this server from the same config: users of
 * a served account get in, users of an account the server does not know are refused, and both servers ask
 * for the same paths.
 */
@Timeout(60)
class UrlResolverDifferentialTest {

    @Test
    void accountsComeFromTheAccountServer(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server not installed");
        NKeyPair operator = JwtFactory.operatorKey();
        NKeyPair sys = JwtFactory.accountKey();
        NKeyPair a = JwtFactory.accountKey();
        NKeyPair unknown = JwtFactory.accountKey();
        NKeyPair user = JwtFactory.userKey();
        NKeyPair stranger = JwtFactory.userKey();
        Map<String, String> served = new ConcurrentHashMap<>(Map.of(
                sys.publicKey(), JwtFactory.account(operator, sys, "SYS", ""),
                a.publicKey(), JwtFactory.account(operator, a, "A", "")));
        List<String> requested = new CopyOnWriteArrayList<>();
        HttpServer accountServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        accountServer.createContext("/jwt/v1/accounts/", exchange -> {
            String key = exchange.getRequestURI().getPath().substring("/jwt/v1/accounts/".length());
            if (key.isEmpty()) {
                // The servers' start-up check that the account server is there.
                requested.add("base");
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
                return;
            }
            requested.add(key.equals(a.publicKey()) ? "A" : key.equals(sys.publicKey()) ? "SYS"
                    : key.equals(unknown.publicKey()) ? "unknown" : "?");
            String jwt = served.get(key);
            byte[] body = (jwt == null ? "not found" : jwt).getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(jwt == null ? 404 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        accountServer.start();
        try {
            Path opFile = Files.writeString(dir.resolve("op.jwt"), JwtFactory.operator(operator, sys.publicKey()));
            String config = """
                    host: 127.0.0.1
                    port: %%d
                    operator: %s
                    system_account: %s
                    resolver: URL("http://127.0.0.1:%d/jwt/v1/accounts/")
                    """.formatted(opFile, sys.publicKey(), accountServer.getAddress().getPort());
            String userJwt = JwtFactory.user(a, user, "", 0);
            String strangerJwt = JwtFactory.user(unknown, stranger, "", 0);
            List<String> expected = new ArrayList<>();
            try (GoServer go = GoServer.start(dir, config)) {
                expected.add("user of A: " + RawNats.connectWithJwt(go.port(), user, userJwt, true));
                expected.add("user of an unknown account: "
                        + RawNats.connectWithJwt(go.port(), stranger, strangerJwt, true));
            }
            List<String> goRequests = List.copyOf(requested);
            requested.clear();
            ServerOptions options = new ServerOptions();
            assertEquals(List.of(), ConfigFiles.load(Files.writeString(dir.resolve("ours.conf"),
                    config.formatted(-1)), options, true));
            List<String> actual = new ArrayList<>();
            try (NatsServer ours = NatsServer.start(options)) {
                actual.add("user of A: " + RawNats.connectWithJwt(ours.port(), user, userJwt, true));
                actual.add("user of an unknown account: "
                        + RawNats.connectWithJwt(ours.port(), stranger, strangerJwt, true));
            }
            assertEquals(List.of("user of A: PONG", "user of an unknown account: -ERR 'Authorization Violation'"),
                    expected, "what the Go server does");
            assertEquals(expected, actual);
            for (String path : List.of("base", "A", "unknown")) {
                assertTrue(goRequests.contains(path), () -> "Go asked for " + goRequests);
                assertTrue(requested.contains(path), () -> "we asked for " + requested);
            }
        } finally {
            accountServer.stop(0);
        }
    }

    @Test
    void withoutAnAccountServerNeitherStarts(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server not installed");
        NKeyPair operator = JwtFactory.operatorKey();
        NKeyPair sys = JwtFactory.accountKey();
        HttpServer nobodyHome = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        nobodyHome.createContext("/", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        nobodyHome.start();
        try {
            Path opFile = Files.writeString(dir.resolve("op.jwt"), JwtFactory.operator(operator, sys.publicKey()));
            String url = "http://127.0.0.1:" + nobodyHome.getAddress().getPort() + "/jwt/v1/accounts/";
            String config = """
                    host: 127.0.0.1
                    port: %%d
                    operator: %s
                    system_account: %s
                    resolver: URL("%s")
                    """.formatted(opFile, sys.publicKey(), url);
            String goError = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                    () -> GoServer.start(dir, config)).getMessage();
            String expected = "could not fetch <\"" + url + "\">: 404 Not Found";
            assertTrue(goError.contains(expected), goError);
            ServerOptions options = new ServerOptions();
            assertEquals(List.of(), ConfigFiles.load(Files.writeString(dir.resolve("ours.conf"),
                    config.formatted(-1)), options, true));
            assertEquals(expected, org.junit.jupiter.api.Assertions.assertThrows(
                    nats.server.options.ServerStartException.class, () -> NatsServer.start(options)).getMessage());
        } finally {
            nobodyHome.stop(0);
        }
    }
}
