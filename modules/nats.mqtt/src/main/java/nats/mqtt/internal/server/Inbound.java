package nats.mqtt.internal.server;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

import nats.api.sessions.ClientSession;
import nats.api.sessions.ClientSession.PublishResult;
import nats.mqtt.internal.codec.ConnectPacket;
import nats.mqtt.internal.codec.FieldReader;
import nats.mqtt.internal.codec.MqttException;
import nats.mqtt.internal.codec.MqttHeaders;
import nats.mqtt.internal.codec.Packets;
import nats.mqtt.internal.codec.Topics;
import nats.mqtt.internal.js.JsApiException;
import nats.mqtt.internal.js.MqttStreams;
import nats.mqtt.internal.retained.RetainedMessage;
import nats.mqtt.internal.session.AccountSessions;

/**
 * What one client publishes (Go's mqttProcessPub and mqttInitiateMsgDelivery): the message goes to NATS as this
 * client, with Go's {@code Nmqtt-Pub} header, so permissions, mappings and every kind of subscriber apply; a
 * retained one is stored as the subject's retained message; a QoS 1 one is also stored on
 * {@code $MQTT.msgs.<subject>} for QoS 1/2 subscribers before its PUBACK; a QoS 2 one is staged on
 * {@code $MQTT.qos2.in.<client id>.<packet id>} (a retry stores nothing new), answered with PUBREC, and released
 * by the PUBREL. Runs on the client's reader; the topic of the previous PUBLISH is remembered with its subjects,
 * so a client publishing to one topic converts it once.
 */
final class Inbound {

    private final MqttConnection connection;
    private final ClientSession client;
    private final AccountSessions account;
    private final StorePipeline pipeline;
    private final String clientId;
    private final String username;
    private final boolean rejectQos2;
    private byte[] scratch = new byte[1024];
    private byte[] lastTopic = new byte[0];
    private byte[] lastSubject;
    private byte[] lastStoreSubject;

    Inbound(MqttConnection connection, ClientSession client, AccountSessions account, StorePipeline pipeline,
            String clientId, String username) {
        this.connection = connection;
        this.client = client;
        this.account = account;
        this.pipeline = pipeline;
        this.clientId = clientId;
        this.username = username;
        this.rejectQos2 = account.options().rejectQos2Publish();
    }

    /** A PUBLISH packet (Go's mqttParsePub, then mqttProcessPub). */
    void publish(int flags, FieldReader r) throws MqttException {
        int qos = Packets.qos(flags);
        if (qos > 2) {
            throw new MqttException("QoS=" + qos + " is invalid in MQTT");
        }
        if (rejectQos2 && qos == 2) {
            throw new MqttException("QoS=2 is disabled for PUBLISH messages");
        }
        r.readBytes("topic");
        int topicStart = r.start();
        int topicLength = r.length();
        if (topicLength == 0) {
            throw new MqttException("topic cannot be empty");
        }
        byte[] b = r.buffer();
        if (!Arrays.equals(b, topicStart, topicStart + topicLength, lastTopic, 0, lastTopic.length)) {
            // The spec requires well-formed UTF-8 in topic names [MQTT-1.5.3-1]; Go does not check it here.
            if (!r.validUtf8()) {
                throw new MqttException("invalid utf8 for topic " + quote(b, topicStart, topicLength));
            }
            byte[] subject = Topics.toPublishSubject(b, topicStart, topicLength);
            lastTopic = Arrays.copyOfRange(b, topicStart, topicStart + topicLength);
            lastSubject = subject;
            lastStoreSubject = (MqttStreams.MESSAGES_SUBJECT_PREFIX + new String(subject, StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8);
        }
        int pi = 0;
        if (qos > 0) {
            pi = r.readUint16("packet identifier");
            if (pi == 0) {
                throw new MqttException("with QoS=" + qos + ", packet identifier cannot be 0");
            }
        }
        int payloadStart = r.position();
        int payloadLength = r.end() - payloadStart;
        switch (qos) {
            case 0 -> deliver(flags, lastSubject, lastStoreSubject, lastTopic, b, payloadStart, payloadLength, 0, 0);
            case 1 -> deliver(flags, lastSubject, lastStoreSubject, lastTopic, b, payloadStart, payloadLength,
                    Packets.PUBACK, pi);
            default -> stage(flags, pi, b, payloadStart, payloadLength);
        }
    }

    /**
     * Routes a message as this client and, for QoS 1/2, stores it for QoS 1/2 subscribers; {@code ackType} for
     * {@code pi} follows the store (or at once when permissions refused the message, as Go acknowledges it anyway).
     */
    private void deliver(int flags, byte[] subject, byte[] storeSubject, byte[] topic, byte[] payload,
                         int payloadOffset, int payloadLength, int ackType, int pi) {
        int qos = Packets.qos(flags);
        byte[] header = MqttHeaders.publishBlock(qos);
        int total = header.length + payloadLength;
        if (scratch.length < total) {
            scratch = new byte[Math.max(total, scratch.length * 2)];
        }
        System.arraycopy(header, 0, scratch, 0, header.length);
        System.arraycopy(payload, payloadOffset, scratch, header.length, payloadLength);
        PublishResult result = client.publish(subject, null, scratch, 0, header.length, total);
        if (result == PublishResult.DENIED) {
            if (ackType != 0) {
                pipeline.acknowledge(ackType, pi);
            }
            return;
        }
        if (Packets.retained(flags)) {
            retain(flags, subject, topic, payload, payloadOffset, payloadLength);
        }
        if (qos == 0) {
            return;
        }
        pipeline.store(storeSubject, scratch, header.length, total, ackType, pi, false);
    }

    /** Go's mqttHandlePubRetain: an empty payload clears the subject's retained message [MQTT-3.3.1-10]. */
    private void retain(int flags, byte[] subject, byte[] topic, byte[] payload, int offset, int length) {
        String key = new String(subject, StandardCharsets.UTF_8);
        if (length == 0) {
            account.retained().clear(key);
            return;
        }
        RetainedMessage rm = new RetainedMessage(account.nodeId(), key, new String(topic, StandardCharsets.UTF_8),
                Arrays.copyOfRange(payload, offset, offset + length), flags, username);
        try {
            account.retained().store(rm);
        } catch (JsApiException e) {
            connection.error("unable to store retained message for account \"" + account.accountName()
                    + "\", subject \"" + key + "\": " + e.getMessage());
        }
    }

    /** QoS 2, method A: stored once per packet identifier until the PUBREL; PUBREC once stored. */
    private void stage(int flags, int pi, byte[] payload, int offset, int length) {
        byte[] header = MqttHeaders.stagedBlock(flags, lastSubject, null);
        byte[] data = new byte[header.length + length];
        System.arraycopy(header, 0, data, 0, header.length);
        System.arraycopy(payload, offset, data, header.length, length);
        pipeline.store(stagedSubject(pi), data, header.length, data.length, Packets.PUBREC, pi, true);
    }

    private byte[] stagedSubject(int pi) {
        return (MqttStreams.QOS2_IN_SUBJECT_PREFIX + clientId + "." + pi).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * PUBREL (Go's mqttProcessPubRel): the staged message, when there is one, is taken out and delivered as a
     * QoS 2 message; PUBCOMP follows in every case.
     */
    void pubRel(int pi) throws MqttException {
        Optional<MqttStreams.StoredMessage> stored;
        try {
            stored = account.streams().lastFor(MqttStreams.QOS2_IN, new String(stagedSubject(pi), StandardCharsets.UTF_8));
        } catch (JsApiException e) {
            stored = Optional.empty();
        }
        if (stored.isEmpty()) {
            pipeline.acknowledge(Packets.PUBCOMP, pi);
            return;
        }
        MqttStreams.StoredMessage sm = stored.get();
        try {
            // Waited for, as Go does: a repeated PUBREL must not find the message again.
            account.streams().deleteMessage(MqttStreams.QOS2_IN, sm.sequence(), true);
        } catch (JsApiException e) {
            // Best effort, as in Go.
        }
        byte[] h = sm.headers();
        byte[] subject = MqttHeaders.value(h, 0, h.length, MqttHeaders.SUBJECT);
        if (MqttHeaders.publishQos(h, 0, h.length) != 2 || subject == null || subject.length == 0) {
            pipeline.acknowledge(Packets.PUBCOMP, pi);
            throw new MqttException("invalid message in QoS2 PUBREL stream");
        }
        int flags = (2 << 1) | (MqttHeaders.stagedFlags(h, 0, h.length) & Packets.PUBLISH_RETAIN);
        byte[] storeSubject = (MqttStreams.MESSAGES_SUBJECT_PREFIX + new String(subject, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
        deliver(flags, subject, storeSubject, Topics.toTopic(subject), sm.data(), 0, sm.data().length,
                Packets.PUBCOMP, pi);
    }

    /** Publishes the will of a client that went away without DISCONNECT (Go's mqttHandleWill). */
    void will(ConnectPacket.Will will) {
        int flags = (will.qos() << 1) | (will.retain() ? Packets.PUBLISH_RETAIN : 0);
        byte[] header = MqttHeaders.publishBlock(will.qos());
        byte[] data = new byte[header.length + will.message().length];
        System.arraycopy(header, 0, data, 0, header.length);
        System.arraycopy(will.message(), 0, data, header.length, will.message().length);
        PublishResult result = client.publish(will.subject(), null, data, 0, header.length, data.length);
        if (result == PublishResult.DENIED) {
            return;
        }
        if (will.retain()) {
            retain(flags, will.subject(), will.topic(), will.message(), 0, will.message().length);
        }
        client.flush();
        if (will.qos() > 0) {
            try {
                account.streams().store(MqttStreams.MESSAGES_SUBJECT_PREFIX
                        + new String(will.subject(), StandardCharsets.UTF_8), header, will.message());
            } catch (JsApiException e) {
                connection.error("unable to store will message: " + e.getMessage());
            }
        }
    }

    private static String quote(byte[] b, int offset, int length) {
        return "\"" + new String(b, offset, length, StandardCharsets.UTF_8) + "\"";
    }
}
