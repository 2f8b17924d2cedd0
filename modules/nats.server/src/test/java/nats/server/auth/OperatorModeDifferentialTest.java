package nats.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import nats.server.ConfigFiles;
import nats.server.NatsServer;
import nats.server.internal.auth.NKeyPair;
import nats.transport.json.Json;
import nats.server.options.ServerOptions;
import nats.testing.GoServer;
import nats.server.testing.RawNats;
import nats.server.testing.JwtFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * JWT operator mode with a MEMORY resolver, loaded from one config file by the Go server and this one:
 * user JWTs signed by accounts and signing keys, revocations, bearer tokens, expiry, imports between JWT
 * accounts, and an account update pushed on the system account that revokes a connected user.
 */
@Timeout(90)
class OperatorModeDifferentialTest {

    private static final Duration WAIT = Duration.ofSeconds(2);

    static NKeyPair operator = JwtFactory.operatorKey();
    static NKeyPair sys = JwtFactory.accountKey();
    static NKeyPair a = JwtFactory.accountKey();
    static NKeyPair b = JwtFactory.accountKey();
    static NKeyPair bSigning = JwtFactory.accountKey();
    static NKeyPair ua = JwtFactory.userKey();
    static NKeyPair ub = JwtFactory.userKey();
    static NKeyPair revokedUser = JwtFactory.userKey();
    static NKeyPair bearer = JwtFactory.userKey();
    static NKeyPair admin = JwtFactory.userKey();
    static String accountA;
    static String accountARevokingUa;
    static String config;

    @BeforeAll
    static void issue(@TempDir Path dir) throws Exception {
        Path opFile = Files.writeString(dir.resolve("op.jwt"), JwtFactory.operator(operator, sys.publicKey()));
        long now = Instant.now().getEpochSecond();
        String exportsA = "\"exports\":[{\"name\":\"a\",\"subject\":\"a.>\",\"type\":\"stream\"},"
                + "{\"name\":\"help\",\"subject\":\"help\",\"type\":\"service\"}]";
        accountA = JwtFactory.account(operator, a, "A", exportsA + ",\"revocations\":{\"" + revokedUser.publicKey()
                + "\":" + (now + 5) + "}");
        accountARevokingUa = JwtFactory.account(operator, a, "A", exportsA + ",\"revocations\":{\""
                + revokedUser.publicKey() + "\":" + (now + 5) + ",\"" + ua.publicKey() + "\":" + (now + 5) + "}");
        String accountB = JwtFactory.account(operator, b, "B", "\"signing_keys\":[\"" + bSigning.publicKey() + "\"],"
                + "\"imports\":[{\"name\":\"a\",\"subject\":\"a.>\",\"account\":\"" + a.publicKey()
                + "\",\"local_subject\":\"from_a.>\",\"type\":\"stream\"},{\"name\":\"help\",\"subject\":\"help\","
                + "\"account\":\"" + a.publicKey() + "\",\"local_subject\":\"a.help\",\"type\":\"service\"}]");
        String accountSys = JwtFactory.account(operator, sys, "SYS", "");
        config = """
                host: 127.0.0.1
                port: %%d
                operator: %s
                system_account: %s
                resolver: MEMORY
                resolver_preload: {
                  %s: %s
                  %s: %s
                  %s: %s
                }
                """.formatted(opFile, sys.publicKey(), sys.publicKey(), accountSys, a.publicKey(), accountA,
                b.publicKey(), accountB);
    }

    private static Connection connect(int port, NKeyPair user, String jwt) throws Exception {
        return Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + port)
                .authHandler(Nats.staticCredentials(jwt.toCharArray(), user.seed().toCharArray()))
                .maxReconnects(0).connectionTimeout(Duration.ofSeconds(3)).build());
    }

    private interface Observer {
        List<String> observe(int port) throws Exception;
    }

    /** Runs {@code observer} against the Go server and this one, both on {@link #config}; Go's log first. */
    private static List<List<String>> bothServers(Path dir, Observer observer) throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server not installed");
        ServerOptions options = new ServerOptions();
        assertEquals(List.of(), ConfigFiles.load(Files.writeString(dir.resolve("ours.conf"), config.formatted(-1)),
                options, true));
        List<String> expected;
        try (GoServer go = GoServer.start(dir, config)) {
            expected = observer.observe(go.port());
        }
        List<String> actual;
        try (NatsServer ours = NatsServer.start(options)) {
            actual = observer.observe(ours.port());
        }
        assertFalse(expected.isEmpty());
        return List.of(expected, actual);
    }

    @Test
    void operatorModeBehavesLikeTheGoServer(@TempDir Path dir) throws Exception {
        List<List<String>> logs = bothServers(dir, OperatorModeDifferentialTest::observe);
        assertEquals(logs.get(0), logs.get(1));
    }

    @Test
    void systemEventsNameJwtUsers(@TempDir Path dir) throws Exception {
        List<List<String>> logs = bothServers(dir, OperatorModeDifferentialTest::observeEvents);
        List<String> expected = logs.get(0);
        assertEquals(List.of(
                "CONNECT io.nats.server.advisory.v1.client_connect acc=true user=true jwt=true issuer=true kind=Client"
                        + " reason=null",
                "DISCONNECT io.nats.server.advisory.v1.client_disconnect acc=true user=true jwt=true issuer=true"
                        + " kind=Client reason=Client Closed"), expected, "what the Go server sends");
        assertEquals(expected, logs.get(1));
    }

    /** Connect and disconnect events of a user signed by a signing key, as the system account sees them. */
    private static List<String> observeEvents(int port) throws Exception {
        List<String> log = new ArrayList<>();
        String ubJwt = JwtFactory.user(bSigning, ub, "\"issuer_account\":\"" + b.publicKey() + "\"", 0);
        try (Connection sysConn = connect(port, admin, JwtFactory.user(sys, admin, "", 0))) {
            Subscription events = sysConn.subscribe("$SYS.ACCOUNT." + b.publicKey() + ".*");
            sysConn.flush(WAIT);
            connect(port, ub, ubJwt).close();
            Message m;
            while ((m = events.nextMessage(Duration.ofMillis(500))) != null) {
                Map<String, Object> event = Json.parseObject(new String(m.getData(), StandardCharsets.UTF_8));
                String kind = m.getSubject().substring(m.getSubject().lastIndexOf('.') + 1);
                Map<?, ?> client = (Map<?, ?>) event.get("client");
                log.add(kind + " " + event.get("type") + " acc=" + b.publicKey().equals(client.get("acc"))
                        + " user=" + ub.publicKey().equals(client.get("user"))
                        + " jwt=" + ubJwt.equals(client.get("jwt"))
                        + " issuer=" + bSigning.publicKey().equals(client.get("issuer_key"))
                        + " kind=" + client.get("kind") + " reason=" + event.get("reason"));
            }
        }
        return log;
    }

    private static List<String> observe(int port) throws Exception {
        List<String> log = new ArrayList<>();
        String uaJwt = JwtFactory.user(a, ua, "", 0);
        String ubJwt = JwtFactory.user(bSigning, ub, "\"issuer_account\":\"" + b.publicKey() + "\"", 0);
        try (Connection ca = connect(port, ua, uaJwt); Connection cb = connect(port, ub, ubJwt)) {
            ca.createDispatcher(m -> ca.publish(m.getReplyTo(), ("answer to " + new String(m.getData())).getBytes()))
                    .subscribe("help");
            Subscription imported = cb.subscribe("from_a.>");
            Subscription local = ca.subscribe("a.>");
            ca.flush(WAIT);
            cb.flush(WAIT);
            ca.publish("a.news", "hello".getBytes());
            ca.flush(WAIT);
            Message m = imported.nextMessage(WAIT);
            log.add("b got " + (m == null ? "nothing" : m.getSubject()));
            Message l = local.nextMessage(WAIT);
            log.add("a got " + (l == null ? "nothing" : l.getSubject()));
            Message r = cb.request("a.help", "q".getBytes(), WAIT);
            log.add("b's request answered: " + (r == null ? "no" : new String(r.getData())));

            log.add("revoked: " + RawNats.connectWithJwt(port, revokedUser, JwtFactory.user(a, revokedUser, "", 0), true));
            log.add("bearer without signature: " + RawNats.connectWithJwt(port, bearer,
                    JwtFactory.user(a, bearer, "\"bearer_token\":true", 0), false));
            log.add("plain user without signature: " + RawNats.connectWithJwt(port, bearer, JwtFactory.user(a, bearer, "", 0), false));
            log.add("expired: " + RawNats.connectWithJwt(port, ua, JwtFactory.user(a, ua, "", Instant.now().getEpochSecond() - 10), true));
            log.add("unknown signer: " + RawNats.connectWithJwt(port, ua, JwtFactory.user(bSigning, ua, "", 0), true));
            log.add("no jwt: " + RawNats.connectWithJwt(port, ua, "", false));
            log.add("src elsewhere: " + RawNats.connectWithJwt(port, ua,
                    JwtFactory.user(a, ua, "\"src\":[\"10.0.0.0/8\"]", 0), true));
            log.add("src loopback: " + RawNats.connectWithJwt(port, ua,
                    JwtFactory.user(a, ua, "\"src\":[\"10.0.0.0/8\",\"127.0.0.0/8\"]", 0), true));
            log.add("websocket only: " + RawNats.connectWithJwt(port, ua,
                    JwtFactory.user(a, ua, "\"allowed_connection_types\":[\"WEBSOCKET\"]", 0), true));
            log.add("standard: " + RawNats.connectWithJwt(port, ua,
                    JwtFactory.user(a, ua, "\"allowed_connection_types\":[\"STANDARD\",\"MQTT\"]", 0), true));
            log.add("all day: " + RawNats.connectWithJwt(port, ua, JwtFactory.user(a, ua,
                    "\"times\":[{\"start\":\"00:00:00\",\"end\":\"23:59:59\"}],\"times_location\":\"UTC\"", 0), true));
            // A window that excludes now and never crosses midnight, always written with seconds
            // (LocalTime.toString drops ":00" seconds, a form Go's time parsing refuses).
            java.time.LocalTime now = java.time.LocalTime.now(java.time.ZoneOffset.UTC);
            java.time.LocalTime start = now.getHour() < 12 ? now.plusHours(2) : now.minusHours(3);
            java.time.format.DateTimeFormatter hms = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss");
            log.add("other window: " + RawNats.connectWithJwt(port, ua, JwtFactory.user(a, ua,
                    "\"times\":[{\"start\":\"" + start.format(hms) + "\",\"end\":\""
                    + start.plusMinutes(30).format(hms) + "\"}],\"times_location\":\"UTC\"", 0), true));

            String adminJwt = JwtFactory.user(sys, admin, "", 0);
            try (Connection sysConn = connect(port, admin, adminJwt)) {
                Message update = sysConn.request("$SYS.REQ.ACCOUNT." + a.publicKey() + ".CLAIMS.UPDATE",
                        accountARevokingUa.getBytes(StandardCharsets.UTF_8), WAIT);
                String body = update == null ? "none" : new String(update.getData(), StandardCharsets.UTF_8);
                log.add("update answer has code 200: " + body.contains("\"code\":200")
                        + ", message: " + body.contains("\"message\":\"jwt updated\""));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (ca.getStatus() != Connection.Status.CLOSED && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            log.add("revoked connected user: " + ca.getStatus());
            log.add("b still: " + cb.getStatus());
        }
        return log;
    }


}
