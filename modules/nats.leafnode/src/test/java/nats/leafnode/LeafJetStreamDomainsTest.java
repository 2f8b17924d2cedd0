package nats.leafnode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import nats.leafnode.testing.Leafz;
import nats.leafnode.testing.Messaging;
import nats.leafnode.testing.Ours;
import nats.testing.GoServer;
import nats.testing.Ports;
import nats.testing.RawClient;
import nats.transport.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two JetStream domains joined by a leaf connection, the hub {@code HUB} and the leaf {@code SPOKE}, as Go 2.9.10's
 * addLeafNodeConnection keeps them apart: a domain-less {@code $JS.API} request is answered by its own side's
 * JetStream only, {@code $JS.<domain>.API} reaches the named domain across the connection, and nothing answers
 * twice. Go hub with Go leaf (the oracle), ours with ours, and the two mixed both ways; Go's notices for the
 * decision are logged by both, and both send {@code domain} in the leaf INFO and CONNECT.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LeafJetStreamDomainsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** How long extra answers are waited for once the first came. */
    private static final Duration QUIET = Duration.ofMillis(300);

    @TempDir
    Path dir;

    private final List<String> ourLog = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        private final SimpleFormatter format = new SimpleFormatter();

        @Override
        public void publish(LogRecord r) {
            ourLog.add(format.formatMessage(r));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        Logger.getLogger("").removeHandler(capture);
    }

    private String goJs(String domain, String name) throws Exception {
        return DomainConfigs.jetStream(dir, domain, name);
    }

    @Test
    void goHubAndGoLeaf() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        int hubLeaf = Ports.free();
        int hubHttp = Ports.free();
        int leafHttp = Ports.free();
        String hubJs = goJs("HUB", "go-hub");
        String leafJs = goJs("SPOKE", "go-leaf");
        try (GoServer hub = GoServer.start(dir, p -> DomainConfigs.goHub(p, hubHttp, hubJs, hubLeaf));
             GoServer leaf = GoServer.start(dir, p -> DomainConfigs.goLeaf(p, leafHttp, leafJs,
                     "nats-leaf://127.0.0.1:" + hubLeaf))) {
            Leafz.await(WAIT, 1, hubHttp, leafHttp);
            requestsReachTheirDomain("nats://127.0.0.1:" + hub.port(), "nats://127.0.0.1:" + leaf.port());
            assertTrue(hub.log().contains(GUARD_HUB), "the oracle's hub notice:\n" + hub.log());
            assertTrue(leaf.log().contains(GUARD_SPOKE), "the oracle's leaf notice:\n" + leaf.log());
            assertTrue(hub.log().contains(NOT_EXTENDED), "the oracle's deny notice");
            assertEquals("HUB jetstream=true", infoDomain(hubLeaf), "Go's leaf INFO names the domain");
        }
    }

    @Test
    void ourHubAndOurLeaf() throws Exception {
        try (Ours hub = Ours.start(dir, "HUB", goJs("HUB", "our-hub") + "leafnodes { listen: \"127.0.0.1:%LEAF%\" }");
             Ours leaf = Ours.start(dir, "LEAF", goJs("SPOKE", "our-leaf") + "leafnodes { remotes: [{url: \""
                     + hub.leafUrl("") + "\"}] }")) {
            Leafz.await(WAIT, 1, hub.httpPort, leaf.httpPort);
            requestsReachTheirDomain(hub.clientUrl(), leaf.clientUrl());
            assertTrue(ourLog.stream().anyMatch(l -> l.endsWith(GUARD_HUB)), "our hub's notice: " + ourLog);
            assertTrue(ourLog.stream().anyMatch(l -> l.endsWith(GUARD_SPOKE)), "our leaf's notice: " + ourLog);
            assertTrue(ourLog.stream().anyMatch(l -> l.endsWith(NOT_EXTENDED)), "the deny notice: " + ourLog);
            assertEquals("HUB jetstream=true", infoDomain(hub.leafPort), "our leaf INFO names the domain");
        }
    }

    @Test
    void ourLeafOnAGoHub() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        int hubLeaf = Ports.free();
        int hubHttp = Ports.free();
        String hubJs = goJs("HUB", "go-hub");
        try (GoServer hub = GoServer.start(dir, p -> DomainConfigs.goHub(p, hubHttp, hubJs, hubLeaf));
             Ours leaf = Ours.start(dir, "LEAF", goJs("SPOKE", "our-leaf") + "leafnodes { remotes: [{url: "
                     + "\"nats-leaf://127.0.0.1:" + hubLeaf + "\"}] }")) {
            Leafz.await(WAIT, 1, hubHttp, leaf.httpPort);
            requestsReachTheirDomain("nats://127.0.0.1:" + hub.port(), leaf.clientUrl());
            // The Go hub learned our domain from our CONNECT: it guards its own domain, as against a Go leaf.
            assertTrue(hub.log().contains(GUARD_HUB), "the Go hub's notice:\n" + hub.log());
            assertTrue(ourLog.stream().anyMatch(l -> l.endsWith(GUARD_SPOKE)), "our leaf's notice: " + ourLog);
        }
    }

    @Test
    void aGoLeafOnOurHub() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        int leafHttp = Ports.free();
        String leafJs = goJs("SPOKE", "go-leaf");
        try (Ours hub = Ours.start(dir, "HUB", goJs("HUB", "our-hub") + "leafnodes { listen: \"127.0.0.1:%LEAF%\" }");
             GoServer leaf = GoServer.start(dir, p -> DomainConfigs.goLeaf(p, leafHttp, leafJs, hub.leafUrl("")))) {
            Leafz.await(WAIT, 1, hub.httpPort, leafHttp);
            requestsReachTheirDomain(hub.clientUrl(), "nats://127.0.0.1:" + leaf.port());
            // The Go leaf learned our domain from our INFO: it guards its own.
            assertTrue(leaf.log().contains(GUARD_SPOKE), "the Go leaf's notice:\n" + leaf.log());
            assertTrue(ourLog.stream().anyMatch(l -> l.endsWith(GUARD_HUB)), "our hub's notice: " + ourLog);
        }
    }

    /**
     * One domain on both sides: each side reads the other's {@code domain} (our CONNECT on a Go hub, our INFO on a
     * Go leaf) and, as Go, keeps only the domain-less API apart, without the guard of its own domain.
     */
    @Test
    void oneDomainIsRecognisedAcrossGoAndOurs() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        int hubLeaf = Ports.free();
        int hubHttp = Ports.free();
        int leafHttp = Ports.free();
        String goHubJs = goJs("D", "go-hub");
        String goLeafJs = goJs("D", "go-leaf");
        try (GoServer goHub = GoServer.start(dir, p -> DomainConfigs.goHub(p, hubHttp, goHubJs, hubLeaf));
             Ours ours = Ours.start(dir, "MID", goJs("D", "our-mid") + "leafnodes { listen: \"127.0.0.1:%LEAF%\"\n"
                     + "remotes: [{url: \"nats-leaf://127.0.0.1:" + hubLeaf + "\"}] }");
             GoServer goLeaf = GoServer.start(dir, p -> DomainConfigs.goLeaf(p, leafHttp, goLeafJs,
                     ours.leafUrl("")))) {
            Leafz.await(WAIT, 1, hubHttp, leafHttp);
            Leafz.await(WAIT, 2, ours.httpPort);
            assertTrue(goHub.log().contains(SAME_DOMAIN), "the Go hub saw our CONNECT's domain:\n" + goHub.log());
            assertTrue(goLeaf.log().contains(SAME_DOMAIN), "the Go leaf saw our INFO's domain:\n" + goLeaf.log());
            assertEquals(2, ourLog.stream().filter(l -> l.endsWith(SAME_DOMAIN)).count(),
                    "we saw both Go sides' domain: " + ourLog);
            assertTrue(ourLog.stream().noneMatch(l -> l.contains("for outgoing messages")), "no guard: " + ourLog);
            for (String url : List.of("nats://127.0.0.1:" + goHub.port(), ours.clientUrl(),
                    "nats://127.0.0.1:" + goLeaf.port())) {
                try (Connection c = Messaging.connect(url)) {
                    assertEquals(List.of("D"), answers(c, "$JS.API.INFO"), "one answer, its own, at " + url);
                    assertEquals(List.of("D"), answers(c, "$JS.D.API.INFO"), "one answer for the domain at " + url);
                }
            }
        }
    }

    /**
     * A leaf bound to an account without JetStream still gets the hub's domain mappings in that account, as Go's
     * addLeafNodeConnection adds them (and announces them), so a leaf client's request for the hub's domain crosses
     * and reaches the hub's JetStream API in that account, which stays silent there as Go's checkJetStream does for
     * an account without JetStream that has leaf connections.
     */
    @Test
    void anAccountWithoutJetStreamGetsTheDomainMappingsAsOnGo() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        String accounts = "accounts { A { jetstream: enabled, users: [{user: a, password: a}] }, "
                + "B { users: [{user: b, password: b}] } }\n";
        int hubLeaf = Ports.free();
        int hubHttp = Ports.free();
        String hubJs = goJs("HUB", "go-hub");
        try (GoServer hub = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\nhttp: 127.0.0.1:" + hubHttp
                + "\n" + hubJs + accounts + "leafnodes { listen: 127.0.0.1:" + hubLeaf
                + ", authorization { users: [{user: lb, password: lb, account: B}] } }\n");
             Ours leaf = Ours.start(dir, "LEAF1", "leafnodes { remotes: [{url: \"nats-leaf://lb:lb@127.0.0.1:"
                     + hubLeaf + "\"}] }")) {
            Leafz.await(WAIT, 1, hubHttp, leaf.httpPort);
            assertTrue(hub.log().contains("Adding JetStream Domain Mapping \"$JS.HUB.API.INFO\" -> $JS.API.INFO to "
                    + "account \"B\""), "the oracle maps in B:\n" + hub.log());
            assertEquals("silence", fate(leaf.clientUrl(), "$JS.HUB.API.INFO"), "Go's hub does not answer");
        }
        try (Ours hub = Ours.start(dir, "HUB", goJs("HUB", "our-hub") + accounts + "leafnodes { listen: "
                + "\"127.0.0.1:%LEAF%\", authorization { users: [{user: lb, password: lb, account: B}] } }");
             Ours leaf = Ours.start(dir, "LEAF2", "leafnodes { remotes: [{url: \"" + hub.leafUrl("lb:lb") + "\"}] }")) {
            Leafz.await(WAIT, 1, hub.httpPort, leaf.httpPort);
            assertTrue(ourLog.stream().anyMatch(l -> l.endsWith("Adding JetStream Domain Mapping \"$JS.HUB.API.INFO\""
                    + " -> $JS.API.INFO to account \"B\"")), "we map in B: " + ourLog);
            assertEquals("silence", fate(leaf.clientUrl(), "$JS.HUB.API.INFO"), "the request crossed (no 'no "
                    + "responders') and, as on Go, B's JetStream API leaves it to the leaf side");
        }
    }

    private static final String ACCOUNTS = "accounts { SYS { users: [{user: sys, password: sys}] }, "
            + "A { jetstream: enabled, users: [{user: a, password: a}] } }\nsystem_account: SYS\n";
    private static final String NOT_EXTENDED_WARNING = "not extended over the System Account connected from server";

    /**
     * One domain and a shared system account: Go would extend the domain (no denies on the system account, the
     * leaf's meta group an observer of the hub's); this server cannot, so it keeps Go's not-extended denies there
     * and warns, and each side's JetStream answers its own requests once. Ours with ours, and our leaf on a Go hub
     * (which extends on its side: its notice, yet nothing crosses, since we announce none of it).
     */
    @Test
    void oneDomainOverTheSystemAccountIsNotExtendedHere() throws Exception {
        String hubAuth = "authorization { users: [{user: ls, password: ls, account: SYS}, "
                + "{user: la, password: la, account: A}] }";
        try (Ours hub = Ours.start(dir, "HUB", goJs("D", "our-hub") + ACCOUNTS + "leafnodes { listen: "
                + "\"127.0.0.1:%LEAF%\", " + hubAuth + " }");
             Ours leaf = Ours.start(dir, "LEAF", goJs("D", "our-leaf") + ACCOUNTS + "leafnodes { remotes: [{url: \""
                     + hub.leafUrl("ls:ls") + "\", account: SYS}, {url: \"" + hub.leafUrl("la:la")
                     + "\", account: A}] }")) {
            Leafz.await(WAIT, 2, hub.httpPort, leaf.httpPort);
            assertEquals(2, ourLog.stream().filter(l -> l.contains(NOT_EXTENDED_WARNING)).count(),
                    "both sides warn: " + ourLog);
            onceEach(hub.clientUrl().replace("nats://", "nats://a:a@"), leaf.clientUrl().replace("nats://", "nats://a:a@"));
        }
    }

    @Test
    void ourLeafOverTheSystemAccountOfAGoHubWithOneDomain() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        int hubLeaf = Ports.free();
        int hubHttp = Ports.free();
        String hubJs = goJs("D", "go-hub");
        try (GoServer hub = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\nhttp: 127.0.0.1:" + hubHttp
                + "\n" + hubJs + ACCOUNTS + "leafnodes { listen: 127.0.0.1:" + hubLeaf
                + ", authorization { users: [{user: ls, password: ls, account: SYS}, {user: la, password: la, "
                + "account: A}] } }\n");
             Ours leaf = Ours.start(dir, "LEAF", goJs("D", "our-leaf") + ACCOUNTS + "leafnodes { remotes: ["
                     + "{url: \"nats-leaf://ls:ls@127.0.0.1:" + hubLeaf + "\", account: SYS}, "
                     + "{url: \"nats-leaf://la:la@127.0.0.1:" + hubLeaf + "\", account: A}] }")) {
            Leafz.await(WAIT, 2, hubHttp, leaf.httpPort);
            assertTrue(hub.log().contains("Extending JetStream domain \"D\" as System Account connected from server "
                    + "LEAF"), "the Go hub extends on its side:\n" + hub.log());
            assertEquals(1, ourLog.stream().filter(l -> l.contains(NOT_EXTENDED_WARNING)).count(),
                    "our leaf warns: " + ourLog);
            onceEach("nats://a:a@127.0.0.1:" + hub.port(), leaf.clientUrl().replace("nats://", "nats://a:a@"));
        }
    }

    private static void onceEach(String hubUrl, String leafUrl) throws Exception {
        try (Connection hub = Messaging.connect(hubUrl); Connection leaf = Messaging.connect(leafUrl)) {
            Thread.sleep(500);
            for (Connection c : List.of(hub, leaf)) {
                assertEquals(List.of("D"), answers(c, "$JS.API.INFO"), "answered once, by its own side");
                assertEquals(List.of("D"), answers(c, "$JS.D.API.INFO"), "the domain answered once");
            }
        }
    }

    /** What a request meets, once the interest had time to cross: an answer, no responders, or silence. */
    private static String fate(String url, String subject) throws Exception {
        try (Connection c = Messaging.connect(url)) {
            Thread.sleep(500);
            String inbox = c.createInbox();
            Subscription sub = c.subscribe(inbox);
            c.flush(WAIT);
            c.publish(subject, inbox, new byte[0]);
            Message m = sub.nextMessage(Duration.ofSeconds(2));
            if (m == null) {
                return "silence";
            }
            if (m.isStatusMessage()) {
                return "status " + m.getStatus().getCode();
            }
            return "answer " + new String(m.getData(), StandardCharsets.UTF_8);
        }
    }

    private static final String SAME_DOMAIN = "Adding deny [$JS.API.> $KV.> $OBJ.>] for account \"$G\"";
    private static final String GUARD_HUB = "Adding deny \"$JS.HUB.API.>\" for outgoing messages to account \"$G\"";
    private static final String GUARD_SPOKE =
            "Adding deny \"$JS.SPOKE.API.>\" for outgoing messages to account \"$G\"";
    private static final String NOT_EXTENDED =
            "JetStream Not Extended, adding deny [$JS.API.> $KV.> $OBJ.>] for account \"$G\"";

    /** Which domains answer each request, from each side: exactly one, the named (or own) domain. */
    private static void requestsReachTheirDomain(String hubUrl, String leafUrl) throws Exception {
        try (Connection hub = Messaging.connect(hubUrl); Connection leaf = Messaging.connect(leafUrl)) {
            awaitAnswer(leaf, "$JS.HUB.API.INFO");
            awaitAnswer(hub, "$JS.SPOKE.API.INFO");
            assertEquals(List.of("HUB"), answers(leaf, "$JS.HUB.API.INFO"), "a leaf client names the hub's domain");
            assertEquals(List.of("SPOKE"), answers(leaf, "$JS.API.INFO"), "a leaf client without domain: the leaf's");
            assertEquals(List.of("SPOKE"), answers(leaf, "$JS.SPOKE.API.INFO"), "the leaf's own domain, once");
            assertEquals(List.of("HUB"), answers(hub, "$JS.API.INFO"), "a hub client without domain: the hub's only");
            assertEquals(List.of("SPOKE"), answers(hub, "$JS.SPOKE.API.INFO"), "a hub client names the leaf's domain");
            assertEquals(List.of("HUB"), answers(hub, "$JS.HUB.API.INFO"), "the hub's own domain, once");
            directGetThroughTheDomain(hub, leaf);
        }
    }

    /**
     * A leaf client's direct get named for the hub's domain reaches the stream's direct-get queue subscription on
     * the hub: the leaf sends it mapped and without a queue group, and Go's hub serves its queue subscribers then.
     */
    private static void directGetThroughTheDomain(Connection hub, Connection leaf) throws Exception {
        Message created = hub.request("$JS.API.STREAM.CREATE.DG", ("{\"name\":\"DG\",\"subjects\":[\"dg\"],"
                + "\"allow_direct\":true,\"storage\":\"memory\"}").getBytes(StandardCharsets.UTF_8), WAIT);
        assertTrue(created != null && !new String(created.getData(), StandardCharsets.UTF_8).contains("\"error\""),
                "stream DG created on the hub");
        hub.request("dg", "stored".getBytes(StandardCharsets.UTF_8), WAIT);
        Message got = leaf.request("$JS.HUB.API.DIRECT.GET.DG", "{\"seq\":1}".getBytes(StandardCharsets.UTF_8),
                WAIT);
        assertTrue(got != null && !got.isStatusMessage(), "the direct get from the leaf answered: " + got);
        assertEquals("stored", new String(got.getData(), StandardCharsets.UTF_8));
        assertEquals("dg", got.getHeaders().getFirst("Nats-Subject"));
    }

    private static void awaitAnswer(Connection c, String subject) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!answers(c, subject).isEmpty()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no answer to " + subject + " within " + WAIT);
    }

    /** The {@code domain} of every account-info answer to one request. */
    private static List<String> answers(Connection c, String subject) throws Exception {
        String inbox = c.createInbox();
        Subscription sub = c.subscribe(inbox);
        try {
            c.flush(WAIT);
            c.publish(subject, inbox, new byte[0]);
            List<String> domains = new ArrayList<>();
            Message m = sub.nextMessage(Duration.ofSeconds(1));
            while (m != null) {
                Map<String, Object> body = Json.parseObject(new String(m.getData(), StandardCharsets.UTF_8));
                domains.add(String.valueOf(body.get("domain")));
                m = sub.nextMessage(QUIET);
            }
            return domains;
        } finally {
            sub.unsubscribe();
        }
    }

    /** The {@code domain} and {@code jetstream} of the INFO a leafnode port greets with. */
    private static String infoDomain(int leafPort) throws Exception {
        try (RawClient c = RawClient.connect(leafPort)) {
            Map<String, Object> info = Json.parseObject(c.readLine(5000).substring(5));
            return info.get("domain") + " jetstream=" + info.get("jetstream");
        }
    }
}
