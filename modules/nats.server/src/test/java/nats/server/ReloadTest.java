package nats.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import nats.server.options.ServerOptions;
import nats.server.options.ServerStartException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Configuration reload: credentials, permissions and imports change under connected jnats clients. */
@Timeout(60)
class ReloadTest {

    private static final Duration WAIT = Duration.ofSeconds(2);

    private static ServerOptions load(Path conf) throws Exception {
        ServerOptions o = new ServerOptions();
        ConfigFiles.load(conf, o, true);
        return o;
    }

    private static Connection connect(int port, String user, List<String> errors) throws Exception {
        return Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + port).userInfo(user, user)
                .maxReconnects(0).connectionTimeout(WAIT)
                .errorListener(new io.nats.client.ErrorListener() {
                    @Override
                    public void errorOccurred(Connection conn, String error) {
                        errors.add(error);
                    }
                }).build());
    }

    @Test
    void reloadDropsRemovedUsersAndAppliesNewPermissionsToTheOthers(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("auth.conf");
        Files.writeString(conf, """
                host: 127.0.0.1
                port: -1
                authorization { users = [ {user: alice, password: alice}, {user: bob, password: bob} ] }
                """);
        try (NatsServer server = NatsServer.start(load(conf))) {
            int port = server.port();
            List<String> aliceErrors = new CopyOnWriteArrayList<>();
            Connection alice = connect(port, "alice", aliceErrors);
            Connection bob = connect(port, "bob", new CopyOnWriteArrayList<>());
            Subscription foo = alice.subscribe("foo");
            Subscription bar = alice.subscribe("bar");
            alice.flush(WAIT);

            Files.writeString(conf, """
                    host: 127.0.0.1
                    port: -1
                    authorization { users = [
                      {user: alice, password: alice, permissions: {subscribe: "bar", publish: "bar"}}
                      {user: carol, password: carol}
                    ] }
                    """);
            server.reload(load(conf));

            awaitStatus(bob, Connection.Status.CLOSED);
            assertEquals(Connection.Status.CONNECTED, alice.getStatus(), "alice's credentials still hold");
            awaitTrue(() -> aliceErrors.stream().anyMatch(e -> e.contains("Permissions Violation for Subscription to \"foo\"")),
                    "alice hears her foo subscription was removed: " + aliceErrors);
            alice.publish("bar", "kept".getBytes());
            alice.publish("foo", "denied".getBytes());
            alice.flush(WAIT);
            Message m = bar.nextMessage(WAIT);
            assertNotNull(m, "the still-permitted subscription keeps receiving");
            assertNull(foo.nextMessage(Duration.ofMillis(300)), "the removed subscription gets nothing");
            try (Connection carol = connect(port, "carol", new CopyOnWriteArrayList<>())) {
                carol.flush(WAIT);
            }
            assertThrows(Exception.class, () -> connect(port, "bob", new CopyOnWriteArrayList<>()),
                    "bob was removed");
            alice.close();
        }
    }

    @Test
    void optionsThatCannotChangeAreRefusedAndTheOldConfigurationStays(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("plain.conf");
        Files.writeString(conf, "host: 127.0.0.1\nport: -1\nauthorization { token: s3cret }\n");
        try (NatsServer server = NatsServer.start(load(conf))) {
            Files.writeString(conf, "host: 127.0.0.1\nport: 4999\nauthorization { token: other }\n");
            ServerStartException e = assertThrows(ServerStartException.class, () -> server.reload(load(conf)));
            assertEquals("config reload not supported for Port: old=-1, new=4999", e.getMessage());
            try (Connection nc = Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + server.port())
                    .token("s3cret".toCharArray()).maxReconnects(0).build())) {
                nc.flush(WAIT);
            }
        }
    }

    @Test
    void reloadWiresNewStreamImportsToExistingSubscriptions(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("accounts.conf");
        String base = """
                host: 127.0.0.1
                port: -1
                accounts {
                  A: { users: [{user: a, password: a}], exports: [{stream: "events.>"}] }
                  B: { users: [{user: b, password: b}] %s }
                }
                """;
        Files.writeString(conf, base.formatted(""));
        try (NatsServer server = NatsServer.start(load(conf))) {
            Connection a = connect(server.port(), "a", new CopyOnWriteArrayList<>());
            Connection b = connect(server.port(), "b", new CopyOnWriteArrayList<>());
            Subscription sub = b.subscribe("events.>");
            b.flush(WAIT);
            a.publish("events.one", "before".getBytes());
            a.flush(WAIT);
            assertNull(sub.nextMessage(Duration.ofMillis(300)), "no import yet: accounts are isolated");

            Files.writeString(conf, base.formatted(", imports: [{stream: {account: A, subject: \"events.>\"}}]"));
            server.reload(load(conf));
            a.publish("events.two", "after".getBytes());
            a.flush(WAIT);
            Message m = sub.nextMessage(WAIT);
            assertNotNull(m, "the existing subscription receives through the new import");
            assertEquals("events.two", m.getSubject());
            assertEquals(Connection.Status.CONNECTED, b.getStatus());
            a.close();
            b.close();
        }
    }

    @Test
    void operatorModeReloadAppliesChangedPreloadedAccounts(@TempDir Path dir) throws Exception {
        var operator = nats.server.testing.JwtFactory.operatorKey();
        var sys = nats.server.testing.JwtFactory.accountKey();
        var account = nats.server.testing.JwtFactory.accountKey();
        var user = nats.server.testing.JwtFactory.userKey();
        Path op = Files.writeString(dir.resolve("op.jwt"), nats.server.testing.JwtFactory.operator(operator, sys.publicKey()));
        String before = nats.server.testing.JwtFactory.account(operator, account, "A", "");
        String revoking = nats.server.testing.JwtFactory.account(operator, account, "A",
                "\"revocations\":{\"" + user.publicKey() + "\":" + (java.time.Instant.now().getEpochSecond() + 5) + "}");
        String template = "host: 127.0.0.1\nport: -1\noperator: " + op + "\nresolver: MEMORY\n"
                + "resolver_preload: { " + account.publicKey() + ": %s }\n";
        Path conf = dir.resolve("op.conf");
        Files.writeString(conf, template.formatted(before));
        try (NatsServer server = NatsServer.start(load(conf))) {
            String jwt = nats.server.testing.JwtFactory.user(account, user, "", 0);
            Connection nc = Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + server.port())
                    .authHandler(Nats.staticCredentials(jwt.toCharArray(), user.seed().toCharArray()))
                    .maxReconnects(0).build());
            nc.flush(WAIT);
            Files.writeString(conf, template.formatted(revoking));
            server.reload(load(conf));
            awaitStatus(nc, Connection.Status.CLOSED);
        }
    }

    private static void awaitStatus(Connection nc, Connection.Status status) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (nc.getStatus() != status && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(status, nc.getStatus());
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String message)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(condition.getAsBoolean(), message);
    }
}
