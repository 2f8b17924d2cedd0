package nats.leafnode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import nats.leafnode.testing.LeafStarter;
import nats.leafnode.testing.Leafz;
import nats.leafnode.testing.Ours;
import nats.testing.GoServer;
import nats.testing.Ports;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Go's checkJetStream: a server with JetStream leaves the {@code $JS.API} requests of an account without
 * JetStream unanswered while that account has leaf connections (a server over them may serve it), except the
 * handlers that test the account alone (snapshot, restore, consumer info), which answer "not enabled for
 * account" as they do without leaf connections. The same hub config runs on Go 2.9.10 (the oracle) and ours;
 * each request is sent before a leaf connects, while one is connected, and after it left.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LeafJetStreamSilenceTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** How long a request is given to be answered before it counts as unanswered. */
    private static final long QUIET_MILLIS = 1500;
    private static final List<String> SUBJECTS = List.of("$JS.API.INFO", "$JS.API.STREAM.NAMES",
            "$JS.API.STREAM.LIST", "$JS.API.STREAM.CREATE.X", "$JS.API.STREAM.INFO.X", "$JS.API.STREAM.DELETE.X",
            "$JS.API.STREAM.PURGE.X", "$JS.API.STREAM.MSG.GET.X", "$JS.API.STREAM.SNAPSHOT.X",
            "$JS.API.STREAM.RESTORE.X", "$JS.API.CONSUMER.INFO.X.Y", "$JS.API.CONSUMER.NAMES.X",
            "$JS.API.CONSUMER.CREATE.X", "$JS.API.CONSUMER.DELETE.X.Y", "$JS.API.CONSUMER.INFO.X.Z|",
            "$JS.API.CONSUMER.CREATE.X|{bad", "$JS.API.CONSUMER.DURABLE.CREATE.X|{}",
            "$JS.API.CONSUMER.DURABLE.CREATE.X.D|{bad");
    /** Subjects Go's API does not subscribe to: never answered. */
    private static final List<String> NEVER_ANSWERED = List.of("$JS.API.CONSUMER.DURABLE.CREATE.X|{}");
    private static final String ERROR = "\"err_code\":100";
    /**
     * What Go 2.9.10 answers while the account has a leaf connection: only these requests get an error (the
     * handlers that test the account alone, and bodies refused before the account is looked at).
     */
    private static final List<String> ANSWERED_WITH_LEAF = List.of("$JS.API.STREAM.SNAPSHOT.X",
            "$JS.API.STREAM.RESTORE.X", "$JS.API.CONSUMER.INFO.X.Y", "$JS.API.CONSUMER.INFO.X.Z|",
            "$JS.API.CONSUMER.CREATE.X|{bad", "$JS.API.CONSUMER.DURABLE.CREATE.X.D|{bad");

    @TempDir
    Path dir;

    private String hubBody(int leafPort) {
        return "jetstream { store_dir: \"" + dir.resolve("store-" + System.nanoTime()) + "\" }\n"
                + "leafnodes { listen: 127.0.0.1:" + leafPort + " }\n"
                + "accounts {\n  JSA { jetstream: enabled, users: [{user: a, password: p}] }\n"
                + "  B { users: [{user: b, password: p}, {user: leaf, password: p}] }\n}\n";
    }

    private static String leafBody(int hubLeafPort) {
        return "leafnodes { remotes: [{url: \"nats-leaf://leaf:p@127.0.0.1:" + hubLeafPort + "\"}] }";
    }

    @Test
    void ourHubAnswersAsGosDoes() throws Exception {
        Map<String, String> ours = new LinkedHashMap<>();
        try (Ours hub = Ours.start(dir, "HUB", hubBody(0).replace("127.0.0.1:0", "127.0.0.1:%LEAF%"))) {
            ours.putAll(phases(hub.clientUrl(), hub.httpPort, () -> Ours.start(dir, "LEAF", leafBody(hub.leafPort))));
        }
        assertExpected(ours);
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        int hubLeaf = Ports.free();
        int hubHttp = Ports.free();
        Map<String, String> go = new LinkedHashMap<>();
        try (GoServer hub = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\nhttp: 127.0.0.1:" + hubHttp
                + "\n" + hubBody(hubLeaf))) {
            go.putAll(phases("nats://127.0.0.1:" + hub.port(), hubHttp,
                    () -> GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\n" + leafBody(hubLeaf))));
        }
        assertEquals(go, ours, "the same answers (and silences) as Go 2.9.10's hub");
    }

    /** What each phase's requests got: before the leaf, with it, after it closed. */
    private static Map<String, String> phases(String hubUrl, int hubHttp, LeafStarter leaf) throws Exception {
        Map<String, String> got = new LinkedHashMap<>();
        got.putAll(ask(hubUrl, "before "));
        try (AutoCloseable l = leaf.start()) {
            Leafz.await(WAIT, 1, hubHttp);
            got.putAll(ask(hubUrl, "with-leaf "));
        }
        Leafz.await(WAIT, 0, hubHttp);
        got.putAll(ask(hubUrl, "after "));
        return got;
    }

    private static void assertExpected(Map<String, String> got) {
        for (String s : SUBJECTS) {
            if (NEVER_ANSWERED.contains(s)) {
                for (String phase : List.of("before ", "with-leaf ", "after ")) {
                    assertEquals("(no answer)", got.get(phase + s), phase + s);
                }
                continue;
            }
            assertEquals(true, got.get("before " + s).contains(ERROR), "answered before a leaf connects: " + s);
            assertEquals(true, got.get("after " + s).contains(ERROR), "answered after the leaf left: " + s);
            String withLeaf = got.get("with-leaf " + s);
            if (ANSWERED_WITH_LEAF.contains(s)) {
                assertEquals(true, withLeaf.contains(ERROR), "answered with a leaf connection: " + s);
            } else {
                assertEquals("(no answer)", withLeaf, "left to the leaf side: " + s);
            }
        }
    }

    /** Sends every request from user {@code b} and gives them {@link #QUIET_MILLIS} to be answered. */
    private static Map<String, String> ask(String url, String phase) throws Exception {
        Map<String, String> answers = new LinkedHashMap<>();
        try (Connection nc = Nats.connect(new Options.Builder().server(url).userInfo("b", "p").maxReconnects(0)
                .connectionTimeout(Duration.ofSeconds(5)).build())) {
            Subscription replies = nc.subscribe("_R.>");
            nc.flush(WAIT);
            for (int i = 0; i < SUBJECTS.size(); i++) {
                // "subject|body", or a subject alone for a body that Go's handlers do not refuse early
                String[] request = (SUBJECTS.get(i) + "|{\"name\":\"X\"}").split("\\|", -1);
                answers.put(phase + SUBJECTS.get(i), "(no answer)");
                nc.publish(request[0], "_R." + i, request[1].getBytes(StandardCharsets.UTF_8));
            }
            nc.flush(WAIT);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS);
            long left;
            while ((left = deadline - System.nanoTime()) > 0) {
                Message m = replies.nextMessage(Duration.ofNanos(left));
                if (m != null) {
                    int i = Integer.parseInt(m.getSubject().substring(3));
                    answers.put(phase + SUBJECTS.get(i), new String(m.getData(), StandardCharsets.UTF_8));
                }
            }
        }
        return answers;
    }
}
