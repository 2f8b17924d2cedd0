package nats.leafnode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import nats.leafnode.testing.Leafz;
import nats.leafnode.testing.Ours;
import nats.testing.GoServer;
import nats.testing.Ports;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reloading the {@code leafnodes} block as Go 2.9.10 allows it (reload.go, {@code LeafNode}): each change is made
 * to a Go server and to ours, and both accept or both refuse it; a TLS block added by a reload is used by the
 * next leaf connection while the one made before stays up.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LeafReloadTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private static String file(String name) throws Exception {
        return Path.of(LeafReloadTest.class.getResource("/tls/" + name).toURI()).toString();
    }

    /** A change, and whether Go accepts it. */
    private record Change(String what, String before, String after) {
    }

    @Test
    void theSameChangesAreAcceptedAndRefusedAsByGo() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        String hubA = "nats-leaf://127.0.0.1:" + Ports.free();
        String hubB = "nats-leaf://u:p@127.0.0.1:" + Ports.free();
        String two = "remotes: [{url: \"" + hubA + "\"}, {url: \"" + hubB + "\", account: A}]";
        String accounts = "accounts { A {} }\n";
        String users = "authorization { users: [{user: x, password: x}, {user: y, password: y, account: A}] }";
        String usersSwapped = "authorization { users: [{user: y, password: y, account: A}, {user: x, password: x}] }";
        String tls = "tls { cert_file: \"" + file("route-cert.pem") + "\", key_file: \"" + file("route-key.pem") + "\" }";
        String timeout = "authorization { timeout: 3 }";
        List<Change> changes = List.of(
                new Change("remotes in another order", two,
                        "remotes: [{url: \"" + hubB + "\", account: A}, {url: \"" + hubA + "\"}]"),
                new Change("deny_imports of a remote", two,
                        "remotes: [{url: \"" + hubA + "\", deny_imports: [\"x.>\"]}, {url: \"" + hubB + "\", account: A}]"),
                new Change("a remote's URL", two,
                        "remotes: [{url: \"" + hubA + "\"}, {url: \"" + hubB.replace("u:p", "u:q") + "\", account: A}]"),
                new Change("a remote less", two, "remotes: [{url: \"" + hubA + "\"}]"),
                new Change("reconnect", two + "\nreconnect: 1", two + "\nreconnect: 3"),
                new Change("users in another order", "listen: \"127.0.0.1:%LEAF%\"\n" + users,
                        "listen: \"127.0.0.1:%LEAF%\"\n" + usersSwapped),
                new Change("a user's password", "listen: \"127.0.0.1:%LEAF%\"\n" + users,
                        "listen: \"127.0.0.1:%LEAF%\"\n" + users.replace("password: x", "password: z")),
                // Go derives the auth timeout from the TLS timeout when none is set: adding TLS changes it
                new Change("the listener's TLS", "listen: \"127.0.0.1:%LEAF%\"", "listen: \"127.0.0.1:%LEAF%\"\n" + tls),
                new Change("the listener's TLS, auth timeout set", "listen: \"127.0.0.1:%LEAF%\"\n" + timeout,
                        "listen: \"127.0.0.1:%LEAF%\"\n" + timeout + "\n" + tls),
                new Change("a websocket remote's ws_compression", "remotes: [{url: \"ws://127.0.0.1:1\"}]",
                        "remotes: [{url: \"ws://127.0.0.1:1\", ws_compression: true}]"),
                new Change("the listener's TLS timeout", "listen: \"127.0.0.1:%LEAF%\"\n" + timeout + "\n" + tls,
                        "listen: \"127.0.0.1:%LEAF%\"\n" + timeout + "\n" + tls.replace(" }", ", timeout: 0.5 }")));
        StringBuilder decided = new StringBuilder();
        for (Change c : changes) {
            boolean go = goAccepts(accounts, c);
            try (Ours ours = Ours.start(dir, "R" + Math.abs(c.what().hashCode()), accounts + "leafnodes {\n"
                    + c.before() + "\n}")) {
                boolean accepted;
                try {
                    ours.reload(accounts + "leafnodes {\n" + c.after() + "\n}");
                    accepted = true;
                } catch (Exception e) {
                    assertTrue(String.valueOf(e.getMessage()).contains("config reload not supported for LeafNode: old="),
                            c.what() + ": Go's text, not " + e.getMessage());
                    assertTrue(!e.getMessage().contains("u:p@"), c.what() + ": no password in the text");
                    accepted = false;
                }
                assertEquals(go, accepted, c.what() + ": accepted by Go = " + go);
                decided.append(c.what()).append(accepted ? " accepted; " : " refused; ");
            }
        }
        // What Go 2.9.10 decided (and so did ours), spelled out so a change of either shows here.
        assertEquals("remotes in another order accepted; deny_imports of a remote accepted; a remote's URL refused; "
                + "a remote less refused; reconnect refused; users in another order accepted; a user's password "
                + "refused; the listener's TLS refused; the listener's TLS, auth timeout set accepted; a websocket "
                + "remote's ws_compression refused; the listener's TLS timeout refused; ", decided.toString(),
                "what was accepted");
    }

    private boolean goAccepts(String accounts, Change c) throws Exception {
        int leafPort = Ports.free();
        try (GoServer go = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\n" + accounts + "leafnodes {\n"
                + c.before().replace("%LEAF%", Integer.toString(leafPort)) + "\n}\n")) {
            String after = "listen: 127.0.0.1:%d\n" + accounts.replace("%", "%%") + "leafnodes {\n"
                    + c.after().replace("%LEAF%", Integer.toString(leafPort)).replace("%", "%%") + "\n}\n";
            try {
                go.reload(after);
                return true;
            } catch (java.io.IOException e) {
                assertTrue(go.log().contains("config reload not supported for LeafNode"), c.what()
                        + ": Go refused it for the leafnodes block: " + go.log());
                return false;
            }
        }
    }

    @Test
    void tlsAddedByAReloadServesTheNextLeafAndTheFirstStays() throws Exception {
        String tls = "tls { cert_file: \"" + file("route-cert.pem") + "\", key_file: \"" + file("route-key.pem") + "\" }";
        String timeout = "authorization { timeout: 3 }\n";
        try (Ours hub = Ours.start(dir, "HUB", "leafnodes { listen: \"127.0.0.1:%LEAF%\"\n" + timeout + " }");
             Ours plain = Ours.start(dir, "PLAIN", "leafnodes { remotes: [{url: \"" + hub.leafUrl("") + "\"}] }")) {
            Leafz.await(WAIT, 1, hub.httpPort, plain.httpPort);
            hub.reload("leafnodes { listen: \"127.0.0.1:%LEAF%\"\n" + timeout + tls + " }");
            try (Ours secure = Ours.start(dir, "SECURE", "leafnodes { remotes: [{url: \"" + hub.leafUrl("")
                    + "\", tls: { ca_file: \"" + file("ca.pem") + "\" }}] }")) {
                Leafz.await(WAIT, 1, secure.httpPort);
                Leafz.await(WAIT, 2, hub.httpPort);
                assertEquals(1, Leafz.count(plain.httpPort), "the leaf connected before the reload is still up");
                assertThrows(Exception.class, () -> hub.reload("leafnodes { listen: \"127.0.0.1:%LEAF%\"\n"
                        + timeout + "reconnect: 5\n" + tls + " }"), "a change Go refuses");
            }
        }
    }
}
