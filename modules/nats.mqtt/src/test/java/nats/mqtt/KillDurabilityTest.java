package nats.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import nats.mqtt.testing.RawMqtt;
import nats.mqtt.testing.ServerMain;
import nats.testing.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * QoS 1 durability: a PUBACK promises the message is on disk. A publisher streams QoS 1 messages into a server
 * in a child JVM, which is killed with SIGKILL while PUBACKs are flowing; after a restart on the same store, an
 * offline persistent subscriber (subscribed before the first publish) must get every message that was PUBACKed.
 */
class KillDurabilityTest {

    private static final String TOPIC = "kill/t";

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyPubAckedMessageSurvivesKill9() throws Exception {
        int port = Ports.free();
        int mqtt = Ports.free();
        Path conf = Files.writeString(dir.resolve("s.conf"), "server_name: kill\nlisten: 127.0.0.1:" + port
                + "\njetstream { store_dir: \"" + dir.resolve("store") + "\" }\nmqtt { host: 127.0.0.1, port: " + mqtt
                // A message delivered to the subscriber while its DISCONNECT was still being processed is pending,
                // not lost: a short ack wait redelivers it within the reader's quiet spell after the restart.
                + ", ack_wait: \"2s\" }\n");
        Process server = launch(conf, mqtt, "first");
        BitSet acked = new BitSet();
        try {
            try (Client sub = new Client(mqtt, "kill-sub", false)) {
                sub.out.write(RawMqtt.subscribePacket(1, TOPIC, 1));
                sub.out.flush();
                assertEquals(0x90, sub.read()[0], "SUBACK");
                sub.out.write(RawMqtt.DISCONNECT);
                sub.out.flush();
            }
            publishUntilKilled(server, mqtt, acked);
        } finally {
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
        assertTrue(acked.cardinality() >= 500, "PUBACKs before the kill: " + acked.cardinality());
        Process restarted = launch(conf, mqtt, "second");
        try (Client sub = new Client(mqtt, "kill-sub", false)) {
            BitSet received = new BitSet();
            // Redelivery is continuous; a quiet spell of 5 s means nothing more is coming.
            sub.socket.setSoTimeout(5_000);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!containsAll(received, acked) && System.nanoTime() < deadline) {
                int[] p;
                try {
                    p = sub.read();
                } catch (SocketTimeoutException e) {
                    break;
                }
                if ((p[0] & 0xf0) == 0x30) {
                    received.set(p[2]);
                    sub.out.write(RawMqtt.ackPacket(0x40, p[1]));
                    sub.out.flush();
                }
            }
            BitSet missing = (BitSet) acked.clone();
            missing.andNot(received);
            assertTrue(missing.isEmpty(), missing.cardinality() + " of " + acked.cardinality()
                    + " PUBACKed messages lost in the kill, first " + missing.nextSetBit(0));
        } finally {
            restarted.destroyForcibly();
            restarted.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Publishes QoS 1 messages (payload: their index), 64 in flight, and kills the server after 500 PUBACKs. */
    private static void publishUntilKilled(Process server, int mqtt, BitSet acked) throws Exception {
        Semaphore window = new Semaphore(64);
        AtomicInteger ackCount = new AtomicInteger();
        try (Client pub = new Client(mqtt, "kill-pub", true)) {
            Thread reader = Thread.ofPlatform().start(() -> {
                try {
                    while (true) {
                        int[] p = pub.read();
                        if ((p[0] & 0xf0) == 0x40) {
                            synchronized (acked) {
                                acked.set(p[1] - 1);
                            }
                            ackCount.incrementAndGet();
                            window.release();
                        }
                    }
                } catch (IOException e) {
                    window.release(1000);
                }
            });
            try {
                for (int i = 0; i < 60_000 && server.isAlive(); i++) {
                    window.acquire();
                    byte[] frame = RawMqtt.publishPacket(TOPIC, "", 1, i + 1, false);
                    pub.out.write(withPayload(frame, ByteBuffer.allocate(4).putInt(i).array()));
                    if (window.availablePermits() == 0 || i % 16 == 15) {
                        pub.out.flush();
                    }
                    if (ackCount.get() >= 500 && server.isAlive()) {
                        // SIGKILL while stores and PUBACKs are in flight.
                        server.destroyForcibly();
                        server.waitFor(10, TimeUnit.SECONDS);
                    }
                }
            } catch (IOException e) {
                // the server went away
            }
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
            reader.join(10_000);
        }
    }

    private static boolean containsAll(BitSet have, BitSet wanted) {
        BitSet rest = (BitSet) wanted.clone();
        rest.andNot(have);
        return rest.isEmpty();
    }

    private Process launch(Path conf, int mqtt, String name) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path") + File.pathSeparator
                + System.getProperty("jdk.module.path", "");
        Path log = dir.resolve(name + ".log");
        Process p = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED", "-cp", cp, ServerMain.class.getName(), conf.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && p.isAlive()) {
            try (Socket s = new Socket("127.0.0.1", mqtt)) {
                return p;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        p.destroyForcibly();
        throw new IOException("server did not start: " + Files.readString(log));
    }

    private static byte[] withPayload(byte[] emptyFrame, byte[] payload) {
        int lengthBytes = 1;
        while ((emptyFrame[lengthBytes] & 0x80) != 0) {
            lengthBytes++;
        }
        byte[] body = java.util.Arrays.copyOfRange(emptyFrame, 1 + lengthBytes, emptyFrame.length + payload.length);
        System.arraycopy(payload, 0, body, emptyFrame.length - 1 - lengthBytes, payload.length);
        return RawMqtt.packet(emptyFrame[0] & 0xff, body);
    }

    /** A raw client: packets read as {header, packet id, payload index (PUBLISH)}. */
    private static final class Client implements AutoCloseable {
        final Socket socket = new Socket();
        final DataInputStream in;
        final OutputStream out;

        Client(int port, String id, boolean clean) throws IOException {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(20_000);
            in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            out = socket.getOutputStream();
            out.write(RawMqtt.connectPacket(id, clean, 0, null, null));
            out.flush();
            int[] connAck = read();
            if (connAck[0] != 0x20) {
                throw new IOException("no CONNACK: " + Integer.toHexString(connAck[0]));
            }
        }

        int[] read() throws IOException {
            int header = in.readUnsignedByte();
            int length = 0;
            int shift = 0;
            int b;
            do {
                b = in.readUnsignedByte();
                length |= (b & 0x7f) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            byte[] body = in.readNBytes(length);
            if (body.length < length) {
                throw new IOException("closed");
            }
            ByteBuffer bb = ByteBuffer.wrap(body);
            if ((header & 0xf0) == 0x30) {
                bb.position(2 + bb.getShort(0));
                int pi = ((header >> 1) & 3) > 0 ? bb.getShort() & 0xffff : 0;
                return new int[] {header, pi, bb.remaining() >= 4 ? bb.getInt() : -1};
            }
            return new int[] {header, length >= 2 ? bb.getShort(0) & 0xffff : 0, -1};
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
