package nats.mqtt.internal.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import nats.api.messaging.MessagePublisher;
import nats.api.net.Connection;
import nats.api.net.ConnectionReader;
import nats.api.sessions.ClientSession;
import nats.api.sessions.SessionEvents;
import nats.mqtt.internal.codec.ConnectPacket;
import nats.mqtt.internal.codec.FieldReader;
import nats.mqtt.internal.codec.MqttException;
import nats.mqtt.internal.codec.PacketFramer;
import nats.mqtt.internal.codec.Packets;
import nats.mqtt.internal.codec.SubscribePacket;
import nats.mqtt.internal.js.MqttStreams;
import nats.mqtt.internal.session.AccountSessions;
import nats.mqtt.internal.session.Session;

/**
 * One MQTT client connection: the kernel's read loop hands it the bytes, which are cut into packets and handled
 * in order (Go's mqttParse); the first must be CONNECT, which authenticates the client through the kernel and
 * binds it to its session. Closing has one path whatever the cause: the reason is recorded, the socket closed,
 * and the reader's end runs the cleanup (session unbound or cleared, the will published on an abnormal end, the
 * kernel's session closed with Go's reason).
 */
final class MqttConnection implements ConnectionReader, SessionEvents {

    private static final System.Logger LOG = System.getLogger(MqttConnection.class.getName());
    /** How long a closing connection may take to write what is queued. */
    private static final long DRAIN_MILLIS = 1000;
    private static final byte[] NO_BYTES = new byte[0];

    final MqttServer server;
    final Connection connection;
    final Outbound out;
    private final PacketFramer framer;
    private final FieldReader fields = new FieldReader();
    private final AtomicReference<String> closeReason = new AtomicReference<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile long lastReadNanos = System.nanoTime();
    private volatile boolean connected;
    private volatile boolean willDiscarded;
    private ConnectPacket connect;
    private String clientId = "";
    private volatile ClientSession client;
    private AccountSessions account;
    private volatile Session session;
    private Inbound inbound;
    private Subscriptions subscriptions;
    private Deliveries deliveries;
    private volatile StorePipeline pipeline;

    /** Go's client type for the kernel: {@code mqtt}, or {@code mqtt_ws} over WebSocket (its own connection type). */
    final String clientType;

    MqttConnection(MqttServer server, Connection connection, String clientType) {
        this.server = server;
        this.connection = connection;
        this.clientType = clientType;
        this.out = new Outbound(connection, this::close);
        this.framer = new PacketFramer(server.maxPacketSize());
    }

    void start() {
        out.start("nats-mqtt-writer");
    }

    // --- reading -------------------------------------------------------------------------------------------

    @Override
    public void onBytes(byte[] buffer, int offset, int length) throws IOException {
        lastReadNanos = System.nanoTime();
        try {
            if (!connected && !framer.hasPartialPacket() && startsWithGet(buffer, offset, length)) {
                // A WebSocket client at the MQTT port, as Go detects it.
                throw new MqttException("MQTT clients over websocket must connect to the Websocket port, not the "
                        + "MQTT port");
            }
            framer.feed(buffer, offset, length, this::packet);
        } catch (MqttException e) {
            if (e.connAckCode() != 0) {
                out.connAck(false, e.connAckCode());
            }
            error(e.getMessage());
            closeFromReader("Protocol Violation");
        } finally {
            ClientSession c = client;
            if (c != null) {
                c.activity();
                c.flush();
            }
            StorePipeline p = pipeline;
            if (p != null) {
                p.flush();
            }
            out.flush();
        }
        if (closeReason.get() != null) {
            // Ends the read loop; closed() writes what is queued (a CONNACK refusal) and cleans up.
            throw new IOException("closing: " + closeReason.get());
        }
    }

    private boolean packet(int header, byte[] b, int offset, int length) throws MqttException {
        if (closeReason.get() != null) {
            return false;
        }
        int type = header & Packets.TYPE_MASK;
        FieldReader r = fields.reset(b, offset, length);
        if (!connected && type != Packets.CONNECT) {
            throw new MqttException("the first packet should be a CONNECT (" + Packets.CONNECT + "), got " + type);
        }
        switch (type) {
            case Packets.PUBACK -> deliveries.pubAck(packetId(r));
            case Packets.PUBREC -> deliveries.pubRec(packetId(r));
            case Packets.PUBCOMP -> deliveries.pubComp(packetId(r));
            case Packets.PUBLISH -> inbound.publish(header & Packets.FLAGS_MASK, r);
            case Packets.PUBREL -> inbound.pubRel(packetId(r));
            case Packets.SUBSCRIBE -> subscriptions.subscribe(SubscribePacket.parse(header, r, true, this::error));
            case Packets.UNSUBSCRIBE -> subscriptions.unsubscribe(SubscribePacket.parse(header, r, false, this::error));
            case Packets.PINGREQ -> out.pingResp();
            case Packets.CONNECT -> {
                if (connected) {
                    throw new MqttException("received a second CONNECT packet");
                }
                return connect(ConnectPacket.parse(r, server.options().rejectQos2Publish()));
            }
            case Packets.DISCONNECT -> {
                // A normal end: the will is dropped [MQTT-3.1.2-8].
                willDiscarded = true;
                closeFromReader("Client Closed");
                return false;
            }
            default -> throw new MqttException("received unknown packet type " + (type >> 4));
        }
        return true;
    }

    private static int packetId(FieldReader r) throws MqttException {
        int pi = r.readUint16("packet identifier");
        if (pi == 0) {
            throw new MqttException("packet identifier cannot be 0");
        }
        return pi;
    }

    /** An HTTP request on the MQTT port. */
    private static boolean startsWithGet(byte[] b, int offset, int length) {
        return length >= 4 && b[offset] == 'G' && b[offset + 1] == 'E' && b[offset + 2] == 'T' && b[offset + 3] == ' ';
    }

    // --- CONNECT -------------------------------------------------------------------------------------------

    /** Go's mqttProcessConnect; false when the connection is going away. */
    private boolean connect(ConnectPacket packet) throws MqttException {
        server.connectTimeoutDone(this);
        connect = packet;
        clientId = packet.clientId().isEmpty() ? server.nuid() : packet.clientId();
        Optional<ClientSession> admitted = server.admit(this, packet, clientId);
        if (admitted.isEmpty()) {
            return false;
        }
        ClientSession c = admitted.get();
        client = c;
        AccountSessions as;
        try {
            as = server.accountSessions(c.account());
        } catch (Exception e) {
            throw new MqttException("unable to connect: " + e.getMessage());
        }
        account = as;
        AccountSessions.Attached attached;
        try {
            attached = as.attach(clientId, packet.cleanSession(), this);
        } catch (AccountSessions.AttachException e) {
            if (e.duplicate()) {
                // Go holds a client that keeps taking the session for a second, then closes it.
                server.sleep(1000);
                closeFromReader("Duplicate Client ID");
                return false;
            }
            throw new MqttException("unable to connect: " + e.getMessage());
        } catch (nats.mqtt.internal.js.JsApiException e) {
            throw new MqttException("unable to connect: " + e.getMessage());
        }
        Session s = attached.session();
        try {
            session = s;
            deliveries = new Deliveries(this, s, out);
            pipeline = new StorePipeline(as.streams().api().connection(), as.streams().api().replyPrefix(),
                    Long.toString(c.id()), pipelineOwner());
            inbound = new Inbound(this, c, as, pipeline, clientId, packet.username());
            subscriptions = new Subscriptions(this, c, as, s, deliveries, out);
            if (attached.replaced() instanceof MqttConnection previous) {
                warn("Replacing old client " + previous.describe() + " since both have the same client ID \""
                        + clientId + "\"");
                previous.replaced();
            }
            connected = true;
            out.connAck(attached.present(), Packets.RC_ACCEPTED);
            out.flush();
            try {
                subscriptions.restore(s.subscriptions());
            } catch (MqttException e) {
                throw new MqttException("unable to connect: " + e.getMessage());
            }
        } finally {
            as.release(clientId);
        }
        if (packet.keepAlive() > 0) {
            server.keepAlive(this, packet.keepAliveDeadlineSeconds());
        }
        debug("Client connected");
        return true;
    }

    private StorePipeline.Owner pipelineOwner() {
        return new StorePipeline.Owner() {
            @Override
            public void acknowledge(int packetType, int packetId) {
                out.ack(packetType, packetId);
            }

            @Override
            public void acknowledged() {
                out.flush();
            }

            @Override
            public void failed(String error) {
                error(error);
                close("Protocol Violation");
            }
        };
    }

    /** Another client took the session: this one goes without its will (Go clears it), as a duplicate id. */
    private void replaced() {
        willDiscarded = true;
        Thread.ofVirtual().start(() -> close("Duplicate Client ID"));
    }

    // --- helpers for the parts -----------------------------------------------------------------------------

    MqttStreams streams() {
        return account.streams();
    }

    String nuid() {
        return server.nuid();
    }

    /** Acks a JetStream delivery (no answer expected) from the reader. */
    void ack(byte[] ackSubject) {
        if (ackSubject == null) {
            return;
        }
        MessagePublisher p = pipeline.publisher();
        p.publish(ackSubject, null, NO_BYTES);
    }

    /** Acks a JetStream delivery from a publisher's thread, without waiting there. */
    void ackLater(String ackSubject) {
        server.background(() -> account.streams().api().publish(ackSubject, new byte[0]));
    }

    long lastReadNanos() {
        return lastReadNanos;
    }

    /** Checks the stores and the write deadline; called by the server's timer. */
    void sweep(long now) {
        StorePipeline p = pipeline;
        if (p != null) {
            p.checkTimeouts(now);
        }
        long started = out.writeStartedNanos();
        if (started != 0 && now - started > server.writeDeadlineNanos()) {
            close("Slow Consumer (Write Deadline)");
        }
        ClientSession c = client;
        if (c != null) {
            c.pendingBytes(out.pendingBytes());
        }
    }

    // --- closing -------------------------------------------------------------------------------------------

    /**
     * Closes the connection for {@code reason} (the first reason given wins) from another thread than the
     * reader: the socket is closed at once, which ends the read loop.
     */
    void close(String reason) {
        closeReason.compareAndSet(null, reason);
        connection.close();
    }

    /** Closes from the reader: the read loop ends after this read, and what is queued is written first. */
    void closeFromReader(String reason) {
        closeReason.compareAndSet(null, reason);
    }

    @Override
    public void closedByServer(String reason) {
        close(reason);
    }

    @Override
    public void flush() {
        out.flush();
    }

    /** The read loop ended: the one place a connection is cleaned up. */
    @Override
    public void closed() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        String reason = closeReason.get() == null ? "Client Closed" : closeReason.get();
        closeReason.compareAndSet(null, reason);
        server.removed(this);
        StorePipeline p = pipeline;
        if (p != null) {
            p.close();
        }
        ClientSession c = client;
        Session s = session;
        if (connected && s != null) {
            account.detach(s, this);
            Optional<ConnectPacket.Will> will = connect.will();
            if (will.isPresent() && !willDiscarded && c != null && !c.isClosed()) {
                inbound.will(will.get());
            }
        }
        if (c != null && !c.isClosed()) {
            c.close(reason);
        }
        // What is queued (a CONNACK refusal, acknowledgements) goes out before the socket closes, as in Go.
        out.drainAndClose(DRAIN_MILLIS);
        connection.close(reason);
        debug("Client connection closed: " + reason);
    }

    // --- logging as Go's client logs -----------------------------------------------------------------------

    String describe() {
        InetSocketAddress a = connection.remoteAddress();
        String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        ClientSession c = client;
        return host + ":" + a.getPort() + " - mid:" + (c == null ? 0 : c.id()) + " - \"" + clientId + "\"";
    }

    void error(String message) {
        LOG.log(System.Logger.Level.ERROR, "{0} - {1}", describe(), message);
    }

    void warn(String message) {
        LOG.log(System.Logger.Level.WARNING, "{0} - {1}", describe(), message);
    }

    private void debug(String message) {
        if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
            LOG.log(System.Logger.Level.DEBUG, "{0} - {1}", describe(), message);
        }
    }
}
