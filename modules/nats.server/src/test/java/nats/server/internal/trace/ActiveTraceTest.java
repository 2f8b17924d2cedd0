package nats.server.internal.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import nats.api.messaging.JetStreamTrace;
import nats.api.messaging.MessageOrigin;
import org.junit.jupiter.api.Test;

/**
 * The trace event's JSON against Go 2.11's msgtrace.go (MsgTraceEvent, MsgTraceIngress... json tags, omitempty
 * fields), the trace headers as Go reads and writes them, and when the event is published.
 */
class ActiveTraceTest {

    private final List<String[]> sent = new ArrayList<>();
    private final MessageTracer tracer = new MessageTracer(ActiveTraceTest::server,
            (account, subject, headers, payload) -> sent.add(new String[] {account, subject,
                    new String(payload, StandardCharsets.UTF_8)}),
            name -> name.equals("W3C") ? new MessageTracer.AccountTrace("w3c.dest", 100) : null,
            name -> !name.equals("GONE"));

    private static Map<String, Object> server() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", "S1");
        s.put("id", "NID");
        s.put("seq", 7);
        return s;
    }

    private static byte[] headers(String... lines) {
        StringBuilder sb = new StringBuilder("NATS/1.0\r\n");
        for (String l : lines) {
            sb.append(l).append("\r\n");
        }
        return sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private ActiveTrace client(byte[] h) {
        byte[] subject = "orders.new".getBytes(StandardCharsets.US_ASCII);
        return tracer.fromClient(h, 0, h.length, h.length + 5, 12, "app", "ACC", subject, 0, subject.length);
    }

    /** The JSON the tracer would publish, with timestamps replaced so the text can be compared whole. */
    private static String json(ActiveTrace t) {
        return new String(t.toJson(server()), StandardCharsets.UTF_8).replaceAll("\"ts\":\"[^\"]+\"", "\"ts\":\"T\"");
    }

    @Test
    void untracedHeadersAreSeenWithoutATrace() {
        assertFalse(TraceHeaders.mayTrace(headers("Nats-Msg-Id: 1", "X-Trace-Dest: a"), 0, 40));
        assertNull(client(headers("Nats-Msg-Id: 1", "Nats-Trace-Destination: x")), "a longer name is not the header");
        assertNull(client(headers("traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")),
                "traceparent in an account without msg_trace does not trace");
    }

    /** The scan reads eight bytes at a time: every alignment of the trace header, and of the block, is found. */
    @Test
    void theHeaderIsFoundWhereverItSits() {
        for (int pad = 0; pad < 20; pad++) {
            String filler = "X".repeat(pad);
            for (String name : List.of("Nats-Trace-Dest", "TRACEPARENT")) {
                byte[] h = headers("A: " + filler, name + ": v", "B: c");
                for (int shift = 0; shift < 9; shift++) {
                    byte[] shifted = new byte[h.length + shift];
                    System.arraycopy(h, 0, shifted, shift, h.length);
                    assertTrue(TraceHeaders.mayTrace(shifted, shift, h.length), name + " after " + pad + " at " + shift);
                }
                assertFalse(TraceHeaders.mayTrace(headers("A: " + filler, name + "x: v"), 0,
                        headers("A: " + filler, name + "x: v").length), "a longer name, padding " + pad);
                assertFalse(TraceHeaders.mayTrace(headers("A: " + filler + name + ": v"), 0,
                        headers("A: " + filler + name + ": v").length), "inside a value, padding " + pad);
            }
        }
    }

    @Test
    void aRefusedMessageIsReadAsGosGetHeaderReadsIt() {
        byte[] start = (new String(headers("Accept-Encoding: snappy", "Nats-Trace-Dest:   t.d"),
                StandardCharsets.ISO_8859_1) + "payload").getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("t.d", TraceHeaders.exactValue(start, 0, start.length, "Nats-Trace-Dest"), "spaces skipped");
        assertEquals("snappy", TraceHeaders.exactValue(start, 0, start.length, "Accept-Encoding"));
        byte[] lower = headers("nats-trace-dest: t.d");
        assertNull(TraceHeaders.exactValue(lower, 0, lower.length, "Nats-Trace-Dest"), "exact case only");
        byte[] cut = "NATS/1.0\r\nNats-Trace-Dest: par".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("par", TraceHeaders.exactValue(cut, 0, cut.length, "Nats-Trace-Dest"),
                "a read that ends inside the value gives what is there");
        byte[] inValue = headers("X: Nats-Trace-Dest: a", "Nats-Trace-Dest: b");
        assertNull(TraceHeaders.exactValue(inValue, 0, inValue.length, "Nats-Trace-Dest"),
                "only the first occurrence counts, and it does not start a line");
    }

    @Test
    void eventJsonHasGosFieldNamesAndOrder() {
        assertNull(client(headers("nats-trace-dest: my.trace")), "found in any case, but Go reads the destination "
                + "under its exact name: none, so no trace");
        ActiveTrace t = client(headers("Nats-Trace-Dest: my.trace", "App: a", "App: b"));
        t.mapped("orders.mapped");
        t.streamExport("B", "imported.new");
        t.serviceImport("C", "svc.in", "svc.out");
        t.clientEgress(3, "sub", "ACC", "orders.*", null, null);
        t.clientEgress(4, "", "C", "svc.out", "q", ActiveTrace.ERROR_SUB_DENY);
        String hop = t.nextHop();
        t.linkEgress(MessageOrigin.ROUTE, 9, "S2", hop, null);
        JetStreamTrace js = t.jetStream("ORDERS");
        js.completed("orders.mapped", true, "message size exceeds maximum allowed (10054)");
        assertEquals("{\"server\":{\"name\":\"S1\",\"id\":\"NID\",\"seq\":7},"
                + "\"request\":{\"header\":{\"App\":[\"a\",\"b\"],\"Nats-Trace-Dest\":[\"my.trace\"]},\"msgsize\":"
                + (headers("Nats-Trace-Dest: my.trace", "App: a", "App: b").length + 5) + "},"
                + "\"hops\":1,"
                + "\"events\":["
                + "{\"type\":\"in\",\"ts\":\"T\",\"kind\":0,\"cid\":12,\"name\":\"app\",\"acc\":\"ACC\",\"subj\":\"orders.new\"},"
                + "{\"type\":\"sm\",\"ts\":\"T\",\"to\":\"orders.mapped\"},"
                + "{\"type\":\"se\",\"ts\":\"T\",\"acc\":\"B\",\"to\":\"imported.new\"},"
                + "{\"type\":\"si\",\"ts\":\"T\",\"acc\":\"C\",\"from\":\"svc.in\",\"to\":\"svc.out\"},"
                + "{\"type\":\"eg\",\"ts\":\"T\",\"kind\":0,\"cid\":3,\"name\":\"sub\",\"sub\":\"orders.*\"},"
                + "{\"type\":\"eg\",\"ts\":\"T\",\"kind\":0,\"cid\":4,\"acc\":\"C\",\"sub\":\"svc.out\",\"queue\":\"q\","
                + "\"error\":\"Not delivered because subscription denies this subject\"},"
                + "{\"type\":\"eg\",\"ts\":\"T\",\"kind\":1,\"cid\":9,\"name\":\"S2\",\"hop\":\"1\"},"
                + "{\"type\":\"js\",\"ts\":\"T\",\"stream\":\"ORDERS\",\"subject\":\"orders.mapped\",\"nointerest\":true,"
                + "\"error\":\"message size exceeds maximum allowed (10054)\"}]}", json(t));
    }

    @Test
    void theEventWaitsForTheJetStreamEntry() throws Exception {
        ActiveTrace t = client(headers("Nats-Trace-Dest: my.trace"));
        JetStreamTrace js = t.jetStream("S");
        t.finish();
        Thread.sleep(100);
        assertTrue(sent.isEmpty(), "not before the stream is done");
        js.completed("orders.new", false, null);
        for (int i = 0; i < 100 && sent.isEmpty(); i++) {
            Thread.sleep(20);
        }
        assertEquals(1, sent.size(), "published once both are done");
        assertEquals("ACC", sent.get(0)[0], "in the origin account");
        assertEquals("my.trace", sent.get(0)[1]);
        assertTrue(sent.get(0)[2].contains("{\"type\":\"js\",\"ts\":\"") && sent.get(0)[2].contains("\"stream\":\"S\","
                + "\"subject\":\"orders.new\"}"), sent.get(0)[2]);
    }

    @Test
    void traceOnlyValuesAsGoReadsThem() {
        for (String v : List.of("1", "true", "TRUE", "on")) {
            assertTrue(client(headers("Nats-Trace-Dest: d", "Nats-Trace-Only: " + v)).traceOnly(), v);
        }
        for (String v : List.of("0", "false", "yes")) {
            assertFalse(client(headers("Nats-Trace-Dest: d", "Nats-Trace-Only: " + v)).traceOnly(), v);
        }
    }

    @Test
    void anInvalidDestinationDisablesTracingUnlessOnlyTheTraceWasAsked() {
        assertNull(client(headers("Nats-Trace-Dest: bad.*")), "wildcards are no publish subject");
        ActiveTrace only = client(headers("Nats-Trace-Dest: bad.>", "Nats-Trace-Only: true"));
        assertNotNull(only, "trace only keeps the trace so the message is still not delivered");
        only.finish();
        assertTrue(sent.isEmpty(), "but no event can be sent");
    }

    @Test
    void hopsAndOriginAccountForTheNextServer() {
        ActiveTrace t = client(headers("Nats-Trace-Dest: d", "Nats-Trace-Hop: stale"));
        assertEquals("1", t.nextHop());
        assertEquals("2", t.nextHop());
        String block = new String(t.headersForHop("OTHER", "2"), StandardCharsets.ISO_8859_1);
        assertEquals("NATS/1.0\r\nNats-Trace-Dest: d\r\nNats-Trace-Origin-Account: ACC\r\nNats-Trace-Hop: 2\r\n\r\n",
                block, "an earlier hop header is replaced, the origin account named when it differs");
        assertEquals("NATS/1.0\r\nNats-Trace-Dest: d\r\nNats-Trace-Hop: 1\r\n\r\n",
                new String(t.headersForHop("ACC", "1"), StandardCharsets.ISO_8859_1));
    }

    @Test
    void aLinkMessageContinuesTheHopAndUsesTheOriginAccount() {
        byte[] h = headers("Nats-Trace-Dest: d", "Nats-Trace-Hop: 1", "Nats-Trace-Origin-Account: ORIG");
        byte[] subject = "s".getBytes(StandardCharsets.US_ASCII);
        ActiveTrace t = tracer.fromLink(h, 0, h.length, h.length, MessageTracer.ROUTER, 5, "S0", "ACC", subject, 0, 1);
        assertEquals("ORIG", t.eventAccount(), "events go to the account the first server named");
        assertEquals("1.1", t.nextHop(), "hop ids nest");
        assertTrue(json(t).contains("{\"type\":\"in\",\"ts\":\"T\",\"kind\":1,\"cid\":5,\"name\":\"S0\",\"acc\":\"ACC\""),
                json(t));
        byte[] gone = headers("Nats-Trace-Dest: d", "Nats-Trace-Origin-Account: GONE");
        assertNull(tracer.fromLink(gone, 0, gone.length, gone.length, MessageTracer.ROUTER, 5, "S0", "ACC", subject,
                0, 1), "an unknown origin account disables the trace");
    }

    @Test
    void traceparentIsSampledByItsFlagAndLowerCasedInPlace() {
        byte[] h = headers("TraceParent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        byte[] subject = "s".getBytes(StandardCharsets.US_ASCII);
        ActiveTrace t = tracer.fromClient(h, 0, h.length, h.length, 1, "", "W3C", subject, 0, 1);
        assertNotNull(t, "sampled flag set, account has a destination");
        assertEquals("w3c.dest", t.dest());
        assertTrue(new String(h, StandardCharsets.ISO_8859_1).contains("\r\ntraceparent: "), "rewritten in lower case");
        byte[] off = headers("traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
        assertNull(tracer.fromClient(off, 0, off.length, off.length, 1, "", "W3C", subject, 0, 1), "not sampled");
        assertTrue(TraceHeaders.sampledFlag("00-a-b-03"));
        assertFalse(TraceHeaders.sampledFlag("00-a-b-1"), "two hex digits");
        assertFalse(TraceHeaders.sampledFlag("00-a-b"), "four fields");
    }

    @Test
    void disablingRenamesTheHeadersInPlace() {
        byte[] h = headers("Nats-Trace-Dest: d", "traceparent: x", "Other: Nats-Trace-Dest:");
        ActiveTrace.disableHeaders(h, 0, h.length);
        assertEquals("NATS/1.0\r\nXats-Trace-Dest: d\r\nXraceparent: x\r\nOther: Nats-Trace-Dest:\r\n\r\n",
                new String(h, StandardCharsets.ISO_8859_1));
        assertFalse(TraceHeaders.mayTrace(h, 0, h.length));
    }
}
