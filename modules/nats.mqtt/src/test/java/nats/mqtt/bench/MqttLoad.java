package nats.mqtt.bench;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import nats.mqtt.testing.RawMqtt;

/**
 * A load client on raw sockets, the same for both servers: a publisher writing prebuilt PUBLISH frames in batches
 * (QoS 1 with a window of packets in flight, released by PUBACKs), a subscriber counting PUBLISHes and answering
 * QoS 1 ones with PUBACKs in batches. No MQTT library sits between the wire and the clock.
 */
public final class MqttLoad {

    private MqttLoad() {
    }

    /** One client connection. */
    static final class Client implements AutoCloseable {
        final Socket socket;
        final DataInputStream in;
        final OutputStream out;

        Client(int port, String id) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setReceiveBufferSize(1 << 20);
            socket.setSendBufferSize(1 << 20);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(30_000);
            in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
            out = socket.getOutputStream();
            out.write(RawMqtt.connectPacket(id, true, 0, null, null));
            out.flush();
            int[] p = readPacket(null);
            if (p[0] != 0x20) {
                throw new IOException("no CONNACK: " + Integer.toHexString(p[0]));
            }
        }

        void subscribe(String filter, int qos) throws IOException {
            out.write(RawMqtt.subscribePacket(1, filter, qos));
            out.flush();
            int[] p = readPacket(null);
            if (p[0] != 0x90) {
                throw new IOException("no SUBACK");
            }
        }

        /** Reads one packet: {type/flags, remaining length, packet id (acks and QoS 1 PUBLISH) or 0}. */
        int[] readPacket(byte[] scratch) throws IOException {
            int header = in.readUnsignedByte();
            int length = 0;
            int multiplier = 1;
            int b;
            do {
                b = in.readUnsignedByte();
                length += (b & 0x7f) * multiplier;
                multiplier *= 128;
            } while ((b & 0x80) != 0);
            int pi = 0;
            int type = header & 0xf0;
            int index = -1;
            if (type == 0x30) {
                int topic = in.readUnsignedShort();
                in.skipNBytes(topic);
                int rest = length - 2 - topic;
                if (((header >> 1) & 3) > 0) {
                    pi = in.readUnsignedShort();
                    rest -= 2;
                }
                if (rest >= 4) {
                    index = in.readInt();
                    rest -= 4;
                }
                in.skipNBytes(rest);
            } else if (type >= 0x40 && type <= 0x70 && length >= 2) {
                pi = in.readUnsignedShort();
                in.skipNBytes(length - 2);
            } else {
                in.skipNBytes(length);
            }
            return new int[] {header, length, pi, index};
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** What a run measured. */
    public record Run(long messages, long nanos, long[] latenciesNanos) {
        double rate() {
            return messages * 1e9 / nanos;
        }

        double percentileMicros(double p) {
            long[] sorted = latenciesNanos.clone();
            Arrays.sort(sorted);
            return sorted[(int) Math.min(sorted.length - 1, Math.round(p * (sorted.length - 1)))] / 1000.0;
        }
    }

    /**
     * Publishes {@code count} messages of {@code size} bytes at {@code qos} to one subscriber at the same QoS;
     * the time runs from the first publish to the last delivery.
     *
     * @param window QoS 1 publishes in flight at most
     */
    public static Run throughput(int port, int qos, int size, int count, int window, String tag) throws Exception {
        String topic = "bench/" + tag;
        byte[] payload = new byte[size];
        Arrays.fill(payload, (byte) 'x');
        try (Client sub = new Client(port, tag + "-sub"); Client pub = new Client(port, tag + "-pub")) {
            sub.subscribe(topic, qos);
            CountDownLatch done = new CountDownLatch(1);
            AtomicLong received = new AtomicLong();
            java.util.BitSet seen = new java.util.BitSet(count);
            AtomicLong duplicates = new AtomicLong();
            Thread reader = Thread.ofPlatform().start(() -> {
                byte[] acks = new byte[4 * 256];
                int pending = 0;
                try {
                    while (received.get() < count) {
                        int[] p = sub.readPacket(null);
                        if ((p[0] & 0xf0) != 0x30) {
                            continue;
                        }
                        if (p[3] >= 0 && seen.get(p[3])) {
                            duplicates.incrementAndGet();
                        } else {
                            if (p[3] >= 0) {
                                seen.set(p[3]);
                            }
                            received.incrementAndGet();
                        }
                        if (qos > 0) {
                            acks[pending * 4] = 0x40;
                            acks[pending * 4 + 1] = 2;
                            acks[pending * 4 + 2] = (byte) (p[2] >> 8);
                            acks[pending * 4 + 3] = (byte) p[2];
                            pending++;
                            if (pending == 256 || sub.in.available() == 0) {
                                sub.out.write(acks, 0, pending * 4);
                                sub.out.flush();
                                pending = 0;
                            }
                        }
                    }
                } catch (IOException e) {
                    // ends the run
                } finally {
                    done.countDown();
                }
            });
            Semaphore inFlight = new Semaphore(window);
            Thread acker = null;
            if (qos > 0) {
                acker = Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = 0; i < count; i++) {
                            pub.readPacket(null);
                            inFlight.release();
                        }
                    } catch (IOException e) {
                        inFlight.release(window);
                    }
                });
            }
            long start = System.nanoTime();
            int batch = 64;
            byte[][] frames = new byte[batch][];
            for (int sent = 0; sent < count; ) {
                int n = Math.min(batch, count - sent);
                int total = 0;
                for (int i = 0; i < n; i++) {
                    int pi = ((sent + i) % 65535) + 1;
                    if (qos > 0) {
                        inFlight.acquire();
                    }
                    frames[i] = RawMqtt.publishPacket(topic, "", qos, pi, false);
                    frames[i] = withPayload(frames[i], indexed(payload, sent + i));
                    total += frames[i].length;
                    if (qos > 0 && inFlight.availablePermits() == 0) {
                        n = i + 1;
                        break;
                    }
                }
                byte[] buf = new byte[total];
                int at = 0;
                for (int i = 0; i < n; i++) {
                    System.arraycopy(frames[i], 0, buf, at, frames[i].length);
                    at += frames[i].length;
                }
                pub.out.write(buf, 0, at);
                pub.out.flush();
                sent += n;
            }
            if (!done.await(120, TimeUnit.SECONDS) || received.get() < count) {
                throw new IOException("delivered " + received.get() + " of " + count + ", first missing "
                        + seen.nextClearBit(0) + ", duplicates " + duplicates.get());
            }
            if (duplicates.get() > 0) {
                System.out.println("duplicates: " + duplicates.get());
            }
            long nanos = System.nanoTime() - start;
            if (acker != null) {
                acker.join(10_000);
            }
            reader.join(1000);
            return new Run(received.get(), nanos, new long[0]);
        }
    }

    /** QoS 1 publishes with {@code window} in flight and nobody subscribed: the rate of PUBACKs. */
    static Run publishAcks(int port, int size, int count, int window, String tag) throws Exception {
        String topic = "acks/" + tag;
        byte[] payload = new byte[size];
        Arrays.fill(payload, (byte) 'a');
        try (Client pub = new Client(port, tag + "-pub")) {
            Semaphore inFlight = new Semaphore(window);
            CountDownLatch done = new CountDownLatch(1);
            Thread acker = Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < count; i++) {
                        pub.readPacket(null);
                        inFlight.release();
                    }
                } catch (IOException e) {
                    inFlight.release(window);
                } finally {
                    done.countDown();
                }
            });
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                inFlight.acquire();
                int pi = (i % 65535) + 1;
                byte[] frame = withPayload(RawMqtt.publishPacket(topic, "", 1, pi, false), payload);
                pub.out.write(frame);
                if (inFlight.availablePermits() == 0 || i == count - 1) {
                    pub.out.flush();
                }
            }
            pub.out.flush();
            if (!done.await(120, TimeUnit.SECONDS)) {
                throw new IOException("acknowledged fewer than " + count);
            }
            long nanos = System.nanoTime() - start;
            acker.join(1000);
            return new Run(count, nanos, new long[0]);
        }
    }

    /** One QoS 1 message at a time: publish, then wait until the subscriber has it; the latency of each. */
    static Run roundTrip(int port, int size, int count, String tag) throws Exception {
        String topic = "rtt/" + tag;
        byte[] payload = new byte[size];
        Arrays.fill(payload, (byte) 'r');
        long[] latencies = new long[count];
        try (Client sub = new Client(port, tag + "-sub"); Client pub = new Client(port, tag + "-pub")) {
            sub.subscribe(topic, 1);
            Thread acker = Thread.ofPlatform().start(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        pub.readPacket(null);
                    }
                } catch (IOException e) {
                    // closed
                }
            });
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                int pi = (i % 65535) + 1;
                byte[] frame = withPayload(RawMqtt.publishPacket(topic, "", 1, pi, false), payload);
                long t0 = System.nanoTime();
                pub.out.write(frame);
                pub.out.flush();
                int[] p;
                do {
                    p = sub.readPacket(null);
                } while ((p[0] & 0xf0) != 0x30);
                latencies[i] = System.nanoTime() - t0;
                sub.out.write(new byte[] {0x40, 2, (byte) (p[2] >> 8), (byte) p[2]});
                sub.out.flush();
            }
            long nanos = System.nanoTime() - start;
            acker.interrupt();
            return new Run(count, nanos, latencies);
        }
    }

    /** The payload with the message's index in its first four bytes (when it has room). */
    private static byte[] indexed(byte[] payload, int index) {
        if (payload.length < 4) {
            return payload;
        }
        byte[] p = payload.clone();
        p[0] = (byte) (index >>> 24);
        p[1] = (byte) (index >>> 16);
        p[2] = (byte) (index >>> 8);
        p[3] = (byte) index;
        return p;
    }

    /** A PUBLISH frame built for an empty payload, with {@code payload} appended and its length fixed. */
    private static byte[] withPayload(byte[] emptyFrame, byte[] payload) {
        // Rebuild: the remaining length changes with the payload.
        int header = emptyFrame[0] & 0xff;
        int lengthBytes = 1;
        while ((emptyFrame[lengthBytes] & 0x80) != 0) {
            lengthBytes++;
        }
        byte[] body = Arrays.copyOfRange(emptyFrame, 1 + lengthBytes, emptyFrame.length);
        byte[] full = new byte[body.length + payload.length];
        System.arraycopy(body, 0, full, 0, body.length);
        System.arraycopy(payload, 0, full, body.length, payload.length);
        return RawMqtt.packet(header, full);
    }

    static void drain(InputStream in) throws IOException {
        in.skipNBytes(in.available());
    }
}
