package nats.leafnode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Subscription;
import nats.leafnode.testing.Leafz;
import nats.leafnode.testing.Messaging;
import nats.leafnode.testing.Nkeys;
import nats.leafnode.testing.Ours;
import nats.testing.GoServer;
import nats.testing.Ports;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub without a leafnode {@code authorization} block authenticates leaf nodes as Go does, with the server's
 * own users: the user's account binds the connection and its permissions travel to the leaf in the INFO
 * ({@code import}/{@code export}), where the leaf enforces them; in operator mode, a {@code .creds} file.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ServerAuthTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String ACCOUNTS = "accounts { A { users: [{user: leaf, password: pw, permissions: "
            + "{publish: [\"up.>\"], subscribe: [\"down.>\"]}}, {user: a, password: a}] } }";

    @TempDir
    Path dir;

    @Test
    void ourLeafOnOurHubWithServerUsers() throws Exception {
        try (Ours hub = Ours.start(dir, "HUB", ACCOUNTS + "\nleafnodes { listen: \"127.0.0.1:%LEAF%\" }");
             Ours leaf = Ours.start(dir, "LEAF", "leafnodes { remotes: [{url: \"" + hub.leafUrl("leaf:pw") + "\"}] }")) {
            Leafz.await(WAIT, 1, hub.httpPort, leaf.httpPort);
            assertEquals("A", Leafz.leafs(hub.httpPort, "").getFirst().get("account"), "bound to the user's account");
            permissionsHold("nats://a:a@127.0.0.1:" + hub.port, leaf.clientUrl(), hub.httpPort);
        }
    }

    @Test
    void goLeafOnOurHubWithServerUsers() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        int goHttp = Ports.free();
        try (Ours hub = Ours.start(dir, "HUB", ACCOUNTS + "\nleafnodes { listen: \"127.0.0.1:%LEAF%\" }");
             GoServer go = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\nhttp: 127.0.0.1:" + goHttp
                     + "\nleafnodes { remotes: [{url: \"" + hub.leafUrl("leaf:pw") + "\"}] }\n")) {
            Leafz.await(WAIT, 1, hub.httpPort, goHttp);
            permissionsHold("nats://a:a@127.0.0.1:" + hub.port, "nats://127.0.0.1:" + go.port(), hub.httpPort);
        }
    }

    /**
     * Go's processClientOrLeafAuthentication: a leaf presenting no credentials is not refused by the server's users
     * but bound to the global account; one with a wrong password is refused. Go's hub and ours, the same.
     */
    @Test
    void aLeafWithoutCredentialsIsBoundToTheGlobalAccountAsByGo() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        int goHttp = Ports.free();
        int goLeaf = Ports.free();
        try (GoServer go = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\nhttp: 127.0.0.1:" + goHttp + "\n"
                + ACCOUNTS + "\nleafnodes { listen: 127.0.0.1:" + goLeaf + " }\n");
             Ours hub = Ours.start(dir, "HUB", ACCOUNTS + "\nleafnodes { listen: \"127.0.0.1:%LEAF%\" }");
             Ours toGo = Ours.start(dir, "L1", "leafnodes { remotes: [{url: \"nats-leaf://127.0.0.1:" + goLeaf
                     + "\"}] }");
             Ours toOurs = Ours.start(dir, "L2", "leafnodes { remotes: [{url: \"" + hub.leafUrl("") + "\"}] }");
             Ours wrong = Ours.start(dir, "L3", "leafnodes { remotes: [{url: \"" + hub.leafUrl("leaf:bad") + "\"}] }")) {
            Leafz.await(WAIT, 1, goHttp, hub.httpPort);
            assertEquals("$G", Leafz.leafs(goHttp, "").getFirst().get("account"), "Go binds it to $G");
            assertEquals("$G", Leafz.leafs(hub.httpPort, "").getFirst().get("account"), "so do we");
            Thread.sleep(500);
            assertEquals(1, Leafz.count(hub.httpPort), "the leaf with a wrong password stays out");
        }
    }

    @Test
    void ourLeafOnAGoHubWithServerUsers() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        int goHttp = Ports.free();
        int goLeaf = Ports.free();
        try (GoServer go = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\nhttp: 127.0.0.1:" + goHttp + "\n"
                + ACCOUNTS + "\nleafnodes { listen: 127.0.0.1:" + goLeaf + " }\n");
             Ours leaf = Ours.start(dir, "LEAF", "leafnodes { remotes: [{url: \"nats-leaf://leaf:pw@127.0.0.1:"
                     + goLeaf + "\"}] }")) {
            Leafz.await(WAIT, 1, goHttp, leaf.httpPort);
            permissionsHold("nats://a:a@127.0.0.1:" + go.port(), leaf.clientUrl(), goHttp);
        }
    }

    @Test
    void ourHubInOperatorModeTakesCreds() throws Exception {
        Nkeys.Key operator = Nkeys.create(Nkeys.OPERATOR);
        Nkeys.Key account = Nkeys.create(Nkeys.ACCOUNT);
        Nkeys.Key user = Nkeys.create(Nkeys.USER);
        String operatorJwt = Nkeys.jwt(operator, operator.publicKey(), "O", "{\"type\":\"operator\",\"version\":2}");
        String accountJwt = Nkeys.jwt(operator, account.publicKey(), "A", "{\"limits\":{\"subs\":-1,\"data\":-1,"
                + "\"payload\":-1,\"imports\":-1,\"exports\":-1,\"wildcards\":true,\"conn\":-1,\"leaf\":-1},"
                + "\"type\":\"account\",\"version\":2}");
        Path creds = Files.writeString(dir.resolve("leaf.creds"), Nkeys.creds(Nkeys.jwt(account, user.publicKey(),
                "leaf", "{\"pub\":{},\"sub\":{},\"subs\":-1,\"data\":-1,\"payload\":-1,\"type\":\"user\",\"version\":2}"),
                user));
        try (Ours hub = Ours.start(dir, "HUB", "operator: " + operatorJwt + "\nresolver: MEMORY\nresolver_preload: { "
                + account.publicKey() + ": " + accountJwt + " }\nleafnodes { listen: \"127.0.0.1:%LEAF%\" }");
             Ours leaf = Ours.start(dir, "LEAF", "leafnodes { remotes: [{url: \"" + hub.leafUrl("")
                     + "\", credentials: \"" + creds + "\"}] }")) {
            Leafz.await(WAIT, 1, hub.httpPort, leaf.httpPort);
            assertEquals(account.publicKey(), Leafz.leafs(hub.httpPort, "").getFirst().get("account"),
                    "the creds' account binds the leaf");
        }
    }

    /** down.> reaches the leaf, other.> does not; up.> leaves the leaf, nope.> does not; the link stays up. */
    private static void permissionsHold(String hubUrl, String leafUrl, int hubHttp) throws Exception {
        try (Connection onHub = Messaging.connect(hubUrl); Connection onLeaf = Messaging.connect(leafUrl)) {
            Subscription down = onLeaf.subscribe("down.>");
            Subscription other = onLeaf.subscribe("other.>");
            onLeaf.flush(WAIT);
            Messaging.awaitInterest(onHub, "down.probe", down);
            onHub.publish("other.x", "no".getBytes(StandardCharsets.UTF_8));
            onHub.flush(WAIT);
            assertNull(other.nextMessage(Duration.ofMillis(400)), "the user may not subscribe to other.>");
            Subscription hubAll = onHub.subscribe(">");
            onHub.flush(WAIT);
            Messaging.awaitInterest(onLeaf, "up.probe", hubAll);
            onLeaf.publish("nope.x", "no".getBytes(StandardCharsets.UTF_8));
            onLeaf.publish("up.x", "yes".getBytes(StandardCharsets.UTF_8));
            onLeaf.flush(WAIT);
            assertEquals("up.x", hubAll.nextMessage(WAIT).getSubject(), "only what the user may publish left the leaf");
            assertEquals(1, Leafz.count(hubHttp), "the leaf connection stayed up");
        }
    }
}
