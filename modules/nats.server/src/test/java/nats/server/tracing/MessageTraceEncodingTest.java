package nats.server.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import nats.server.ConfigFiles;
import nats.server.NatsServer;
import nats.server.options.ServerOptions;
import nats.server.testing.JwtFactory;
import nats.server.internal.auth.NKeyPair;
import nats.transport.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.SnappyFramedInputStream;

/**
 * Two parts of Go 2.11's message tracing seen by a jnats client: trace events compressed as the traced message's
 * {@code Accept-Encoding} asks (gzip, snappy, anything else sent as it is with {@code Content-Encoding:
 * identity}), and an account JWT's {@code trace} claim ({@code dest}, {@code sampling}) tracing messages with a
 * sampled W3C {@code traceparent}, with Go's handling of an invalid destination and of a sampling outside 1..100.
 */
@Timeout(30)
class MessageTraceEncodingTest {

    private static final String SAMPLED = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @TempDir
    Path dir;

    private static NatsServer start(Path dir, String config) throws Exception {
        ServerOptions options = new ServerOptions();
        assertEquals(List.of(), ConfigFiles.load(Files.writeString(dir.resolve("s-" + System.nanoTime() + ".conf"),
                config), options, true), "config warnings");
        return NatsServer.start(options.host("127.0.0.1").port(ServerOptions.RANDOM_PORT));
    }

    @Test
    void eventsAreCompressedAsAcceptEncodingAsks() throws Exception {
        try (NatsServer server = start(dir, "");
             Connection nc = Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + server.port()).build())) {
            Subscription traces = nc.subscribe("my.trace");
            nc.flush(Duration.ofSeconds(2));
            for (String accept : new String[] {"gzip", "snappy", "s2", "br", null}) {
                Headers h = new Headers().add("Nats-Trace-Dest", "my.trace").add("Nats-Trace-Only", "true");
                if (accept != null) {
                    h.add("Accept-Encoding", accept);
                }
                nc.publish(NatsMessage.builder().subject("orders.new").headers(h).data(new byte[] {1, 2}).build());
                Message event = traces.nextMessage(Duration.ofSeconds(5));
                assertNotNull(event, "an event for Accept-Encoding " + accept);
                String encoding = event.getHeaders() == null ? null : event.getHeaders().getFirst("Content-Encoding");
                String expected = accept == null ? null : switch (accept) {
                    case "gzip" -> "gzip";
                    case "snappy", "s2" -> "snappy";
                    default -> "identity";
                };
                assertEquals(expected, encoding, "Content-Encoding for Accept-Encoding " + accept);
                byte[] json = decode(encoding, event.getData());
                Map<String, Object> parsed = Json.parseObject(new String(json, StandardCharsets.UTF_8));
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> events = (List<Map<String, Object>>) parsed.get("events");
                assertEquals("in", events.get(0).get("type"), "the decoded event has its ingress: " + parsed);
                assertEquals("orders.new", events.get(0).get("subj"), "and the traced subject");
                if (accept != null && !expected.equals("identity")) {
                    assertTrue(event.getData().length != json.length, "the payload is encoded");
                }
            }
        }
    }

    private static byte[] decode(String encoding, byte[] data) throws Exception {
        if (encoding == null || encoding.equals("identity")) {
            return data;
        }
        try (InputStream in = encoding.equals("gzip") ? new GZIPInputStream(new ByteArrayInputStream(data))
                : new SnappyFramedInputStream(new ByteArrayInputStream(data), true)) {
            return in.readAllBytes();
        }
    }

    @Test
    void accountJwtTraceClaimTracesSampledTraceparents() throws Exception {
        NKeyPair operator = JwtFactory.operatorKey();
        NKeyPair sys = JwtFactory.accountKey();
        NKeyPair traced = JwtFactory.accountKey();
        NKeyPair badDest = JwtFactory.accountKey();
        NKeyPair noClaim = JwtFactory.accountKey();
        Path opFile = Files.writeString(dir.resolve("op.jwt"), JwtFactory.operator(operator, sys.publicKey()));
        // sampling 0 reads as 100, as Go's UpdateAccountClaims makes it; a wildcard destination disables tracing.
        String config = "operator: " + opFile + "\nsystem_account: " + sys.publicKey() + "\nresolver: MEMORY\n"
                + "resolver_preload: {\n"
                + "  " + sys.publicKey() + ": " + JwtFactory.account(operator, sys, "SYS", "") + "\n"
                + "  " + traced.publicKey() + ": " + JwtFactory.account(operator, traced, "T",
                        "\"trace\":{\"dest\":\"w3c.traces\",\"sampling\":0}") + "\n"
                + "  " + badDest.publicKey() + ": " + JwtFactory.account(operator, badDest, "BAD",
                        "\"trace\":{\"dest\":\"w3c.*\",\"sampling\":100}") + "\n"
                + "  " + noClaim.publicKey() + ": " + JwtFactory.account(operator, noClaim, "NONE", "") + "\n}\n";
        try (NatsServer server = start(dir, config)) {
            assertEquals(List.of(true, false), traceparentTraced(server, operator, traced),
                    "T: a sampled traceparent is traced to the claim's dest; flags 00 is not");
            assertEquals(List.of(false, false), traceparentTraced(server, operator, badDest),
                    "BAD: a wildcard destination disables tracing");
            assertEquals(List.of(false, false), traceparentTraced(server, operator, noClaim),
                    "NONE: no trace claim, no tracing");
        }
    }

    /** Whether a sampled and a not-sampled traceparent message published in the account produce an event. */
    private static List<Boolean> traceparentTraced(NatsServer server, NKeyPair operator, NKeyPair account)
            throws Exception {
        NKeyPair user = JwtFactory.userKey();
        String jwt = JwtFactory.user(account, user, "", 0);
        try (Connection nc = Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + server.port())
                .authHandler(Nats.staticCredentials(jwt.toCharArray(), user.seed().toCharArray()))
                .maxReconnects(0).build())) {
            Subscription traces = nc.subscribe("w3c.>");
            Subscription work = nc.subscribe("work");
            nc.flush(Duration.ofSeconds(2));
            boolean[] got = new boolean[2];
            String[] parents = {SAMPLED, SAMPLED.substring(0, SAMPLED.length() - 2) + "00"};
            for (int i = 0; i < 2; i++) {
                nc.publish(NatsMessage.builder().subject("work").headers(new Headers().add("traceparent", parents[i]))
                        .data(new byte[] {1}).build());
                assertNotNull(work.nextMessage(Duration.ofSeconds(2)), "delivered");
                Message event = traces.nextMessage(Duration.ofMillis(i == 0 ? 1500 : 300));
                if (event != null) {
                    assertEquals("w3c.traces", event.getSubject(), "the claim's destination");
                    got[i] = true;
                }
            }
            assertNull(traces.nextMessage(Duration.ofMillis(100)), "one event at most");
            return List.of(got[0], got[1]);
        }
    }
}
