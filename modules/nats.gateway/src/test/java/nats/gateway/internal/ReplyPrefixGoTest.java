package nats.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import nats.gateway.testing.Member.Kind;
import nats.gateway.testing.Member;
import nats.testing.Clients;
import nats.testing.Monitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request published right after its inbox subscription crosses a gateway with its reply mapped to
 * {@code _GR_.<cluster hash>.<server hash>.<inbox>} (Go's rsubs); the responder's client is shown the bare inbox
 * (Go's processMsgResults strips the prefix) and its answer to the bare inbox goes straight back to the requester's
 * cluster (Go's gwReplyMapping). Both hashes must be Go's for the answer to arrive: the answering cluster finds the
 * requester's cluster by them. Checked between Go 2.9.10 and ours both ways, between two of ours, and between two Go
 * servers (the oracle: what a client of a Go cluster sees).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ReplyPrefixGoTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void aFreshReplyIsHiddenFromTheResponderAndItsAnswerComesBackBetweenGoAndOurs() throws Exception {
        Member.Plan jp = new Member.Plan();
        Member.Plan gp = new Member.Plan();
        try (Member j = Member.start(dir, Kind.OURS, "J", jp, null, "name: J");
             Member g = Member.start(dir, Kind.GO, "G", gp, null, "name: G, gateways: [{name: J, urls: [\""
                     + jp.gatewayUrl() + "\"]}]")) {
            Monitor.awaitOutbound(WAIT, g.httpPort, "J");
            Monitor.awaitOutbound(WAIT, j.httpPort, "G");
            assertHiddenAndAnswered(g, j, "hidden.go.to.ours");
            assertHiddenAndAnswered(j, g, "hidden.ours.to.go");
        }
    }

    @Test
    void aFreshReplyIsHiddenBetweenTwoOfOurs() throws Exception {
        Member.Plan ap = new Member.Plan();
        Member.Plan bp = new Member.Plan();
        try (Member a = Member.start(dir, Kind.OURS, "A", ap, null, "name: A");
             Member b = Member.start(dir, Kind.OURS, "B", bp, null, "name: B, gateways: [{name: A, urls: [\""
                     + ap.gatewayUrl() + "\"]}]")) {
            Monitor.awaitOutbound(WAIT, a.httpPort, "B");
            Monitor.awaitOutbound(WAIT, b.httpPort, "A");
            assertHiddenAndAnswered(a, b, "hidden.a.to.b");
            assertHiddenAndAnswered(b, a, "hidden.b.to.a");
        }
    }

    @Test
    void goHidesTheReplyToo() throws Exception {
        Member.Plan g1p = new Member.Plan();
        Member.Plan g2p = new Member.Plan();
        try (Member g1 = Member.start(dir, Kind.GO, "G1", g1p, null, "name: G1");
             Member g2 = Member.start(dir, Kind.GO, "G2", g2p, null, "name: G2, gateways: [{name: G1, urls: [\""
                     + g1p.gatewayUrl() + "\"]}]")) {
            Monitor.awaitOutbound(WAIT, g1.httpPort, "G2");
            Monitor.awaitOutbound(WAIT, g2.httpPort, "G1");
            assertHiddenAndAnswered(g1, g2, "hidden.go.only");
        }
    }

    @Test
    void anInternalSubscriberSeesTheBareReplyAndItsAnswerComesBack() throws Exception {
        // Go's processMsgResults hands internal subscriptions (system, JetStream, service imports) the reply
        // without its _GR_. prefix too, and trackGWReply keeps it on the account: whichever internal client answers
        // to the bare reply, the answer goes back to the requester's cluster.
        Member.Plan ap = new Member.Plan();
        Member.Plan bp = new Member.Plan();
        try (Member a = Member.startWith(dir, Kind.OURS, "A", ap, "reply_echo {}", null, "name: A");
             Member b = Member.start(dir, Kind.OURS, "B", bp, null, "name: B, gateways: [{name: A, urls: [\""
                     + ap.gatewayUrl() + "\"]}]")) {
            Monitor.awaitOutbound(WAIT, a.httpPort, "B");
            Monitor.awaitOutbound(WAIT, b.httpPort, "A");
            try (Connection requester = Clients.connect(b.clientUrl())) {
                String inbox = "_INBOX.internal." + System.nanoTime();
                Subscription replies = requester.subscribe(inbox);
                requester.flush(Duration.ofSeconds(2));
                requester.publish("internal.echo", inbox, "q".getBytes(StandardCharsets.UTF_8));
                requester.flush(Duration.ofSeconds(2));
                Message reply = replies.nextMessage(Duration.ofSeconds(10));
                assertNotNull(reply, "the internal subscriber's answer to the bare reply reached cluster B");
                assertEquals(inbox, new String(reply.getData(), StandardCharsets.UTF_8),
                        "the internal subscriber on A was shown the bare inbox, not the gateway prefix");
                assertNull(replies.nextMessage(Duration.ofMillis(300)), "the answer arrived once");
            }
        }
    }

    /**
     * JetStream's internal subscribers in cluster A answer a client of cluster B: the API requests, the publish
     * acknowledgements and a pull consumer's deliveries go back to B's fresh inboxes (seen bare, mapped per account).
     */
    @Test
    void jetStreamAnswersAClientOfTheOtherCluster() throws Exception {
        Member.Plan ap = new Member.Plan();
        Member.Plan bp = new Member.Plan();
        Path store = dir.resolve("js");
        try (Member a = Member.startWith(dir, Kind.OURS, "A", ap, "jetstream { store_dir: \"" + store + "\" }", null,
                "name: A");
             Member b = Member.start(dir, Kind.OURS, "B", bp, null, "name: B, gateways: [{name: A, urls: [\""
                     + ap.gatewayUrl() + "\"]}]")) {
            Monitor.awaitOutbound(WAIT, a.httpPort, "B");
            Monitor.awaitOutbound(WAIT, b.httpPort, "A");
            try (Connection onB = Clients.connect(b.clientUrl())) {
                io.nats.client.JetStreamManagement jsm = onB.jetStreamManagement();
                jsm.addStream(io.nats.client.api.StreamConfiguration.builder().name("ORDERS").subjects("orders.>")
                        .storageType(io.nats.client.api.StorageType.Memory).build());
                io.nats.client.JetStream js = onB.jetStream();
                for (int i = 0; i < 3; i++) {
                    assertEquals(i + 1, js.publish("orders." + i, ("o" + i).getBytes(StandardCharsets.UTF_8))
                            .getSeqno(), "acknowledged from cluster A");
                }
                io.nats.client.JetStreamSubscription pull = js.subscribe("orders.>",
                        io.nats.client.PullSubscribeOptions.builder().durable("D").build());
                java.util.List<Message> got = pull.fetch(3, Duration.ofSeconds(10));
                assertEquals(java.util.List.of("o0", "o1", "o2"), got.stream()
                        .map(m -> new String(m.getData(), StandardCharsets.UTF_8)).toList(), "fetched across");
                assertEquals(3, jsm.getStreamInfo("ORDERS").getStreamState().getMsgCount(), "stream info across");
            }
        }
    }

    private static void assertHiddenAndAnswered(Member requesterSide, Member responderSide, String subject)
            throws Exception {
        try (Connection responder = Clients.connect(responderSide.clientUrl());
             Connection requester = Clients.connect(requesterSide.clientUrl())) {
            Subscription requests = responder.subscribe(subject);
            responder.flush(Duration.ofSeconds(2));
            Monitor.await(WAIT, requesterSide.name + " knows the interest in " + subject,
                    () -> globalSubs(requesterSide, responderSide.name) >= 1);
            String inbox = "_INBOX.fresh." + System.nanoTime();
            Subscription replies = requester.subscribe(inbox);
            requester.flush(Duration.ofSeconds(2));
            // Published right after the inbox subscription: the reply is mapped (rsubs last two seconds).
            requester.publish(subject, inbox, "q".getBytes(StandardCharsets.UTF_8));
            requester.flush(Duration.ofSeconds(2));
            Message request = requests.nextMessage(Duration.ofSeconds(10));
            assertNotNull(request, "the request crossed from " + requesterSide.name + " to " + responderSide.name);
            assertEquals(inbox, request.getReplyTo(), "the responder on " + responderSide.name
                    + " sees the bare inbox, not the gateway prefix");
            responder.publish(request.getReplyTo(), "a".getBytes(StandardCharsets.UTF_8));
            responder.flush(Duration.ofSeconds(2));
            Message reply = replies.nextMessage(Duration.ofSeconds(10));
            assertNotNull(reply, "the answer to the bare inbox reached the requester on " + requesterSide.name);
            assertEquals(inbox, reply.getSubject(), "delivered on the inbox itself");
            assertNull(replies.nextMessage(Duration.ofMillis(300)), "the answer arrived once");
        }
    }

    @SuppressWarnings("unchecked")
    private static int globalSubs(Member m, String remote) {
        java.util.Map<String, Object> out = (java.util.Map<String, Object>) ((java.util.Map<String, Object>) Monitor
                .get(m.httpPort, "/gatewayz?accs=1").get("outbound_gateways")).get(remote);
        if (out == null || !(out.get("accounts") instanceof java.util.List<?> accounts)) {
            return 0;
        }
        for (Object a : accounts) {
            java.util.Map<String, Object> acc = (java.util.Map<String, Object>) a;
            if ("$G".equals(acc.get("name")) && acc.get("num_subs") instanceof Number n) {
                return n.intValue();
            }
        }
        return 0;
    }
}
