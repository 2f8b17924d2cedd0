package nats.mqtt.internal.server;

import nats.api.messaging.DirectHandler;
import nats.api.messaging.MessageOrigin;
import nats.mqtt.internal.codec.MqttException;
import nats.mqtt.internal.codec.MqttHeaders;
import nats.mqtt.internal.codec.Packets;
import nats.mqtt.internal.js.AckReply;
import nats.mqtt.internal.js.JsApiException;
import nats.mqtt.internal.js.MqttStreams;
import nats.mqtt.internal.session.PacketIds;
import nats.mqtt.internal.session.Session;

/**
 * Messages going out to one MQTT client and their acknowledgements, as Go's delivery callbacks do it:
 * <ul>
 *   <li>a filter subscription gets, at QoS 0, NATS messages and MQTT QoS 0 messages, and MQTT QoS 1/2 messages
 *       when it is itself QoS 0 (the others come from JetStream);</li>
 *   <li>a consumer's delivery subscription gets the stored QoS 1/2 messages with a packet identifier, at the
 *       lower of the two QoS, marked DUP when redelivered;</li>
 *   <li>the PUBREL delivery subscription turns stored PUBREL markers into PUBRELs.</li>
 * </ul>
 * Handlers run on the publishers' threads and never block; PUBACK, PUBREC and PUBCOMP are handled by the reader.
 */
final class Deliveries {

    private static final byte[] MSGS_PREFIX = MqttStreams.MESSAGES_SUBJECT_PREFIX.getBytes(
            java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] EMPTY = new byte[0];

    private final MqttConnection connection;
    private final Session session;
    private final Outbound out;

    Deliveries(MqttConnection connection, Session session, Outbound out) {
        this.connection = connection;
        this.session = session;
        this.out = out;
    }

    /** The handler of a filter subscription (Go's mqttDeliverMsgCbQoS0). */
    DirectHandler filterHandler(SubEntry entry) {
        return m -> {
            if (m.origin() == MessageOrigin.INTERNAL && AckReply.isAck(m.replyArray(), m.replyOffset(), m.replyLength())) {
                return false;
            }
            byte[] subject = m.subjectArray();
            if (entry.reserved && m.subjectLength() > 0 && subject[m.subjectOffset()] == '$') {
                return false;
            }
            if (entry.qos > 0 && m.hasHeaders()
                    && MqttHeaders.publishQos(m.dataArray(), m.dataOffset(), m.headerLength()) > 0) {
                return false;
            }
            entry.sendRetained(out);
            return out.publishSubject(0, 0, subject, m.subjectOffset(), m.subjectLength(), m.dataArray(),
                    m.dataOffset() + m.headerLength(), m.payloadLength());
        };
    }

    /** The handler of a consumer's delivery subscription (Go's mqttDeliverMsgCbQoS12). */
    DirectHandler storedHandler(SubEntry entry) {
        return m -> {
            int subjectLength = m.subjectLength();
            if (subjectLength <= MSGS_PREFIX.length) {
                return false;
            }
            int headerQos = m.hasHeaders() ? MqttHeaders.publishQos(m.dataArray(), m.dataOffset(), m.headerLength()) : -1;
            if (m.origin() != MessageOrigin.INTERNAL && headerQos <= 0) {
                return false;
            }
            byte[] subject = m.subjectArray();
            int stripped = m.subjectOffset() + MSGS_PREFIX.length;
            int result;
            synchronized (session) {
                if (!session.ownedBy(connection) || entry.removed) {
                    return false;
                }
                int qos = Math.min(Math.max(headerQos, 0), entry.qos);
                if (qos == 0) {
                    return false;
                }
                if (entry.reserved && subject[stripped] == '$') {
                    connection.ackLater(m.reply());
                    return true;
                }
                result = session.packetIds().trackPublish(entry.durable, m.replyArray(), m.replyOffset(),
                        m.replyLength());
                if (result == 0) {
                    // Too many pending: JetStream redelivers it after the ack wait.
                    return false;
                }
                result |= qos << 20;
            }
            int pi = result & 0xFFFF;
            int flags = ((result >>> 20) << 1) | ((result & PacketIds.DUP) != 0 ? Packets.PUBLISH_DUP : 0);
            entry.sendRetained(out);
            return out.publishSubject(flags, pi, subject, stripped, subjectLength - MSGS_PREFIX.length, m.dataArray(),
                    m.dataOffset() + m.headerLength(), m.payloadLength());
        };
    }

    /** The handler of the PUBREL delivery subscription (Go's mqttDeliverPubRelCb). */
    DirectHandler pubRelHandler() {
        return m -> {
            if (!m.hasReply() || !m.hasHeaders()) {
                return false;
            }
            int pi = MqttHeaders.pubRelPacketId(m.dataArray(), m.dataOffset(), m.headerLength());
            if (pi == 0) {
                return false;
            }
            synchronized (session) {
                if (!session.ownedBy(connection) || session.pubRelConsumer() == null) {
                    return false;
                }
                session.packetIds().trackPubRel(pi, pubRelDurable(), m.replyArray(), m.replyOffset(), m.replyLength());
            }
            return out.ack(Packets.PUBREL, pi);
        };
    }

    private String pubRelDurable() {
        Object d = session.pubRelConsumer().get("durable_name");
        return d == null ? "" : d.toString();
    }

    // --- acknowledgements from the client (reader thread) ---------------------------------------------------

    /** PUBACK (QoS 1): the delivery is done; JetStream is told. */
    void pubAck(int pi) throws MqttException {
        byte[] ack;
        synchronized (session) {
            if (!session.ownedBy(connection)) {
                throw new MqttException("invalid MQTT session");
            }
            ack = session.packetIds().untrackPublish(pi);
        }
        connection.ack(ack);
    }

    /**
     * PUBREC (QoS 2): the identifier now waits for PUBCOMP; a PUBREL marker is stored (it is redelivered as a
     * PUBREL until the client completes) before the message itself is acked.
     */
    void pubRec(int pi) throws MqttException {
        byte[] ack;
        synchronized (session) {
            if (!session.ownedBy(connection)) {
                throw new MqttException("invalid MQTT session");
            }
            if (session.pubRelConsumer() != null) {
                session.packetIds().trackPubRel(pi, pubRelDurable(), EMPTY, 0, 0);
            }
            ack = session.packetIds().untrackPublish(pi);
        }
        try {
            connection.streams().store(MqttStreams.PUBREL_SUBJECT_PREFIX + session.idHash(),
                    MqttHeaders.pubRelBlock(pi), EMPTY);
        } catch (JsApiException e) {
            throw new MqttException(e.getMessage());
        }
        connection.ack(ack);
    }

    /** PUBCOMP (QoS 2): the exchange is complete; the PUBREL marker is acked. */
    void pubComp(int pi) {
        byte[] ack;
        synchronized (session) {
            if (!session.ownedBy(connection)) {
                return;
            }
            ack = session.packetIds().untrackPubRel(pi);
        }
        connection.ack(ack);
    }

    /** A retained message to send on a new subscription: its identifier when QoS 1/2 (0 when none is free). */
    int retainedPacketId() {
        synchronized (session) {
            return session.packetIds().trackRetained();
        }
    }
}
