package nats.transport.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ClientProtocolParserTest {

    /** Offset at which chunks are placed in the read buffer, so the parser cannot assume offset 0. */
    private static final int OFFSET = 3;

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Parses {@code input} cut at {@code cuts}, like successive socket reads into one reused buffer: each
     * chunk is copied to the same array, and the array is overwritten with garbage after each call, so a
     * parser that kept a reference into an earlier read would be caught. A {@link ProtocolException} ends
     * the run and is recorded as {@code EXC <client error>}.
     */
    static List<String> parse(byte[] input, int[] cuts, int maxControlLine, RecordingHandler handler) {
        ClientProtocolParser parser = new ClientProtocolParser(handler, maxControlLine);
        byte[] buffer = new byte[input.length + OFFSET + 8];
        int from = 0;
        try {
            for (int c = 0; c <= cuts.length; c++) {
                int to = c < cuts.length ? cuts[c] : input.length;
                System.arraycopy(input, from, buffer, OFFSET, to - from);
                parser.parse(buffer, OFFSET, to - from);
                Arrays.fill(buffer, (byte) '#');
                from = to;
            }
        } catch (ProtocolException e) {
            handler.events.add("EXC " + e.clientError() + (e.closeConnection() ? " (close)" : ""));
        }
        return handler.events;
    }

    static List<String> parse(String input, int... cuts) {
        return parse(bytes(input), cuts, ClientProtocolParser.DEFAULT_MAX_CONTROL_LINE, new RecordingHandler());
    }

    static int[] everyByte(int length) {
        int[] cuts = new int[Math.max(0, length - 1)];
        for (int i = 1; i < length; i++) {
            cuts[i - 1] = i;
        }
        return cuts;
    }

    /**
     * Asserts that {@code input} gives {@code expected} whole, split in two at every position, and fed one
     * byte at a time.
     */
    static void assertSplitInvariant(String input, List<String> expected, int maxControlLine) {
        byte[] in = bytes(input);
        assertEquals(expected, parse(in, new int[0], maxControlLine, new RecordingHandler()), "whole: " + esc(input));
        for (int cut = 0; cut <= in.length; cut++) {
            assertEquals(expected, parse(in, new int[] {cut}, maxControlLine, new RecordingHandler()),
                    "split at " + cut + ": " + esc(input));
        }
        assertEquals(expected, parse(in, everyByte(in.length), maxControlLine, new RecordingHandler()),
                "one byte at a time: " + esc(input));
    }

    static void assertSplitInvariant(String input, String... expected) {
        assertSplitInvariant(input, List.of(expected), ClientProtocolParser.DEFAULT_MAX_CONTROL_LINE);
    }

    static String esc(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
    }

    // ---- single operations -----------------------------------------------------------------------------

    @Test
    void connect() {
        assertSplitInvariant("CONNECT {\"verbose\":false,\"name\":\"x y\"}\r\n",
                "CONNECT {\"verbose\":false,\"name\":\"x y\"}");
        assertSplitInvariant("connect {}\r\n", "CONNECT {}");
        assertSplitInvariant("CONNECT\t {}\r\n", "CONNECT {}");
        assertSplitInvariant("CONNECT{}\r\n", "CONNECT {}");
        assertSplitInvariant("CONNECT {}\n", "CONNECT {}");
    }

    @Test
    void pingAndPong() {
        assertSplitInvariant("PING\r\n", "PING");
        assertSplitInvariant("ping\r\n", "PING");
        assertSplitInvariant("PiNg\n", "PING");
        assertSplitInvariant("PING with trailing text\r\n", "PING");
        assertSplitInvariant("PONG\r\npong\r\n", "PONG", "PONG");
        assertSplitInvariant("PING\r\nPONG\r\nPING\r\n", "PING", "PONG", "PING");
    }

    @Test
    void pub() {
        assertSplitInvariant("PUB foo 5\r\nhello\r\n", "PUBARGS foo||-1|5|5", "MSG foo||-1|5|5 [hello]");
        assertSplitInvariant("PUB foo.bar reply.to 3\r\nabc\r\n", "PUBARGS foo.bar|reply.to|-1|3|3",
                "MSG foo.bar|reply.to|-1|3|3 [abc]");
        assertSplitInvariant("pub\tfoo\t\tbar  2 \r\nhi\r\n", "PUBARGS foo|bar|-1|2|2", "MSG foo|bar|-1|2|2 [hi]");
        assertSplitInvariant("PUB foo 007\r\n1234567\r\n", "PUBARGS foo||-1|7|007", "MSG foo||-1|7|007 [1234567]");
        assertSplitInvariant("PUB foo 2\nhi\r\n", "PUBARGS foo||-1|2|2", "MSG foo||-1|2|2 [hi]");
    }

    @Test
    void zeroLengthPayload() {
        assertSplitInvariant("PUB foo 0\r\n\r\n", "PUBARGS foo||-1|0|0", "MSG foo||-1|0|0 []");
        assertSplitInvariant("PUB foo r 0\r\n\r\nPING\r\n", "PUBARGS foo|r|-1|0|0", "MSG foo|r|-1|0|0 []", "PING");
    }

    @Test
    void payloadContainingCrLfAndProtocolText() {
        String payload = "a\r\nPING\r\nPUB x 1\r\n\r\n";
        assertSplitInvariant("PUB foo " + payload.length() + "\r\n" + payload + "\r\nPONG\r\n",
                "PUBARGS foo||-1|" + payload.length() + "|" + payload.length(),
                "MSG foo||-1|" + payload.length() + "|" + payload.length() + " [" + payload + "]", "PONG");
    }

    @Test
    void binaryPayload() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 256; i++) {
            sb.append((char) i);
        }
        String payload = sb.toString();
        assertSplitInvariant("PUB bin 256\r\n" + payload + "\r\n", "PUBARGS bin||-1|256|256",
                "MSG bin||-1|256|256 [" + payload + "]");
    }

    @Test
    void largePayloadLargerThanInternalBuffers() {
        String payload = "x".repeat(5000);
        byte[] in = bytes("PUB big 5000\r\n" + payload + "\r\nPING\r\n");
        List<String> expected = List.of("PUBARGS big||-1|5000|5000", "MSG big||-1|5000|5000 [" + payload + "]", "PING");
        assertEquals(expected, parse(in, new int[0], 4096, new RecordingHandler()));
        for (int cut = 0; cut <= in.length; cut += 37) {
            assertEquals(expected, parse(in, new int[] {cut}, 4096, new RecordingHandler()), "cut " + cut);
        }
        assertEquals(expected, parse(in, new int[] {5, 13, 14, 15, 1000, 5013, 5014, 5015, 5016}, 4096,
                new RecordingHandler()));
        assertEquals(expected, parse(in, everyByte(in.length), 4096, new RecordingHandler()));
    }

    @Test
    void hpub() {
        String headers = "NATS/1.0\r\nA: b\r\n\r\n";
        int hdr = headers.length();
        assertSplitInvariant("HPUB foo " + hdr + " " + (hdr + 5) + "\r\n" + headers + "hello\r\n",
                "PUBARGS foo||" + hdr + "|" + (hdr + 5) + "|" + (hdr + 5),
                "MSG foo||" + hdr + "|" + (hdr + 5) + "|" + (hdr + 5) + " [" + headers + "hello]");
        assertSplitInvariant("hpub foo reply " + hdr + " " + hdr + "\r\n" + headers + "\r\n",
                "PUBARGS foo|reply|" + hdr + "|" + hdr + "|" + hdr,
                "MSG foo|reply|" + hdr + "|" + hdr + "|" + hdr + " [" + headers + "]");
        assertSplitInvariant("HPUB foo 0 0\r\n\r\n", "PUBARGS foo||0|0|0", "MSG foo||0|0|0 []");
    }

    @Test
    void hpubHeaderSizeLargerThanTotalIsRejected() {
        assertSplitInvariant("HPUB foo 10 5\r\n0123456789\r\n", "EXC  (close)");
    }

    @Test
    void subAndUnsub() {
        assertSplitInvariant("SUB foo 1\r\n", "SUB foo 1");
        assertSplitInvariant("SUB foo.* queue 22\r\n", "SUB foo.* queue 22");
        assertSplitInvariant("sub\t>\t3\n", "SUB >\t3");
        assertSplitInvariant("UNSUB 1\r\n", "UNSUB 1");
        assertSplitInvariant("unsub 1 10\r\n", "UNSUB 1 10");
    }

    @Test
    void infoErrAndOk() {
        assertSplitInvariant("INFO {\"a\":1}\r\n", "INFO {\"a\":1}");
        assertSplitInvariant("-ERR 'Unknown Protocol Operation'\r\n", "ERR 'Unknown Protocol Operation'");
        assertSplitInvariant("+OK\r\n");
        assertSplitInvariant("+OK\r\nPING\r\n", "PING");
    }

    @Test
    void manyFramesInOneInput() {
        String headers = "NATS/1.0\r\n\r\n";
        String input = "CONNECT {\"verbose\":false,\"headers\":true}\r\n"
                + "SUB foo 1\r\nSUB bar q 2\r\n"
                + "PUB foo 3\r\nabc\r\n"
                + "PUB foo rep 0\r\n\r\n"
                + "HPUB bar 12 14\r\n" + headers + "hi\r\n"
                + "UNSUB 1\r\n"
                + "PING\r\nPONG\r\n+OK\r\n"
                + "INFO {}\r\n"
                + "PUB x 4\r\n\r\n\r\n\r\n"
                + "-ERR 'bye'\r\n";
        assertSplitInvariant(input,
                "CONNECT {\"verbose\":false,\"headers\":true}",
                "SUB foo 1", "SUB bar q 2",
                "PUBARGS foo||-1|3|3", "MSG foo||-1|3|3 [abc]",
                "PUBARGS foo|rep|-1|0|0", "MSG foo|rep|-1|0|0 []",
                "PUBARGS bar||12|14|14", "MSG bar||12|14|14 [" + headers + "hi]",
                "UNSUB 1", "PING", "PONG", "INFO {}",
                "PUBARGS x||-1|4|4", "MSG x||-1|4|4 [\r\n\r\n]",
                "ERR 'bye'");
    }

    // ---- errors ----------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"FOO\r\n", "\r\n", "\n", "MSG foo 1 2\r\nhi\r\n", "PUBX\r\n", "PINX\r\n", "SUBfoo 1\r\n",
        "UNSUB\r\n", "HPUBfoo\r\n", "+OX\r\n", "-ERX\r\n", "CONNEXT {}\r\n", "INFX {}\r\n", "\u0000", "\u00ff",
        " PING\r\n", "P\r\n"})
    void unknownOperations(String input) {
        assertSplitInvariant(input, "EXC Unknown Protocol Operation (close)");
    }

    @Test
    void errorAfterValidFramesKeepsEarlierCallbacks() {
        assertSplitInvariant("PING\r\nSUB foo 1\r\nXYZ\r\nPING\r\n", "PING", "SUB foo 1",
                "EXC Unknown Protocol Operation (close)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PUB foo\r\n", "PUB foo -1\r\n", "PUB foo abc\r\n", "PUB foo 1234567890\r\n",
        "PUB foo bar baz 1\r\n", "PUB a b c d e\r\n", "HPUB foo 1\r\n", "HPUB foo x 1\r\n", "HPUB foo 1 x\r\n",
        "PUB  \r\n", "HPUB a b c d e f\r\n"})
    void malformedPublishArgumentsCloseSilently(String input) {
        assertSplitInvariant(input, "EXC  (close)");
    }

    @Test
    void payloadLongerThanDeclared() {
        assertSplitInvariant("PUB foo 2\r\nhello\r\n", "PUBARGS foo||-1|2|2", "EXC Unknown Protocol Operation (close)");
        assertSplitInvariant("PUB foo 2\r\nhi\nX", "PUBARGS foo||-1|2|2", "EXC Unknown Protocol Operation (close)");
        assertSplitInvariant("PUB foo 2\r\nhi\rX", "PUBARGS foo||-1|2|2", "EXC Unknown Protocol Operation (close)");
    }

    @Test
    void incompleteFramesProduceNothingYet() {
        assertEquals(List.of(), parse("PUB foo 5\r"));
        assertEquals(List.of("PUBARGS foo||-1|5|5"), parse("PUB foo 5\r\nhel"));
        assertEquals(List.of("PUBARGS foo||-1|5|5"), parse("PUB foo 5\r\nhello\r"));
        assertEquals(List.of(), parse("SUB foo 1\r"));
        assertEquals(List.of(), parse("PIN"));
        assertEquals(List.of(), parse("CONNECT {"));
    }

    @Test
    void operationsBeforeConnectWhenAuthenticationIsRequired() {
        for (String op : List.of("PING\r\n", "PUB foo 1\r\nx\r\n", "SUB foo 1\r\n", "+OK\r\n", "-ERR 'x'\r\n",
                "INFO {}\r\n", "\r\n", "X")) {
            RecordingHandler h = new RecordingHandler();
            h.openBeforeConnect = false;
            assertEquals(List.of("EXC Authorization Violation (close)"), parse(bytes(op), new int[0], 4096, h), op);
        }
        RecordingHandler h = new RecordingHandler();
        h.openBeforeConnect = false;
        assertEquals(List.of("CONNECT {}", "PING"),
                parse(bytes("CONNECT {}\r\nPING\r\n"), new int[] {3, 13}, 4096, h));
        h = new RecordingHandler();
        h.openBeforeConnect = false;
        assertEquals(List.of("CONNECT {}"), parse(bytes("connect {}\r\n"), new int[0], 4096, h));
    }

    @Test
    void handlerExceptionsPropagate() {
        RecordingHandler h = new RecordingHandler();
        h.maxPayload = 4;
        assertEquals(List.of("EXC Maximum Payload Violation (close)"),
                parse(bytes("PUB foo 5\r\nhello\r\n"), new int[0], 4096, h));
        h = new RecordingHandler();
        h.maxPayload = 5;
        assertEquals(List.of("PUBARGS foo||-1|5|5", "MSG foo||-1|5|5 [hello]"),
                parse(bytes("PUB foo 5\r\nhello\r\n"), new int[] {9}, 4096, h));
    }

    // ---- max control line ------------------------------------------------------------------------------

    static List<String> controlLineOps() {
        return List.of("SUB %s 1", "UNSUB %s", "PUB %s 0\r\n", "HPUB %s 0 0\r\n", "CONNECT {\"n\":\"%s\"}",
                "INFO {\"n\":\"%s\"}", "-ERR '%s'");
    }

    @ParameterizedTest
    @MethodSource("controlLineOps")
    void maxControlLine(String template) {
        int max = 64;
        // Find the filler length that makes the argument exactly max bytes long.
        String op = template.substring(0, template.indexOf(' ') + 1);
        String argTemplate = template.substring(op.length()).replaceAll("\r\n$", "");
        int fixed = argTemplate.length() - 2;
        String exact = op + argTemplate.replace("%s", "s".repeat(max - fixed)) + "\r\n";
        String over = op + argTemplate.replace("%s", "s".repeat(max - fixed + 1)) + "\r\n";
        String suffix = template.endsWith("\r\n") ? "\r\n" : "";
        List<String> ok = parse(bytes(exact + suffix), new int[0], max, new RecordingHandler());
        assertFalse(ok.isEmpty(), exact);
        assertFalse(ok.getLast().startsWith("EXC"), "exactly max_control_line must pass: " + ok);
        List<String> expectedOver = List.of("EXC maximum control line exceeded (close)");
        assertEquals(expectedOver, parse(bytes(over + suffix), new int[0], max, new RecordingHandler()), over);
        byte[] in = bytes(over + suffix);
        for (int cut = 0; cut <= in.length; cut++) {
            assertEquals(expectedOver, parse(in, new int[] {cut}, max, new RecordingHandler()), "cut " + cut);
        }
        assertEquals(expectedOver, parse(in, everyByte(in.length), max, new RecordingHandler()));
    }

    @Test
    void maxControlLineIsCheckedBeforeTheLineEnds() {
        // An endless argument must be refused once it is too long, not buffered until a newline arrives.
        ClientProtocolParser parser = new ClientProtocolParser(new RecordingHandler(), 128);
        byte[] chunk = bytes("s".repeat(100));
        ProtocolException e = assertThrows(ProtocolException.class, () -> {
            parser.parse(bytes("SUB "), 0, 4);
            for (int i = 0; i < 10_000; i++) {
                parser.parse(chunk, 0, chunk.length);
            }
        });
        assertEquals("maximum control line exceeded", e.clientError());
        assertTrue(e.closeConnection());
    }

    @Test
    void payloadIsNotLimitedByMaxControlLine() {
        String payload = "p".repeat(1000);
        RecordingHandler h = new RecordingHandler();
        byte[] in = bytes("PUB foo 1000\r\n" + payload + "\r\n");
        assertEquals(List.of("PUBARGS foo||-1|1000|1000", "MSG foo||-1|1000|1000 [" + payload + "]"),
                parse(in, new int[] {20, 500}, 32, h));
    }

    // ---- PubArgs ---------------------------------------------------------------------------------------

    @Test
    void parseSize() {
        assertEquals(0, PubArgs.parseSize(bytes("0"), 0, 1));
        assertEquals(123, PubArgs.parseSize(bytes("123"), 0, 3));
        assertEquals(999_999_999, PubArgs.parseSize(bytes("999999999"), 0, 9));
        assertEquals(-1, PubArgs.parseSize(bytes("1000000000"), 0, 10), "more than 9 digits");
        assertEquals(-1, PubArgs.parseSize(bytes(""), 0, 0));
        assertEquals(-1, PubArgs.parseSize(bytes("-1"), 0, 2));
        assertEquals(-1, PubArgs.parseSize(bytes("1a"), 0, 2));
        assertEquals(-1, PubArgs.parseSize(bytes("+1"), 0, 2));
        assertEquals(45, PubArgs.parseSize(bytes("x45y"), 1, 3));
    }

    @Test
    void pubArgsTokenizing() {
        PubArgs a = new PubArgs();
        byte[] line = bytes("  foo \t bar  12 ");
        assertEquals(null, a.parse(line, 0, line.length, false));
        assertEquals("foo", a.subject());
        assertEquals("bar", a.reply());
        assertEquals(12, a.totalSize());
        assertEquals(-1, a.headerSize());
        assertFalse(a.hasHeaders());
        line = bytes("foo 3 10");
        assertEquals(null, a.parse(line, 0, line.length, true));
        assertEquals(0, a.replyLength());
        assertEquals(3, a.headerSize());
        assertEquals(10, a.totalSize());
        assertTrue(a.hasHeaders());
        line = bytes("foo");
        assertTrue(a.parse(line, 0, line.length, false) != null);
        line = bytes("a b c d e");
        assertTrue(a.parse(line, 0, line.length, true) != null);
    }

    // ---- random well-formed streams: callbacks independent of how the bytes are split ----------------

    @Test
    void randomWellFormedStreamsAreSplitInvariant() {
        java.util.Random random = new java.util.Random(7);
        for (int round = 0; round < 1500; round++) {
            StringBuilder sb = new StringBuilder();
            int frames = 1 + random.nextInt(10);
            for (int f = 0; f < frames; f++) {
                sb.append(ParserFuzzTest.wellFormedFrame(random));
            }
            byte[] in = bytes(sb.toString());
            List<String> whole = parse(in, new int[0], 4096, new RecordingHandler());
            assertFalse(whole.stream().anyMatch(e -> e.startsWith("EXC")), () -> esc(sb.toString()) + " -> " + whole);
            int[] cuts = randomCuts(random, in.length);
            assertEquals(whole, parse(in, cuts, 4096, new RecordingHandler()),
                    () -> esc(sb.toString()) + " cut at " + Arrays.toString(cuts));
            if (round % 10 == 0) {
                assertEquals(whole, parse(in, everyByte(in.length), 4096, new RecordingHandler()));
            }
        }
    }

    static int[] randomCuts(java.util.Random random, int length) {
        int n = random.nextInt(Math.min(12, length + 1));
        List<Integer> cuts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            cuts.add(random.nextInt(length + 1));
        }
        return cuts.stream().sorted().mapToInt(Integer::intValue).toArray();
    }
}
