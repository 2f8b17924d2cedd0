package nats.mqtt.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A bare MQTT client over a socket, for tests that need exact bytes: malformed packets, acknowledgements held
 * back, the CONNACK codes of refused connects. Packets are built field by field (spec section 3) and read back
 * as {@link Packet}s; every read is bounded.
 */
public final class RawMqtt implements AutoCloseable {

    /** A packet read from the server: the fixed header byte and the body. */
    public record Packet(int header, byte[] body) {
        public int type() {
            return header & 0xf0;
        }

        public int flags() {
            return header & 0x0f;
        }

        /** The packet identifier of an ack (PUBACK...), or of a QoS 1/2 PUBLISH. */
        public int packetId() {
            if (type() == 0x30) {
                int topicLength = ((body[0] & 0xff) << 8) | (body[1] & 0xff);
                return ((body[2 + topicLength] & 0xff) << 8) | (body[3 + topicLength] & 0xff);
            }
            return ((body[0] & 0xff) << 8) | (body[1] & 0xff);
        }

        /** A PUBLISH's topic. */
        public String topic() {
            int topicLength = ((body[0] & 0xff) << 8) | (body[1] & 0xff);
            return new String(body, 2, topicLength, StandardCharsets.UTF_8);
        }

        /** A PUBLISH's payload. */
        public String payload() {
            int topicLength = ((body[0] & 0xff) << 8) | (body[1] & 0xff);
            int start = 2 + topicLength + (((header >> 1) & 3) > 0 ? 2 : 0);
            return new String(body, start, body.length - start, StandardCharsets.UTF_8);
        }

        public int qos() {
            return (header >> 1) & 3;
        }

        public boolean dup() {
            return (header & 0x08) != 0;
        }

        public boolean retain() {
            return (header & 0x01) != 0;
        }

        @Override
        public String toString() {
            return String.format("%02x %s", header, HexFormat.of().formatHex(body));
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawMqtt(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public static RawMqtt connect(int port) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        return new RawMqtt(s);
    }

    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next packet, or null when none arrives in time or the server closed the connection. */
    public Packet read(long millis) throws IOException {
        socket.setSoTimeout((int) Math.max(1, millis));
        try {
            int header = in.read();
            if (header < 0) {
                return null;
            }
            int length = 0;
            int multiplier = 1;
            int b;
            do {
                b = in.read();
                if (b < 0) {
                    return null;
                }
                length += (b & 0x7f) * multiplier;
                multiplier *= 128;
            } while ((b & 0x80) != 0);
            byte[] body = in.readNBytes(length);
            return body.length == length ? new Packet(header, body) : null;
        } catch (SocketTimeoutException e) {
            return null;
        } catch (java.net.SocketException e) {
            return null;
        }
    }

    /** The next packet of {@code type}, skipping others; null when none in time. */
    public Packet await(int type, long millis) throws IOException {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            Packet p = read(deadline - System.currentTimeMillis());
            if (p == null) {
                return null;
            }
            if (p.type() == type) {
                return p;
            }
        }
        return null;
    }

    /** Whether the server closed the connection within the time (reads and drops anything before the end). */
    public boolean closedWithin(long millis) throws IOException {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            socket.setSoTimeout((int) Math.max(1, deadline - System.currentTimeMillis()));
            try {
                if (in.read() < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (java.net.SocketException e) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    // --- packets ---------------------------------------------------------------------------------------------

    /** CONNECT with protocol "MQTT" level 4. */
    public static byte[] connectPacket(String clientId, boolean clean, int keepAlive, String user, String password) {
        return connectPacket("MQTT", 4, clientId, clean, keepAlive, user, password, null, null, 0, false);
    }

    public static byte[] connectPacket(String protocol, int level, String clientId, boolean clean, int keepAlive,
                                       String user, String password, String willTopic, String willMessage,
                                       int willQos, boolean willRetain) {
        int flags = (clean ? 0x02 : 0) | (user != null ? 0x80 : 0) | (password != null ? 0x40 : 0);
        if (willTopic != null) {
            flags |= 0x04 | (willQos << 3) | (willRetain ? 0x20 : 0);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, protocol);
        body.write(level);
        body.write(flags);
        body.write(keepAlive >> 8);
        body.write(keepAlive);
        string(body, clientId);
        if (willTopic != null) {
            string(body, willTopic);
            string(body, willMessage);
        }
        if (user != null) {
            string(body, user);
        }
        if (password != null) {
            string(body, password);
        }
        return packet(0x10, body.toByteArray());
    }

    public static byte[] subscribePacket(int packetId, String filter, int qos) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(packetId >> 8);
        body.write(packetId);
        string(body, filter);
        body.write(qos);
        return packet(0x82, body.toByteArray());
    }

    public static byte[] unsubscribePacket(int packetId, String filter) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(packetId >> 8);
        body.write(packetId);
        string(body, filter);
        return packet(0xa2, body.toByteArray());
    }

    public static byte[] publishPacket(String topic, String payload, int qos, int packetId, boolean retain) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, topic);
        if (qos > 0) {
            body.write(packetId >> 8);
            body.write(packetId);
        }
        body.writeBytes(payload.getBytes(StandardCharsets.UTF_8));
        return packet(0x30 | (qos << 1) | (retain ? 1 : 0), body.toByteArray());
    }

    /** PUBACK, PUBREC, PUBREL (pass 0x62), PUBCOMP. */
    public static byte[] ackPacket(int header, int packetId) {
        return new byte[] {(byte) header, 2, (byte) (packetId >> 8), (byte) packetId};
    }

    public static final byte[] PINGREQ = {(byte) 0xc0, 0};
    public static final byte[] DISCONNECT = {(byte) 0xe0, 0};

    /** A packet with its fixed header and remaining length. */
    public static byte[] packet(int header, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(header);
        int length = body.length;
        do {
            int digit = length & 0x7f;
            length >>>= 7;
            out.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static void string(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b.length >> 8);
        out.write(b.length);
        out.writeBytes(b);
    }

    /** Concatenates packets. */
    public static byte[] concat(byte[]... parts) {
        int n = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    /** Connects, sends CONNECT and returns the CONNACK's return code (-1 when none). */
    public static int connAckCode(RawMqtt c, byte[] connect) throws IOException {
        c.send(connect);
        Packet p = c.read(5000);
        return p == null || p.type() != 0x20 ? -1 : p.body()[1] & 0xff;
    }
}
