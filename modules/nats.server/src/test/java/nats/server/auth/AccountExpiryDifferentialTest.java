package nats.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
 * An account JWT that expires while its client is connected, on the Go nats-server and on this server: the
 * client is told {@code Account Authentication Expired} and closed, and a client that connects to the
 * account afterwards is refused.
 */
@Timeout(60)
class AccountExpiryDifferentialTest {

    private static final NKeyPair OPERATOR = JwtFactory.operatorKey();
    private static final NKeyPair SYS = JwtFactory.accountKey();
    private static final NKeyPair ACCOUNT = JwtFactory.accountKey();
    private static final NKeyPair USER = JwtFactory.userKey();

    @Test
    void expiringAccountClosesItsClients(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server not installed");
        Path opFile = Files.writeString(dir.resolve("op.jwt"), JwtFactory.operator(OPERATOR, SYS.publicKey()));
        List<String> expected;
        try (GoServer go = GoServer.start(dir, config(opFile))) {
            expected = observe(go.port());
        }
        ServerOptions options = new ServerOptions();
        assertEquals(List.of(), ConfigFiles.load(Files.writeString(dir.resolve("ours.conf"),
                config(opFile).formatted(-1)), options, true));
        List<String> actual;
        try (NatsServer ours = NatsServer.start(options)) {
            actual = observe(ours.port());
        }
        assertEquals(List.of("before: PONG", "connected: -ERR 'Account Authentication Expired'"),
                expected.subList(0, 2), "what the Go server does");
        assertEquals(expected.subList(0, 2), actual.subList(0, 2));
        // A client arriving just after the expiry: both servers refuse it once the JWT's expiry second has
        // passed (Authorization Violation), and within that second let it in and expire it at once.
        List<String> either = List.of("after: -ERR 'Authorization Violation'",
                "after: -ERR 'Account Authentication Expired'");
        assertTrue(either.contains(expected.get(2)), expected.get(2));
        assertTrue(either.contains(actual.get(2)), actual.get(2));
    }

    /** A config whose account JWT runs out about three seconds after it is written (JWT times are in seconds). */
    private static String config(Path opFile) {
        long expires = Instant.now().getEpochSecond() + 3;
        String account = JwtFactory.account(OPERATOR, ACCOUNT, "E", "", expires);
        return """
                host: 127.0.0.1
                port: %%d
                operator: %s
                system_account: %s
                resolver: MEMORY
                resolver_preload: {
                  %s: %s
                  %s: %s
                }
                """.formatted(opFile, SYS.publicKey(), SYS.publicKey(), JwtFactory.account(OPERATOR, SYS, "SYS", ""),
                ACCOUNT.publicKey(), account);
    }

    private static List<String> observe(int port) throws Exception {
        List<String> log = new ArrayList<>();
        String userJwt = JwtFactory.user(ACCOUNT, USER, "", 0);
        log.add("before: " + RawNats.connectWithJwt(port, USER, userJwt, true));
        try (Socket s = RawNats.openWithJwt(port, USER, userJwt, true, 8000)) {
            InputStream in = s.getInputStream();
            String line = RawNats.readLine(in);
            // The PONG, then (after the account's expiry) the error, skipping keep-alive PINGs.
            while (line.equals("PONG") || line.equals("PING")) {
                line = readOrClosed(in);
            }
            log.add("connected: " + line);
        }
        log.add("after: " + RawNats.connectWithJwt(port, USER, userJwt, true));
        return log;
    }

    private static String readOrClosed(InputStream in) throws IOException {
        String line = RawNats.readLine(in);
        return line.isEmpty() ? "closed" : line;
    }
}
