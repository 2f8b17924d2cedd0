package nats.server.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import nats.server.NatsServer;
import nats.server.options.ServerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * End-to-end fuzzing: hundreds of random and mutated byte sequences, each on a fresh connection, against a
 * running jnatsd. Afterwards the server must still serve a normal client, every fuzz connection must be
 * gone, and nothing but I/O errors may have ended a reader (the server logs other exceptions there).
 */
class ServerFuzzTest {

    private static final long SEED = 0x5EED_F022L;
    private static final int INPUTS = 300;

    private static final String[] FRAMES = {
        "CONNECT {\"verbose\":false}\r\n",
        "CONNECT {\"verbose\":true,\"pedantic\":true}\r\n",
        "CONNECT {\"verbose\":false,\"headers\":true,\"no_responders\":true}\r\n",
        "CONNECT {\"echo\":false,\"protocol\":1}\r\n",
        "PING\r\n",
        "PONG\r\n",
        "SUB foo 1\r\n",
        "SUB foo.* q 2\r\n",
        "SUB > 3\r\n",
        "SUB fuzz.reply 4\r\n",
        "UNSUB 1\r\n",
        "UNSUB 2 3\r\n",
        "PUB foo 5\r\nhello\r\n",
        "PUB foo.bar fuzz.reply 3\r\nabc\r\n",
        "PUB nobody fuzz.reply 0\r\n\r\n",
        "HPUB foo 12 14\r\nNATS/1.0\r\n\r\nhi\r\n",
        "HPUB foo.x rep 22 22\r\nNATS/1.0\r\nA: bcdef\r\n\r\n\r\n",
        "+OK\r\n",
        "-ERR 'fuzz'\r\n",
        "INFO {}\r\n",
        "pub foo 1\r\nx\r\n",
        "SUB\tfoo\t5\r\n",
    };
    private static final byte[] INTERESTING = " \t\r\n0123456789.*>{}\"-+PSUBHINGCOKER\0\u00ff"
            .getBytes(StandardCharsets.ISO_8859_1);

    @Test
    @Timeout(value = 40, unit = TimeUnit.SECONDS)
    void randomAndMutatedInputsDoNotHurtTheServer() throws Exception {
        LogCapture capture = LogCapture.attach("nats.server");
        NatsServer server = NatsServer.start(new ServerOptions().host("127.0.0.1").port(ServerOptions.RANDOM_PORT)
                .maxPayload(64 * 1024));
        try {
            Random random = new Random(SEED);
            List<byte[]> inputs = new ArrayList<>();
            for (int i = 0; i < INPUTS; i++) {
                inputs.add(generate(random));
            }
            AtomicInteger next = new AtomicInteger();
            AtomicInteger closedByServer = new AtomicInteger();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> workers = new ArrayList<>();
                for (int w = 0; w < 12; w++) {
                    workers.add(pool.submit(() -> {
                        for (int i; (i = next.getAndIncrement()) < inputs.size(); ) {
                            if (sendOne(server.port(), inputs.get(i), new Random(SEED + i))) {
                                closedByServer.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : workers) {
                    f.get(30, TimeUnit.SECONDS);
                }
            }
            System.out.println("server fuzz: " + INPUTS + " inputs, " + closedByServer.get()
                    + " connections closed by the server");

            // Every fuzz connection is gone (closed by the server or after our close).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.clientCount() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(0, server.clientCount(), "fuzz connections still registered");

            // And the server still works for a well-behaved client.
            try (Connection nc = Nats.connect("nats://127.0.0.1:" + server.port())) {
                Subscription sub = nc.subscribe("after.fuzz");
                nc.flush(Duration.ofSeconds(2));
                nc.publish("after.fuzz", "alive".getBytes(StandardCharsets.UTF_8));
                Message m = sub.nextMessage(Duration.ofSeconds(2));
                assertNotNull(m, "server no longer delivers messages after fuzzing");
                assertEquals("alive", new String(m.getData(), StandardCharsets.UTF_8));
            }
            List<String> unexpected = capture.unexpected();
            System.out.println("server fuzz: " + capture.lineCount() + " log lines captured");
            assertTrue(unexpected.isEmpty(), "unexpected errors logged while fuzzing:\n" + String.join("\n", unexpected));
        } finally {
            server.shutdown();
            capture.detach();
        }
    }

    static boolean isExpectedException(String exception) {
        return exception.startsWith("java.io.") || exception.startsWith("java.net.")
                || exception.startsWith("java.nio.channels.")
                || exception.equals("nats.transport.protocol.ProtocolException");
    }

    /**
     * Captures what the server logs through {@code System.Logger}, which on the test class path is backed
     * by java.util.logging. The test classes are compiled into the {@code nats.server} module, which does
     * not read {@code java.logging}, hence reflection (at run time everything is on the class path).
     */
    static final class LogCapture {
        private static final Pattern EXCEPTION = Pattern.compile("\\b((?:java|javax|jdk|nats|sun)\\.[\\w.$]*(?:Exception|Error))\\b");
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final Object logger;
        private final Object handler;
        private final Object previousLevel;
        private final Class<?> levelClass;

        private LogCapture(String name) throws ReflectiveOperationException {
            Class<?> loggerClass = Class.forName("java.util.logging.Logger");
            Class<?> handlerClass = Class.forName("java.util.logging.Handler");
            Class<?> formatterClass = Class.forName("java.util.logging.Formatter");
            levelClass = Class.forName("java.util.logging.Level");
            Object all = levelClass.getField("ALL").get(null);
            Object formatter = Class.forName("java.util.logging.SimpleFormatter").getConstructor().newInstance();
            handler = Class.forName("java.util.logging.StreamHandler")
                    .getConstructor(java.io.OutputStream.class, formatterClass).newInstance(out, formatter);
            handlerClass.getMethod("setLevel", levelClass).invoke(handler, all);
            logger = loggerClass.getMethod("getLogger", String.class).invoke(null, name);
            previousLevel = loggerClass.getMethod("getLevel").invoke(logger);
            loggerClass.getMethod("setLevel", levelClass).invoke(logger, all);
            loggerClass.getMethod("addHandler", handlerClass).invoke(logger, handler);
        }

        static LogCapture attach(String name) throws ReflectiveOperationException {
            return new LogCapture(name);
        }

        private String text() throws ReflectiveOperationException {
            handler.getClass().getMethod("flush").invoke(handler);
            synchronized (out) {
                return out.toString(StandardCharsets.UTF_8);
            }
        }

        int lineCount() throws ReflectiveOperationException {
            return (int) text().lines().count();
        }

        /** SEVERE or WARNING records, and any exception other than an I/O error. */
        List<String> unexpected() throws ReflectiveOperationException {
            List<String> bad = new ArrayList<>();
            for (String line : text().lines().toList()) {
                if (line.startsWith("SEVERE:") || line.startsWith("WARNING:")) {
                    bad.add(line);
                    continue;
                }
                Matcher m = EXCEPTION.matcher(line);
                while (m.find()) {
                    if (!isExpectedException(m.group(1))) {
                        bad.add(line);
                        break;
                    }
                }
            }
            return bad;
        }

        void detach() throws ReflectiveOperationException {
            Class<?> loggerClass = logger.getClass();
            loggerClass.getMethod("removeHandler", Class.forName("java.util.logging.Handler")).invoke(logger, handler);
            loggerClass.getMethod("setLevel", levelClass).invoke(logger, previousLevel);
        }
    }

    /** Sends one input (in a few chunks), reads until the server closes or goes quiet; true if it closed. */
    private static boolean sendOne(int port, byte[] input, Random random) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(40);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            int chunks = 1 + random.nextInt(3);
            int from = 0;
            try {
                for (int c = 0; c < chunks && from < input.length; c++) {
                    int to = c == chunks - 1 ? input.length : from + random.nextInt(input.length - from + 1);
                    out.write(input, from, to - from);
                    out.flush();
                    from = to;
                }
            } catch (IOException e) {
                // The server already closed the connection.
                return true;
            }
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
            while (System.nanoTime() < deadline) {
                try {
                    int n = in.read(buf);
                    if (n < 0) {
                        return true;
                    }
                    received.write(buf, 0, n);
                } catch (SocketTimeoutException e) {
                    return false;
                } catch (IOException e) {
                    return true;
                }
            }
            return false;
        }
    }

    static byte[] generate(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int kind = random.nextInt(10);
        if (kind == 0) {
            // Pure noise.
            byte[] noise = new byte[1 + random.nextInt(200)];
            random.nextBytes(noise);
            return noise;
        }
        if (kind < 8) {
            out.writeBytes(FRAMES[random.nextInt(4)].getBytes(StandardCharsets.ISO_8859_1));
        }
        int frames = 1 + random.nextInt(8);
        for (int i = 0; i < frames; i++) {
            out.writeBytes(FRAMES[random.nextInt(FRAMES.length)].getBytes(StandardCharsets.ISO_8859_1));
        }
        byte[] bytes = out.toByteArray();
        int mutations = random.nextInt(4);
        for (int m = 0; m < mutations; m++) {
            bytes = mutate(bytes, random);
        }
        return bytes;
    }

    static byte[] mutate(byte[] in, Random random) {
        if (in.length == 0) {
            return new byte[] {INTERESTING[random.nextInt(INTERESTING.length)]};
        }
        int at = random.nextInt(in.length);
        switch (random.nextInt(6)) {
            case 0 -> {
                byte[] out = in.clone();
                out[at] = (byte) (random.nextBoolean() ? random.nextInt(256) : INTERESTING[random.nextInt(INTERESTING.length)]);
                return out;
            }
            case 1 -> {
                byte[] out = new byte[in.length + 1];
                System.arraycopy(in, 0, out, 0, at);
                out[at] = INTERESTING[random.nextInt(INTERESTING.length)];
                System.arraycopy(in, at, out, at + 1, in.length - at);
                return out;
            }
            case 2 -> {
                int len = Math.min(in.length - at, 1 + random.nextInt(8));
                byte[] out = new byte[in.length - len];
                System.arraycopy(in, 0, out, 0, at);
                System.arraycopy(in, at + len, out, at, in.length - at - len);
                return out;
            }
            case 3 -> {
                int len = Math.min(in.length - at, 1 + random.nextInt(32));
                byte[] out = new byte[in.length + len];
                System.arraycopy(in, 0, out, 0, at + len);
                System.arraycopy(in, at, out, at + len, in.length - at);
                return out;
            }
            case 4 -> {
                return java.util.Arrays.copyOf(in, at);
            }
            default -> {
                // Replace a digit with a (possibly large) number.
                for (int i = at; i < in.length; i++) {
                    if (in[i] >= '0' && in[i] <= '9') {
                        String n = Integer.toString(random.nextInt(3) == 0 ? random.nextInt(Integer.MAX_VALUE)
                                : random.nextInt(100));
                        byte[] digits = n.getBytes(StandardCharsets.ISO_8859_1);
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
}
