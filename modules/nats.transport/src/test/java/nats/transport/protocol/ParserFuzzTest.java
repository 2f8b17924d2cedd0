package nats.transport.protocol;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded fuzzing of the client protocol parser: random, generated and mutated inputs fed in random chunks.
 * The parser must either consume the input or throw {@link ProtocolException}; any other exception (or an
 * invariant broken in a callback, or a hang) is a bug. After a ProtocolException the connection would be
 * closed, so the next input gets a fresh parser.
 */
class ParserFuzzTest {

    private static final long SEED = 20_261_127L;
    private static final int INPUTS = 20_000;

    private static final String[] SUBJECTS = {"foo", "foo.bar", "a.b.c.d", "*", ">", "foo.*", "foo.>", "_INBOX.x1",
        "x".repeat(40)};
    private static final byte[] INTERESTING = bytes(" \t\r\n0123456789.*>{}\"'-+PSUBHINGCOKERMXpsubhingcokerx\0\u007f\u00ff");

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** One syntactically valid frame, as a client could send it. */
    static String wellFormedFrame(Random r) {
        String subject = SUBJECTS[r.nextInt(SUBJECTS.length)];
        String sep = r.nextInt(5) == 0 ? "\t" : r.nextInt(5) == 0 ? "  " : " ";
        String eol = r.nextInt(6) == 0 ? "\n" : "\r\n";
        String payload = randomPayload(r);
        return switch (r.nextInt(11)) {
            case 0 -> "CONNECT {\"verbose\":" + r.nextBoolean() + ",\"headers\":true}" + eol;
            case 1 -> (r.nextBoolean() ? "PING" : "ping") + eol;
            case 2 -> (r.nextBoolean() ? "PONG" : "pong") + eol;
            case 3 -> "SUB" + sep + subject + sep + (r.nextBoolean() ? "q" + sep : "") + r.nextInt(100) + eol;
            case 4 -> "UNSUB" + sep + r.nextInt(100) + (r.nextBoolean() ? sep + r.nextInt(10) : "") + eol;
            case 5, 6 -> "PUB" + sep + subject + sep + (r.nextBoolean() ? "reply" + sep : "") + payload.length() + eol
                    + payload + "\r\n";
            case 7, 8 -> {
                String headers = "NATS/1.0\r\nK: " + r.nextInt(1000) + "\r\n\r\n";
                yield "HPUB" + sep + subject + sep + (r.nextBoolean() ? "reply" + sep : "") + headers.length() + sep
                        + (headers.length() + payload.length()) + eol + headers + payload + "\r\n";
            }
            case 9 -> r.nextBoolean() ? "+OK" + eol : "-ERR 'x'" + eol;
            default -> "INFO {\"server_id\":\"" + r.nextInt() + "\"}" + eol;
        };
    }

    private static String randomPayload(Random r) {
        int len = switch (r.nextInt(4)) {
            case 0 -> 0;
            case 1 -> 1 + r.nextInt(8);
            case 2 -> r.nextInt(300);
            default -> r.nextInt(3000);
        };
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            sb.append(r.nextInt(8) == 0 ? (char) INTERESTING[r.nextInt(INTERESTING.length)] : (char) ('a' + r.nextInt(26)));
        }
        return sb.toString();
    }

    static byte[] generate(Random r) {
        int kind = r.nextInt(10);
        if (kind == 0) {
            byte[] noise = new byte[r.nextInt(300)];
            r.nextBytes(noise);
            return noise;
        }
        if (kind == 1) {
            byte[] noise = new byte[r.nextInt(300)];
            for (int i = 0; i < noise.length; i++) {
                noise[i] = INTERESTING[r.nextInt(INTERESTING.length)];
            }
            return noise;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int frames = 1 + r.nextInt(8);
        for (int i = 0; i < frames; i++) {
            out.writeBytes(bytes(wellFormedFrame(r)));
        }
        byte[] b = out.toByteArray();
        int mutations = kind == 2 ? 0 : 1 + r.nextInt(5);
        for (int m = 0; m < mutations; m++) {
            b = mutate(b, r);
        }
        return b;
    }

    static byte[] mutate(byte[] in, Random r) {
        if (in.length == 0) {
            return new byte[] {INTERESTING[r.nextInt(INTERESTING.length)]};
        }
        int at = r.nextInt(in.length);
        switch (r.nextInt(7)) {
            case 0 -> {
                byte[] out = in.clone();
                out[at] = r.nextBoolean() ? (byte) r.nextInt(256) : INTERESTING[r.nextInt(INTERESTING.length)];
                return out;
            }
            case 1 -> {
                byte[] out = new byte[in.length + 1];
                System.arraycopy(in, 0, out, 0, at);
                out[at] = INTERESTING[r.nextInt(INTERESTING.length)];
                System.arraycopy(in, at, out, at + 1, in.length - at);
                return out;
            }
            case 2 -> {
                int len = Math.min(in.length - at, 1 + r.nextInt(16));
                byte[] out = new byte[in.length - len];
                System.arraycopy(in, 0, out, 0, at);
                System.arraycopy(in, at + len, out, at, in.length - at - len);
                return out;
            }
            case 3 -> {
                int len = Math.min(in.length - at, 1 + r.nextInt(64));
                byte[] out = new byte[in.length + len];
                System.arraycopy(in, 0, out, 0, at + len);
                System.arraycopy(in, at, out, at + len, in.length - at);
                return out;
            }
            case 4 -> {
                return Arrays.copyOf(in, at);
            }
            case 5 -> {
                // Flip one bit.
                byte[] out = in.clone();
                out[at] ^= (byte) (1 << r.nextInt(8));
                return out;
            }
            default -> {
                for (int i = at; i < in.length; i++) {
                    if (in[i] >= '0' && in[i] <= '9') {
                        String n = switch (r.nextInt(4)) {
                            case 0 -> Integer.toString(r.nextInt(Integer.MAX_VALUE));
                            case 1 -> "99999999999999999999";
                            case 2 -> "-" + r.nextInt(10);
                            default -> Integer.toString(r.nextInt(100));
                        };
                        byte[] digits = bytes(n);
                        byte[] out = new byte[in.length - 1 + digits.length];
                        System.arraycopy(in, 0, out, 0, i);
                        System.arraycopy(digits, 0, out, i, digits.length);
                        System.arraycopy(in, i + 1, out, i + digits.length, in.length - i - 1);
                        return out;
                    }
                }
                return in;
            }
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void parserOnlyEverThrowsProtocolException() {
        Random r = new Random(SEED);
        int[] maxControlLines = {8, 64, 512, ClientProtocolParser.DEFAULT_MAX_CONTROL_LINE};
        int protocolErrors = 0;
        long callbacks = 0;
        long t0 = System.nanoTime();
        for (int n = 0; n < INPUTS; n++) {
            byte[] input = generate(r);
            int maxControlLine = maxControlLines[r.nextInt(maxControlLines.length)];
            RecordingHandler handler = new RecordingHandler();
            handler.openBeforeConnect = r.nextInt(4) != 0;
            handler.maxPayload = r.nextBoolean() ? 1024 * 1024 : 512;
            ClientProtocolParser parser = new ClientProtocolParser(handler, maxControlLine);
            byte[] buffer = new byte[input.length + 16];
            int from = 0;
            try {
                while (from < input.length || from == 0) {
                    int len = Math.min(input.length - from, r.nextInt(4) == 0 ? input.length : 1 + r.nextInt(64));
                    int offset = r.nextInt(8);
                    System.arraycopy(input, from, buffer, offset, len);
                    parser.parse(buffer, offset, len);
                    Arrays.fill(buffer, (byte) 'Z');
                    from += len;
                    if (input.length == 0) {
                        break;
                    }
                }
            } catch (ProtocolException e) {
                protocolErrors++;
                assertTrue(e.closeConnection(), "every parser error closes the connection");
            } catch (Throwable t) {
                fail("input #" + n + " (max_control_line " + maxControlLine + ", before-connect "
                        + handler.openBeforeConnect + ") threw " + t + "\nhex: " + HexFormat.of().formatHex(input)
                        + "\ntext: " + new String(input, StandardCharsets.ISO_8859_1), t);
            }
            callbacks += handler.events.size();
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("parser fuzz: %d inputs in %d ms, %d protocol errors, %d callbacks%n", INPUTS, millis,
                protocolErrors, callbacks);
        assertTrue(protocolErrors > INPUTS / 10, "the fuzzer should hit errors: " + protocolErrors);
        assertTrue(callbacks > INPUTS, "the fuzzer should reach callbacks: " + callbacks);
    }

    /** A parser that threw is not reused by the server; a fresh one must work normally afterwards. */
    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void freshParserAfterErrorWorks() throws ProtocolException {
        Random r = new Random(SEED + 1);
        for (int n = 0; n < 500; n++) {
            RecordingHandler bad = new RecordingHandler();
            try {
                new ClientProtocolParser(bad, 64).parse(generate(r), 0, 0);
                byte[] junk = generate(r);
                new ClientProtocolParser(bad, 64).parse(junk, 0, junk.length);
            } catch (ProtocolException expected) {
                // fine
            }
            RecordingHandler good = new RecordingHandler();
            ClientProtocolParser parser = new ClientProtocolParser(good, 4096);
            byte[] ok = bytes("PING\r\nPUB a 1\r\nx\r\n");
            parser.parse(ok, 0, ok.length);
            if (!good.events.equals(java.util.List.of("PING", "PUBARGS a||-1|1|1", "MSG a||-1|1|1 [x]"))) {
                fail("fresh parser misbehaves: " + good.events);
            }
        }
    }
}
