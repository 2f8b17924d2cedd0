package nats.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import nats.server.ConfigFiles;
import nats.server.NatsServer;
import nats.server.internal.auth.NKeyPair;
import nats.server.options.ServerOptions;
import nats.testing.GoServer;
import nats.server.testing.RawNats;
import nats.server.testing.JwtFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The full directory resolver: an account pushed with {@code $SYS.REQ.CLAIMS.UPDATE} becomes usable, is
 * kept as {@code <account>.jwt} and survives a restart; a JWT from an untrusted operator is refused.
 */
@Timeout(90)
class DirectoryResolverDifferentialTest {

    private static final Duration WAIT = Duration.ofSeconds(2);

    @Test
    void pushedAccountsBecomeUsableAndPersist(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server not installed");
        NKeyPair operator = JwtFactory.operatorKey();
        NKeyPair sys = JwtFactory.accountKey();
        NKeyPair a = JwtFactory.accountKey();
        NKeyPair admin = JwtFactory.userKey();
        NKeyPair user = JwtFactory.userKey();
        Path opFile = Files.writeString(dir.resolve("op.jwt"), JwtFactory.operator(operator, sys.publicKey()));
        String sysJwt = JwtFactory.account(operator, sys, "SYS", "");
        String aJwt = JwtFactory.account(operator, a, "A", "");
        String forged = JwtFactory.account(JwtFactory.operatorKey(), a, "A", "");
        String template = """
                host: 127.0.0.1
                port: %%d
                operator: %s
                system_account: %s
                resolver: { type: full, dir: "%s" }
                resolver_preload: { %s: %s }
                """;
        Path goDir = Files.createDirectories(dir.resolve("go-jwt"));
        Path ourDir = Files.createDirectories(dir.resolve("our-jwt"));
        String goConfig = template.formatted(opFile, sys.publicKey(), goDir, sys.publicKey(), sysJwt);
        String ourConfig = template.formatted(opFile, sys.publicKey(), ourDir, sys.publicKey(), sysJwt).formatted(-1);
        String adminJwt = JwtFactory.user(sys, admin, "", 0);
        String userJwt = JwtFactory.user(a, user, "", 0);

        List<String> expected;
        try (GoServer go = GoServer.start(dir, goConfig)) {
            expected = observe(go.port(), admin, adminJwt, user, userJwt, aJwt, forged);
        }
        ServerOptions options = new ServerOptions();
        assertEquals(List.of(), ConfigFiles.load(Files.writeString(dir.resolve("ours.conf"), ourConfig), options, true));
        try (NatsServer ours = NatsServer.start(options)) {
            assertEquals(expected, observe(ours.port(), admin, adminJwt, user, userJwt, aJwt, forged));
        }
        assertTrue(Files.exists(ourDir.resolve(a.publicKey() + ".jwt")), "kept as <account>.jwt like Go's store");
        ServerOptions again = new ServerOptions();
        ConfigFiles.load(dir.resolve("ours.conf"), again, true);
        try (NatsServer restarted = NatsServer.start(again)) {
            assertEquals("PONG", RawNats.connectWithJwt(restarted.port(), user, userJwt, true), "the pushed account survives a restart");
        }
    }

    @Test
    void claimsAreListedAndDeletedAsGoDoes(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server not installed");
        NKeyPair operator = JwtFactory.operatorKey();
        NKeyPair sys = JwtFactory.accountKey();
        NKeyPair a = JwtFactory.accountKey();
        NKeyPair admin = JwtFactory.userKey();
        NKeyPair user = JwtFactory.userKey();
        Path opFile = Files.writeString(dir.resolve("op.jwt"), JwtFactory.operator(operator, sys.publicKey()));
        String sysJwt = JwtFactory.account(operator, sys, "SYS", "");
        String aJwt = JwtFactory.account(operator, a, "A", "");
        String template = """
                host: 127.0.0.1
                port: %%d
                operator: %s
                system_account: %s
                resolver: { type: full, dir: "%s", allow_delete: true }
                resolver_preload: { %s: %s }
                """;
        String goConfig = template.formatted(opFile, sys.publicKey(), Files.createDirectories(dir.resolve("go-del")),
                sys.publicKey(), sysJwt);
        String ourConfig = template.formatted(opFile, sys.publicKey(), Files.createDirectories(dir.resolve("our-del")),
                sys.publicKey(), sysJwt).formatted(-1);
        String deleteA = JwtFactory.sign(operator, operator.publicKey(), "delete",
                "{\"accounts\":[\"" + a.publicKey() + "\"],\"type\":\"generic\",\"version\":2}", 0);
        String deleteByAccount = JwtFactory.sign(a, a.publicKey(), "delete",
                "{\"accounts\":[\"" + a.publicKey() + "\"],\"type\":\"generic\",\"version\":2}", 0);
        String deleteSys = JwtFactory.sign(operator, operator.publicKey(), "delete",
                "{\"accounts\":[\"" + sys.publicKey() + "\"],\"type\":\"generic\",\"version\":2}", 0);
        String adminJwt = JwtFactory.user(sys, admin, "", 0);
        String userJwt = JwtFactory.user(a, user, "", 0);
        Deletion scenario = port -> {
            List<String> log = new ArrayList<>();
            try (Connection sysConn = Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + port)
                    .authHandler(Nats.staticCredentials(adminJwt.toCharArray(), admin.seed().toCharArray()))
                    .maxReconnects(0).build())) {
                log.add("push: " + summary(sysConn.request("$SYS.REQ.CLAIMS.UPDATE", aJwt.getBytes(), WAIT)));
                log.add("list: " + listed(sysConn.request("$SYS.REQ.CLAIMS.LIST", new byte[0], WAIT), sys, a));
                try (java.net.Socket held = RawNats.openWithJwt(port, user, userJwt, true, 3000)) {
                    java.io.InputStream in = held.getInputStream();
                    log.add("held client: " + RawNats.readLine(in));
                    log.add("by account: " + text(sysConn.request("$SYS.REQ.CLAIMS.DELETE", deleteByAccount.getBytes(), WAIT)));
                    log.add("system: " + text(sysConn.request("$SYS.REQ.CLAIMS.DELETE", deleteSys.getBytes(), WAIT)));
                    log.add("delete: " + text(sysConn.request("$SYS.REQ.CLAIMS.DELETE", deleteA.getBytes(), WAIT)));
                    log.add("held client then: " + RawNats.readLine(in));
                }
                log.add("list: " + listed(sysConn.request("$SYS.REQ.CLAIMS.LIST", new byte[0], WAIT), sys, a));
            }
            log.add("new client: " + RawNats.connectWithJwt(port, user, userJwt, true));
            return log;
        };
        List<String> expected;
        try (GoServer go = GoServer.start(dir, goConfig)) {
            expected = scenario.run(go.port());
        }
        ServerOptions options = new ServerOptions();
        assertEquals(List.of(), ConfigFiles.load(Files.writeString(dir.resolve("ours-del.conf"), ourConfig), options, true));
        try (NatsServer ours = NatsServer.start(options)) {
            assertEquals(expected, scenario.run(ours.port()));
        }
    }

    private interface Deletion {
        List<String> run(int port) throws Exception;
    }

    /** The accounts a LIST answer names, as SYS and A, in its order. */
    private static String listed(Message m, NKeyPair sys, NKeyPair a) {
        if (m == null) {
            return "no answer";
        }
        java.util.Map<String, Object> doc = nats.transport.json.Json.parseObject(
                new String(m.getData(), StandardCharsets.UTF_8));
        Object data = doc.get("data");
        if (!(data instanceof List<?> keys)) {
            return "no list";
        }
        return keys.stream().map(k -> k.equals(sys.publicKey()) ? "SYS" : k.equals(a.publicKey()) ? "A" : "?")
                .sorted().toList().toString();
    }

    /** The answer's data or error object, without the server info. */
    private static String text(Message m) {
        if (m == null) {
            return "no answer";
        }
        java.util.Map<String, Object> doc = nats.transport.json.Json.parseObject(
                new String(m.getData(), StandardCharsets.UTF_8));
        return doc.containsKey("data") ? "data " + doc.get("data") : "error " + doc.get("error");
    }

    private static List<String> observe(int port, NKeyPair admin, String adminJwt, NKeyPair user, String userJwt,
                                        String accountJwt, String forged) throws Exception {
        List<String> log = new ArrayList<>();
        log.add("before push: " + RawNats.connectWithJwt(port, user, userJwt, true));
        try (Connection sys = Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + port)
                .authHandler(Nats.staticCredentials(adminJwt.toCharArray(), admin.seed().toCharArray()))
                .maxReconnects(0).build())) {
            log.add("forged: " + summary(sys.request("$SYS.REQ.CLAIMS.UPDATE", forged.getBytes(), WAIT)));
            log.add("push: " + summary(sys.request("$SYS.REQ.CLAIMS.UPDATE", accountJwt.getBytes(), WAIT)));
        }
        log.add("after push: " + RawNats.connectWithJwt(port, user, userJwt, true));
        return log;
    }

    private static String summary(Message m) {
        if (m == null) {
            return "no answer";
        }
        String body = new String(m.getData(), StandardCharsets.UTF_8);
        return (body.contains("\"data\"") ? "data" : "") + (body.contains("\"error\"") ? "error" : "")
                + (body.contains("\"code\":200") ? " 200" : "") + (body.contains("\"code\":500") ? " 500" : "")
                + (body.contains("jwt updated") ? " updated" : "");
    }


}
