package nats.server.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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
import nats.transport.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Go 2.11's message tracing end to end with jnats: a message with {@code Nats-Trace-Dest} makes the server publish
 * Go's MsgTraceEvent (field names from Go's msgtrace.go) to that subject in the publisher's account, and
 * {@code Nats-Trace-Only} traces without delivering.
 */
@Timeout(30)
class MessageTraceTest {

    @TempDir
    Path dir;
    private NatsServer server;
    private final java.util.List<Connection> connections = new java.util.ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Connection c : connections) {
            c.close();
        }
        if (server != null) {
            server.shutdown();
        }
    }

    private void start(String config) throws Exception {
        ServerOptions options = new ServerOptions();
        if (config != null) {
            ConfigFiles.load(Files.writeString(dir.resolve("trace.conf"), config), options, false);
        }
        server = NatsServer.start(options.host("127.0.0.1").port(ServerOptions.RANDOM_PORT));
    }

    private Connection connect(String name, String user) throws Exception {
        Options.Builder b = new Options.Builder().server("nats://127.0.0.1:" + server.port()).connectionName(name);
        if (user != null) {
            b.userInfo(user, "pw");
        }
        Connection c = Nats.connect(b.build());
        connections.add(c);
        return c;
    }

    private static Message traced(String subject, String dest, boolean only) {
        Headers h = new Headers().add("Nats-Trace-Dest", dest).add("App", "x");
        if (only) {
            h.add("Nats-Trace-Only", "true");
        }
        return NatsMessage.builder().subject(subject).headers(h).data("hello".getBytes(StandardCharsets.UTF_8))
                .build();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> event(Subscription traces) throws InterruptedException {
        Message m = traces.nextMessage(Duration.ofSeconds(5));
        assertNotNull(m, "a trace event was published");
        return (Map<String, Object>) Json.parse(new String(m.getData(), StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> events(Map<String, Object> event) {
        return (List<Map<String, Object>>) event.get("events");
    }

    static Map<String, Object> only(Map<String, Object> event, String type) {
        List<Map<String, Object>> found = events(event).stream().filter(e -> type.equals(e.get("type"))).toList();
        assertEquals(1, found.size(), "one " + type + " entry in " + event);
        return found.get(0);
    }

    static long count(Map<String, Object> event, String type) {
        return events(event).stream().filter(e -> type.equals(e.get("type"))).count();
    }

    @Test
    void eventNamesIngressAndEgressAndTheMessageIsDelivered() throws Exception {
        start(null);
        Connection sub = connect("subscriber", null);
        Connection pub = connect("publisher", null);
        Subscription traces = pub.subscribe("my.trace");
        Subscription s = sub.subscribe("orders.new");
        sub.flush(Duration.ofSeconds(2));
        pub.flush(Duration.ofSeconds(2));
        pub.publish(traced("orders.new", "my.trace", false));
        assertNotNull(s.nextMessage(Duration.ofSeconds(2)), "the traced message is delivered");
        Map<String, Object> e = event(traces);
        @SuppressWarnings("unchecked")
        Map<String, Object> srv = (Map<String, Object>) e.get("server");
        assertEquals(server.identity().serverId(), srv.get("id"), "server id as in system events");
        assertNotNull(srv.get("seq"), "server.seq");
        @SuppressWarnings("unchecked")
        Map<String, Object> request = (Map<String, Object>) e.get("request");
        assertEquals(Map.of("Nats-Trace-Dest", List.of("my.trace"), "App", List.of("x")), request.get("header"),
                "request.header keeps every header with its values");
        assertTrue(((Number) request.get("msgsize")).intValue() > 5, "msgsize counts headers and payload");
        assertNull(e.get("hops"), "no hops on a single server (omitted)");
        List<Map<String, Object>> list = events(e);
        assertEquals("in", list.get(0).get("type"), "ingress first");
        Map<String, Object> in = list.get(0);
        assertEquals(0L, ((Number) in.get("kind")).longValue(), "client kind");
        assertEquals("publisher", in.get("name"));
        assertEquals("$G", in.get("acc"));
        assertEquals("orders.new", in.get("subj"));
        assertNotNull(in.get("ts"), "timestamp");
        assertFalse(in.containsKey("error"), "no error: " + in);
        Map<String, Object> eg = only(e, "eg");
        assertEquals("subscriber", eg.get("name"));
        assertEquals("orders.new", eg.get("sub"));
        assertFalse(eg.containsKey("acc"), "same account: acc omitted");
        assertFalse(eg.containsKey("error"), "delivered: " + eg);
    }

    @Test
    void traceOnlyDeliversNothing() throws Exception {
        start(null);
        Connection sub = connect("subscriber", null);
        Connection pub = connect("publisher", null);
        Subscription traces = pub.subscribe("my.trace");
        Subscription s = sub.subscribe("orders.*", "workers");
        sub.flush(Duration.ofSeconds(2));
        pub.flush(Duration.ofSeconds(2));
        pub.publish(traced("orders.new", "my.trace", true));
        Map<String, Object> e = event(traces);
        Map<String, Object> eg = only(e, "eg");
        assertEquals("workers", eg.get("queue"), "the queue group is named");
        assertFalse(eg.containsKey("error"), "would have been delivered: " + eg);
        pub.publish("orders.plain", "after".getBytes(StandardCharsets.UTF_8));
        Message first = s.nextMessage(Duration.ofSeconds(2));
        assertNotNull(first);
        assertEquals("orders.plain", first.getSubject(), "the trace-only message was not delivered");
    }

    @Test
    void aMessageNobodyWantsHasOnlyItsIngress() throws Exception {
        start(null);
        Connection pub = connect("publisher", null);
        Subscription traces = pub.subscribe("my.trace");
        pub.flush(Duration.ofSeconds(2));
        pub.publish(traced("nobody.home", "my.trace", true));
        Map<String, Object> e = event(traces);
        assertEquals(1, events(e).size(), "ingress only: " + e);
    }

    @Test
    void subjectMappingIsReported() throws Exception {
        start("mappings { \"orders.in\": \"orders.mapped\" }\n");
        Connection c = connect("c", null);
        Subscription traces = c.subscribe("my.trace");
        Subscription s = c.subscribe("orders.mapped");
        c.flush(Duration.ofSeconds(2));
        c.publish(traced("orders.in", "my.trace", false));
        assertNotNull(s.nextMessage(Duration.ofSeconds(2)));
        Map<String, Object> e = event(traces);
        assertEquals("orders.in", events(e).get(0).get("subj"), "ingress names the published subject");
        assertEquals("orders.mapped", only(e, "sm").get("to"));
        assertEquals("orders.mapped", only(e, "eg").get("sub"));
    }

    private static final String ACCOUNTS = """
            accounts {
              A {
                users: [{user: a, password: pw}, {user: a2, password: pw, permissions: {subscribe: {allow: ">", deny: "secret.plan"}}}]
                exports: [{stream: "feed.>"}, {stream: "quiet.>"}, {service: "svc.traced", allow_trace: true}, {service: "svc.plain"}]
              }
              B {
                users: [{user: b, password: pw}]
                imports: [
                  {stream: {account: A, subject: "feed.>"}, allow_trace: true}
                  {stream: {account: A, subject: "quiet.>"}}
                  {service: {account: A, subject: "svc.traced"}}
                  {service: {account: A, subject: "svc.plain"}}
                ]
              }
            }
            """;

    @Test
    void streamExportWithAllowTraceTracesIntoTheImporter() throws Exception {
        start(ACCOUNTS);
        Connection a = connect("pubA", "a");
        Connection b = connect("subB", "b");
        Subscription traces = a.subscribe("trace.a");
        Subscription s = b.subscribe("feed.x");
        b.flush(Duration.ofSeconds(2));
        a.flush(Duration.ofSeconds(2));
        a.publish(traced("feed.x", "trace.a", false));
        assertNotNull(s.nextMessage(Duration.ofSeconds(2)), "delivered through the import");
        Map<String, Object> e = event(traces);
        Map<String, Object> se = only(e, "se");
        assertEquals("B", se.get("acc"));
        assertEquals("feed.x", se.get("to"));
        Map<String, Object> eg = only(e, "eg");
        assertEquals("B", eg.get("acc"), "another account than the ingress: named");
        assertEquals("subB", eg.get("name"));
    }

    @Test
    void streamExportWithoutAllowTraceStopsTheTraceAtTheBoundary() throws Exception {
        start(ACCOUNTS);
        Connection a = connect("pubA", "a");
        Connection b = connect("subB", "b");
        Subscription traces = a.subscribe("trace.a");
        Subscription s = b.subscribe("quiet.x");
        b.flush(Duration.ofSeconds(2));
        a.flush(Duration.ofSeconds(2));
        a.publish(traced("quiet.x", "trace.a", false));
        assertNotNull(s.nextMessage(Duration.ofSeconds(2)), "still delivered");
        Map<String, Object> e = event(traces);
        assertEquals("B", only(e, "se").get("acc"));
        assertEquals(0, count(e, "eg"), "no egress past the boundary: " + e);
        a.publish(traced("quiet.x", "trace.a", true));
        event(traces);
        assertNull(s.nextMessage(Duration.ofMillis(300)), "trace only: not delivered through the import");
    }

    @Test
    void serviceImportIsReportedAndTracedInTheExporterWhenAllowed() throws Exception {
        start(ACCOUNTS);
        Connection a = connect("responder", "a");
        Connection b = connect("requester", "b");
        Subscription traces = b.subscribe("trace.b");
        a.createDispatcher(m -> a.publish(m.getReplyTo(), "ok".getBytes(StandardCharsets.UTF_8)))
                .subscribe("svc.traced");
        a.flush(Duration.ofSeconds(2));
        b.flush(Duration.ofSeconds(2));
        Message request = NatsMessage.builder().subject("svc.traced").headers(new Headers()
                .add("Nats-Trace-Dest", "trace.b")).data("q".getBytes(StandardCharsets.UTF_8)).build();
        Message reply = b.request(request, Duration.ofSeconds(3));
        assertEquals("ok", new String(reply.getData(), StandardCharsets.UTF_8));
        Map<String, Object> e = event(traces);
        Map<String, Object> si = only(e, "si");
        assertEquals("A", si.get("acc"), "the exporting account");
        assertEquals("svc.traced", si.get("from"));
        assertEquals("svc.traced", si.get("to"));
        Map<String, Object> eg = only(e, "eg");
        assertEquals("A", eg.get("acc"));
        assertEquals("responder", eg.get("name"));
    }

    @Test
    void serviceImportWithoutAllowTraceStopsTheTraceOrTheRequest() throws Exception {
        start(ACCOUNTS);
        Connection a = connect("responder", "a");
        Connection b = connect("requester", "b");
        Subscription traces = b.subscribe("trace.b");
        Subscription responder = a.subscribe("svc.plain");
        a.flush(Duration.ofSeconds(2));
        b.flush(Duration.ofSeconds(2));
        b.publish(traced("svc.plain", "trace.b", false));
        Message got = responder.nextMessage(Duration.ofSeconds(2));
        assertNotNull(got, "delivered untraced");
        assertEquals("Xats-Trace-Dest", got.getHeaders().keySet().stream().filter(k -> k.endsWith("ats-Trace-Dest"))
                .findFirst().orElse(""), "the trace header is switched off past the boundary, as Go does");
        Map<String, Object> e = event(traces);
        assertEquals("A", only(e, "si").get("acc"));
        assertEquals(0, count(e, "eg"), "nothing traced in the exporter: " + e);
        b.publish(traced("svc.plain", "trace.b", true));
        event(traces);
        assertNull(responder.nextMessage(Duration.ofMillis(300)), "trace only stops at the import");
    }

    @Test
    void deniedSubscriberIsAnEgressWithGosError() throws Exception {
        start(ACCOUNTS);
        Connection a = connect("pubA", "a");
        Connection denied = connect("limited", "a2");
        Subscription traces = a.subscribe("trace.a");
        Subscription s = denied.subscribe("secret.>");
        denied.flush(Duration.ofSeconds(2));
        a.flush(Duration.ofSeconds(2));
        a.publish(traced("secret.plan", "trace.a", false));
        Map<String, Object> e = event(traces);
        Map<String, Object> eg = only(e, "eg");
        assertEquals("limited", eg.get("name"));
        assertEquals("Not delivered because subscription denies this subject", eg.get("error"));
        assertNull(s.nextMessage(Duration.ofMillis(200)), "not delivered");
    }

    @Test
    void publishPermissionViolationIsAnIngressError() throws Exception {
        start("""
                authorization { users: [{user: p, password: pw, permissions: {publish: {deny: "forbidden.>"}}}] }
                """);
        Connection p = connect("p", "p");
        Subscription traces = p.subscribe("my.trace");
        p.flush(Duration.ofSeconds(2));
        p.publish(traced("forbidden.x", "my.trace", false));
        Map<String, Object> e = event(traces);
        assertEquals("Permissions Violation for Publish to \"forbidden.x\"", events(e).get(0).get("error"));
    }

    @Test
    void noEchoIsReported() throws Exception {
        start(null);
        Connection c = Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + server.port())
                .connectionName("self").noEcho().build());
        connections.add(c);
        Connection other = connect("watcher", null);
        Subscription traces = other.subscribe("my.trace");
        c.subscribe("echo.me");
        c.flush(Duration.ofSeconds(2));
        other.flush(Duration.ofSeconds(2));
        // The trace goes to the publisher's account, where the watcher listens.
        c.publish(traced("echo.me", "my.trace", false));
        Map<String, Object> eg = only(event(traces), "eg");
        assertEquals("Not delivered because of no echo", eg.get("error"));
    }

    /** Go 2.11's texts for broken trace settings (opts.go parseAccountMsgTrace and the allow_trace checks). */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "A: {msg_trace: \"bad.*\"}|Trace destination \"bad.*\" is not valid",
            "A: {msg_trace: {dest: t, sampling: 101}}|Ttrace destination sampling value 101 is invalid, needs to be [1..100]",
            "A: {trace_dest: {dest: t, sampling: \"x%\"}}|Invalid trace destination sampling value \"x%\"",
            "A: {msg_trace: {dest: t, rate: 5}}|Unknown field \"rate\" parsing account message trace map/struct \"msg_trace\"",
            "A: {msg_trace: 5}|Expected account message trace \"msg_trace\" to be a string or a map/struct, got int64",
            "A: {exports: [{stream: s, allow_trace: true}]}|Detected allow_trace directive on non-service",
            "A: {exports: [{service: s}]}, B: {imports: [{service: {account: A, subject: s}, allow_trace: true}]}"
                    + "|Detected allow_trace directive on a non-stream",
    })
    void brokenTraceSettingsAreRefusedWithGosText(String accounts, String reason) throws Exception {
        Path conf = Files.writeString(dir.resolve("bad.conf"), "accounts { " + accounts + " }\n");
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> ConfigFiles.load(conf, new ServerOptions(), false));
        assertTrue(e.getMessage().endsWith(reason), "expected Go's text: " + reason + ", got: " + e.getMessage());
    }

    @Test
    void samplingAsAPercentageAndAloneDestination() throws Exception {
        Path conf = Files.writeString(dir.resolve("ok.conf"), "accounts { A: {msg_trace: {dest: t, sampling: \"25%\"}},"
                + " B: {trace_dest: u}, C: {msg_trace: {sampling: 10}} }\n");
        ServerOptions options = new ServerOptions();
        List<String> warnings = ConfigFiles.load(conf, options, false);
        Map<String, nats.server.options.AccountConfig.MessageTrace> traces = new java.util.HashMap<>();
        options.accounts().forEach(a -> traces.put(a.name(), a.trace()));
        assertEquals(new nats.server.options.AccountConfig.MessageTrace("t", 25), traces.get("A"));
        assertEquals(new nats.server.options.AccountConfig.MessageTrace("u", 100), traces.get("B"), "100 % by default");
        assertEquals(nats.server.options.AccountConfig.MessageTrace.NONE, traces.get("C"));
        assertTrue(warnings.stream().anyMatch(w -> w.endsWith("Trace destination sampling ignored since no destination "
                + "was set")), "Go's warning: " + warnings);
    }

    @Test
    void traceparentTracesInAnAccountWithATraceDestination() throws Exception {
        start("""
                accounts {
                  T { users: [{user: t, password: pw}], msg_trace: { dest: "w3c.traces", sampling: 100 } }
                }
                """);
        Connection t = connect("t", "t");
        Subscription traces = t.subscribe("w3c.traces");
        Subscription s = t.subscribe("work");
        t.flush(Duration.ofSeconds(2));
        Headers sampled = new Headers().add("TraceParent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        t.publish(NatsMessage.builder().subject("work").headers(sampled).data(new byte[] {1}).build());
        assertNotNull(s.nextMessage(Duration.ofSeconds(2)));
        Map<String, Object> e = event(traces);
        @SuppressWarnings("unchecked")
        Map<String, Object> header = (Map<String, Object>) ((Map<String, Object>) e.get("request")).get("header");
        assertTrue(header.containsKey("traceparent"), "the W3C header is reported in lower case: " + header);
        Headers notSampled = new Headers().add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
        t.publish(NatsMessage.builder().subject("work").headers(notSampled).data(new byte[] {1}).build());
        assertNotNull(s.nextMessage(Duration.ofSeconds(2)));
        assertNull(traces.nextMessage(Duration.ofMillis(300)), "flags 00: not sampled, no event");
    }
    @Test
    void aMessageOverTheMaximumPayloadIsTracedWithGosIngressError() throws Exception {
        start("max_payload: 512");
        Connection watcher = connect("watcher", null);
        Subscription traces = watcher.subscribe("my.trace");
        watcher.flush(Duration.ofSeconds(2));
        // jnats refuses such a message itself; a raw client sends it, header block and all, in one write.
        String headers = "NATS/1.0\r\nNats-Trace-Dest: my.trace\r\n\r\n";
        String payload = "x".repeat(1000);
        try (nats.testing.RawClient raw = nats.testing.RawClient.connect(server.port())) {
            raw.readLine(2000);
            raw.send("CONNECT {\"headers\":true,\"name\":\"big\"}\r\nHPUB too.big " + headers.length() + " "
                    + (headers.length() + payload.length()) + "\r\n" + headers + payload + "\r\n");
            assertEquals("-ERR 'Maximum Payload Violation'", raw.readLineStartingWith("-ERR", 2000),
                    "Go's error, then the connection is closed");
        }
        Map<String, Object> e = event(traces);
        @SuppressWarnings("unchecked")
        Map<String, Object> request = (Map<String, Object>) e.get("request");
        assertEquals(Map.of("msgsize", 1000L + headers.length()), normalized(request),
                "the announced size and no headers, as Go: " + request);
        Map<String, Object> in = only(e, "in");
        assertEquals("maximum payload exceeded", in.get("error"), "Go's ErrMaxPayload text");
        assertEquals("", in.get("acc"), "Go leaves acc empty on this event");
        assertEquals("", in.get("subj"), "and subj");
        assertEquals("big", in.get("name"), "the client's name");
        assertEquals(1, events(e).size(), "only the ingress: " + e);
        assertNull(traces.nextMessage(Duration.ofMillis(300)), "one event");
    }

    private static Map<String, Object> normalized(Map<String, Object> m) {
        Map<String, Object> out = new java.util.HashMap<>();
        m.forEach((k, v) -> out.put(k, v instanceof Number n ? (Object) n.longValue() : v));
        return out;
    }
}
