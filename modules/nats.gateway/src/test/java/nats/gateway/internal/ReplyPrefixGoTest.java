package nats.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

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
 * The {@code _GR_.} prefix Go 2.9.10 puts on a fresh reply subject crossing a gateway is the one this module
 * computes ({@link ReplyPrefix}: Go's 6-character hashes of the gateway name and the server id), and a reply
 * published on it by a client of ours finds its way back to the Go requester.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReplyPrefixGoTest {

    @TempDir
    Path dir;

    @Test
    void goPrefixesAFreshReplyAsWeComputeItAndTheReplyComesBack() throws Exception {
        Member.Plan jp = new Member.Plan();
        Member.Plan gp = new Member.Plan();
        try (Member j = Member.start(dir, Kind.OURS, "J", jp, null, "name: J");
             Member g = Member.start(dir, Kind.GO, "G", gp, null, "name: G, gateways: [{name: J, urls: [\""
                     + jp.gatewayUrl() + "\"]}]");
             Connection responder = Clients.connect(j.clientUrl());
             Connection requester = Clients.connect(g.clientUrl())) {
            Monitor.awaitOutbound(Duration.ofSeconds(20), g.httpPort, "J");
            Monitor.awaitOutbound(Duration.ofSeconds(20), j.httpPort, "G");
            Subscription requests = responder.subscribe("hash.check");
            responder.flush(Duration.ofSeconds(2));
            Monitor.await(Duration.ofSeconds(20), "Go knows our interest in hash.check", () -> globalSubs(g, "J") >= 1);
            String goId = (String) Monitor.get(g.httpPort, "/varz").get("server_id");
            String inbox = "_INBOX.fresh." + System.nanoTime();
            Subscription replies = requester.subscribe(inbox);
            requester.flush(Duration.ofSeconds(2));
            // Published right after the inbox subscription: Go maps the reply (its rsubs are two seconds long).
            requester.publish("hash.check", inbox, "q".getBytes(StandardCharsets.UTF_8));
            requester.flush(Duration.ofSeconds(2));
            Message request = requests.nextMessage(Duration.ofSeconds(10));
            assertNotNull(request, "the request crossed");
            assertEquals(new String(new ReplyPrefix("G", goId).bytes(), StandardCharsets.US_ASCII) + inbox,
                    request.getReplyTo(), "Go's prefix: _GR_.<hash of G>.<hash of its server id>.<reply>");
            responder.publish(request.getReplyTo(), "a".getBytes(StandardCharsets.UTF_8));
            responder.flush(Duration.ofSeconds(2));
            Message reply = replies.nextMessage(Duration.ofSeconds(10));
            assertNotNull(reply, "the reply on the prefixed subject reached the Go requester");
            assertEquals(inbox, reply.getSubject(), "delivered on the inbox itself");
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
