package nats.server.internal.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import nats.api.messaging.MessageOrigin;
import nats.api.messaging.MessageTrace;
import nats.transport.json.Json;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The differential check available without a Go 2.11 binary (only 2.9.10, which has no tracing, is installed):
 * our events and error texts against Go 2.11.0's own {@code server/msgtrace.go}, read from a local clone of
 * nats-server when there is one ({@code NATS_SERVER_GIT}, default {@code /work/.mirror/nats-io+nats-server/repo});
 * skipped otherwise. Each entry's fields must be exactly the struct's json tags (every field that is not
 * {@code omitempty} present), in the struct's order, and every {@code errMsgTrace...} text must be ours.
 */
class GoMsgTraceSourceTest {

    private static String goSource() throws Exception {
        Path repo = Path.of(System.getenv().getOrDefault("NATS_SERVER_GIT", "/work/.mirror/nats-io+nats-server/repo"));
        Assumptions.assumeTrue(Files.isDirectory(repo), "no nats-server clone at " + repo);
        Process git = new ProcessBuilder("git", "-C", repo.toString(), "show", "v2.11.0:server/msgtrace.go")
                .redirectErrorStream(true).start();
        String text = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Assumptions.assumeTrue(git.waitFor() == 0, "v2.11.0 not in the clone: " + text);
        return text;
    }

    /** struct name -> json tags in order, with ",omitempty" kept; embedded MsgTraceBase expanded. */
    private static Map<String, List<String>> structs(String source) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("type (MsgTrace\\w*) struct \\{(.*?)\\n}", Pattern.DOTALL).matcher(source);
        while (m.find()) {
            List<String> tags = new ArrayList<>();
            for (String line : m.group(2).split("\n")) {
                String l = line.strip();
                if (l.equals("MsgTraceBase")) {
                    tags.addAll(out.get("MsgTraceBase"));
                    continue;
                }
                Matcher tag = Pattern.compile("json:\"([^\"]+)\"").matcher(l);
                if (tag.find() && !tag.group(1).equals("-")) {
                    tags.add(tag.group(1));
                }
            }
            out.put(m.group(1), tags);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    @Test
    void entriesHaveGosFieldsInGosOrder() throws Exception {
        Map<String, List<String>> go = structs(goSource());
        MessageTracer tracer = new MessageTracer(() -> Map.of("name", "S"), (a, s, h, p) -> true, n -> null, n -> true);
        byte[] h = "NATS/1.0\r\nNats-Trace-Dest: d\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        ActiveTrace t = tracer.fromClient(h, 0, h.length, h.length + 1, 1, "c", "A", new byte[] {'s'}, 0, 1);
        t.ingressError("denied");
        t.mapped("m");
        t.streamExport("B", "to");
        t.serviceImport("C", "from", "to");
        t.jetStream("S").completed("subj", true, "err");
        t.clientEgress(2, "n", "X", "sub", "q", "e");
        t.linkEgress(MessageOrigin.ROUTE, 3, "peer", t.nextHop(), "e");
        Map<String, Object> event = (Map<String, Object>) Json.parse(new String(t.toJson(Map.of("name", "S")),
                StandardCharsets.UTF_8));
        assertEquals(names(go.get("MsgTraceEvent")), List.copyOf(event.keySet()), "MsgTraceEvent");
        assertEquals(names(go.get("MsgTraceRequest")), List.copyOf(((Map<String, Object>) event.get("request")).keySet()),
                "MsgTraceRequest");
        Map<String, String> structOf = Map.of("in", "MsgTraceIngress", "sm", "MsgTraceSubjectMapping",
                "se", "MsgTraceStreamExport", "si", "MsgTraceServiceImport", "js", "MsgTraceJetStream",
                "eg", "MsgTraceEgress");
        for (Map<String, Object> entry : (List<Map<String, Object>>) event.get("events")) {
            String struct = structOf.get((String) entry.get("type"));
            List<String> tags = go.get(struct);
            if (struct.equals("MsgTraceEgress")) {
                // A client egress has no hop, a link egress no account, subscription or queue: Go's order, a subset.
                List<String> keys = List.copyOf(entry.keySet());
                List<String> inGoOrder = names(tags).stream().filter(keys::contains).toList();
                assertEquals(inGoOrder, keys, "egress fields are Go's, in Go's order");
                assertTrue(keys.containsAll(required(tags)), "egress has Go's required fields: " + keys);
            } else {
                assertEquals(names(tags), List.copyOf(entry.keySet()), struct + " with every field set");
            }
        }
        // With the optional fields empty, exactly the fields Go always writes remain.
        ActiveTrace bare = tracer.fromClient(h, 0, h.length, 0, 1, "", "A", new byte[] {'s'}, 0, 1);
        bare.clientEgress(2, "", "A", "", null, null);
        Map<String, Object> bareEvent = (Map<String, Object>) Json.parse(new String(bare.toJson(Map.of()),
                StandardCharsets.UTF_8));
        assertEquals(required(go.get("MsgTraceEvent")), List.copyOf(bareEvent.keySet()), "MsgTraceEvent, empty");
        List<Map<String, Object>> entries = (List<Map<String, Object>>) bareEvent.get("events");
        assertEquals(required(go.get("MsgTraceIngress")), List.copyOf(entries.get(0).keySet()), "ingress, empty");
        assertEquals(required(go.get("MsgTraceEgress")), List.copyOf(entries.get(1).keySet()), "egress, empty");
    }

    @Test
    void errorTextsAreGos() throws Exception {
        String source = goSource();
        Map<String, String> ours = Map.of(
                "errMsgTraceOnlyNoSupport", MessageTrace.ERROR_TRACE_ONLY_NOT_SUPPORTED,
                "errMsgTraceNoSupport", MessageTrace.ERROR_NOT_SUPPORTED,
                "errMsgTraceNoEcho", ActiveTrace.ERROR_NO_ECHO,
                "errMsgTracePubViolation", ActiveTrace.ERROR_PUB_VIOLATION,
                "errMsgTraceSubDeny", ActiveTrace.ERROR_SUB_DENY,
                "errMsgTraceSubClosed", ActiveTrace.ERROR_SUB_CLOSED,
                "errMsgTraceClientClosed", ActiveTrace.ERROR_CLIENT_CLOSED,
                "errMsgTraceAutoSubExceeded", ActiveTrace.ERROR_AUTO_SUB_EXCEEDED);
        for (Map.Entry<String, String> e : ours.entrySet()) {
            Matcher m = Pattern.compile(e.getKey() + "\\s*=\\s*\"([^\"]*)\"").matcher(source);
            assertTrue(m.find(), e.getKey() + " in Go's source");
            assertEquals(m.group(1), e.getValue(), e.getKey());
        }
        for (String header : List.of(MessageTrace.DEST_HEADER, MessageTrace.HOP_HEADER,
                MessageTrace.ORIGIN_ACCOUNT_HEADER, MessageTrace.ONLY_HEADER)) {
            assertTrue(source.contains("\"" + header + "\""), header + " is Go's header name");
        }
    }

    private static List<String> names(List<String> tags) {
        return tags.stream().map(t -> t.split(",")[0]).toList();
    }

    private static List<String> required(List<String> tags) {
        return tags.stream().filter(t -> !t.contains("omitempty")).map(t -> t.split(",")[0]).toList();
    }
}
