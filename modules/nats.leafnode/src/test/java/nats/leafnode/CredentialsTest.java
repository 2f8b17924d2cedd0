package nats.leafnode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
 * Our leaf authenticates to a Go 2.9.10 hub in operator mode with a {@code .creds} file: the user JWT and the
 * nonce signed with the user's nkey seed; the hub binds the connection to the user's account.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CredentialsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String ACCOUNT_CLAIMS = "{\"limits\":{\"subs\":-1,\"data\":-1,\"payload\":-1,\"imports\":-1,"
            + "\"exports\":-1,\"wildcards\":true,\"conn\":-1,\"leaf\":-1},\"type\":\"account\",\"version\":2}";
    private static final String USER_CLAIMS = "{\"pub\":{},\"sub\":{},\"subs\":-1,\"data\":-1,\"payload\":-1,"
            + "\"type\":\"user\",\"version\":2}";

    @TempDir
    Path dir;

    @Test
    void ourLeafSignsTheGoHubsNonceWithItsCreds() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        Nkeys.Key operator = Nkeys.create(Nkeys.OPERATOR);
        Nkeys.Key account = Nkeys.create(Nkeys.ACCOUNT);
        Nkeys.Key user = Nkeys.create(Nkeys.USER);
        Nkeys.Key client = Nkeys.create(Nkeys.USER);
        String operatorJwt = Nkeys.jwt(operator, operator.publicKey(), "O", "{\"type\":\"operator\",\"version\":2}");
        String accountJwt = Nkeys.jwt(operator, account.publicKey(), "A", ACCOUNT_CLAIMS);
        Path creds = Files.writeString(dir.resolve("leaf.creds"),
                Nkeys.creds(Nkeys.jwt(account, user.publicKey(), "leaf", USER_CLAIMS), user));
        Path clientCreds = Files.writeString(dir.resolve("client.creds"),
                Nkeys.creds(Nkeys.jwt(account, client.publicKey(), "client", USER_CLAIMS), client));
        int leafPort = Ports.free();
        int goHttp = Ports.free();
        try (GoServer hub = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\nhttp: 127.0.0.1:" + goHttp
                + "\noperator: " + operatorJwt + "\nresolver: MEMORY\nresolver_preload: { " + account.publicKey()
                + ": " + accountJwt + " }\nleafnodes { listen: 127.0.0.1:" + leafPort + " }\n");
             Ours leaf = Ours.start(dir, "LEAF", "leafnodes { remotes: [{url: \"nats-leaf://127.0.0.1:" + leafPort
                     + "\", credentials: \"" + creds + "\"}] }");
             Connection onHub = io.nats.client.Nats.connect(new io.nats.client.Options.Builder()
                     .server("nats://127.0.0.1:" + hub.port()).authHandler(io.nats.client.Nats.credentials(
                             clientCreds.toString())).build());
             Connection onLeaf = Messaging.connect(leaf.clientUrl())) {
            Leafz.await(WAIT, 1, goHttp, leaf.httpPort);
            assertEquals(account.publicKey(), Leafz.leafs(goHttp, "").getFirst().get("account"),
                    "the hub bound the leaf to the user's account");
            Subscription sub = onLeaf.subscribe("creds.ok");
            onLeaf.flush(WAIT);
            Messaging.awaitInterest(onHub, "creds.ok", sub);
            Messaging.assertFlow(onHub, "creds.ok", sub, 20);
            assertFalse(hub.log().contains("[ERR]"), "the Go hub logged no error: " + hub.log());
        }
    }

    @Test
    void aUserOfAnUnknownAccountIsRefused() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        Nkeys.Key operator = Nkeys.create(Nkeys.OPERATOR);
        Nkeys.Key account = Nkeys.create(Nkeys.ACCOUNT);
        Nkeys.Key stranger = Nkeys.create(Nkeys.ACCOUNT);
        Nkeys.Key user = Nkeys.create(Nkeys.USER);
        String operatorJwt = Nkeys.jwt(operator, operator.publicKey(), "O", "{\"type\":\"operator\",\"version\":2}");
        String accountJwt = Nkeys.jwt(operator, account.publicKey(), "A", ACCOUNT_CLAIMS);
        Path creds = Files.writeString(dir.resolve("bad.creds"),
                Nkeys.creds(Nkeys.jwt(stranger, user.publicKey(), "leaf", USER_CLAIMS), user));
        int leafPort = Ports.free();
        int goHttp = Ports.free();
        try (GoServer hub = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\nhttp: 127.0.0.1:" + goHttp
                + "\noperator: " + operatorJwt + "\nresolver: MEMORY\nresolver_preload: { " + account.publicKey()
                + ": " + accountJwt + " }\nleafnodes { listen: 127.0.0.1:" + leafPort + " }\n");
             Ours leaf = Ours.start(dir, "LEAF", "leafnodes { remotes: [{url: \"nats-leaf://127.0.0.1:" + leafPort
                     + "\", credentials: \"" + creds + "\"}] }")) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!hub.log().contains("authentication error") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(0, Leafz.count(goHttp), "no leaf connection with a user of an unknown account");
            org.junit.jupiter.api.Assertions.assertTrue(hub.log().contains("authentication error"),
                    "the hub refused the leaf: " + hub.log());
        }
    }
}
