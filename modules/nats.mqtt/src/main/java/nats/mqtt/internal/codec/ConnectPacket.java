package nats.mqtt.internal.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * A CONNECT packet (spec 3.1), checked as Go's mqttParseConnect checks it, with Go's texts and CONNACK codes.
 *
 * @param clientId      the client identifier; empty when the client sent none (the server then makes one)
 * @param cleanSession  the clean-session flag
 * @param keepAlive     the keep-alive in seconds, 0 for none
 * @param will          the will, when the client set one
 * @param username      the user name, empty when absent
 * @param password      the password, empty when absent
 * @param hasUsername   whether the user-name flag was set
 */
public record ConnectPacket(String clientId, boolean cleanSession, int keepAlive, Optional<Will> will,
                            String username, String password, boolean hasUsername) {

    private static final byte[] PROTOCOL_NAME = "MQTT".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OLD_PROTOCOL_NAME = "MQIsdp".getBytes(StandardCharsets.US_ASCII);

    /**
     * The will message.
     *
     * @param topic   the will topic as the client sent it
     * @param subject the topic as a NATS subject
     * @param message the will payload
     * @param qos     its QoS
     * @param retain  whether it is retained
     */
    public record Will(byte[] topic, byte[] subject, byte[] message, int qos, boolean retain) {
    }

    /** The keep-alive deadline Go sets: 1.5 times the keep-alive, in whole seconds as Go's conversion truncates. */
    public long keepAliveDeadlineSeconds() {
        return (long) (keepAlive * 1.5);
    }

    /**
     * Parses a CONNECT body.
     *
     * @param rejectQos2Will Go's reject_qos2_publish: a QoS 2 will is refused with Go's own return code
     * @throws MqttException with the CONNACK code to answer (0 for none) and Go's text
     */
    public static ConnectPacket parse(FieldReader r, boolean rejectQos2Will) throws MqttException {
        r.readBytes("protocol name");
        byte[] name = Arrays.copyOfRange(r.buffer(), r.start(), r.start() + r.length());
        if (!Arrays.equals(name, PROTOCOL_NAME)) {
            if (Arrays.equals(name, OLD_PROTOCOL_NAME)) {
                throw new MqttException("older protocol \"MQIsdp\" not supported");
            }
            throw new MqttException("expected connect packet with protocol name \"MQTT\", got "
                    + Topics.GoQuote.quote(name, 0, name.length));
        }
        int level = r.readByte("protocol level");
        if (level != Packets.PROTOCOL_LEVEL) {
            throw new MqttException("unacceptable protocol version of " + level, Packets.RC_UNACCEPTABLE_PROTOCOL);
        }
        int flags = r.readByte("flags");
        if ((flags & Packets.CONNECT_RESERVED) != 0) {
            throw new MqttException("connect flags reserved bit not set to 0");
        }
        int willQos = (flags & Packets.CONNECT_WILL_QOS) >> 3;
        boolean willRetain = (flags & Packets.CONNECT_WILL_RETAIN) != 0;
        boolean hasWill = (flags & Packets.CONNECT_WILL) != 0;
        if (!hasWill) {
            if (willQos != 0) {
                throw new MqttException("if Will flag is set to 0, Will QoS must be 0 too, got " + willQos);
            }
            if (willRetain) {
                throw new MqttException("if Will flag is set to 0, Will Retain flag must be 0 too");
            }
        } else if (willQos == 3) {
            throw new MqttException("if Will flag is set to 1, Will QoS can be 0, 1 or 2, got " + willQos);
        }
        if (rejectQos2Will && hasWill && willQos == 2) {
            throw new MqttException("server does not accept QoS2 for Will messages", Packets.RC_QOS2_WILL_REJECTED);
        }
        boolean hasUser = (flags & Packets.CONNECT_USERNAME) != 0;
        boolean hasPassword = (flags & Packets.CONNECT_PASSWORD) != 0;
        if (!hasUser && hasPassword) {
            throw new MqttException("password flag set but username flag is not");
        }
        int keepAlive = r.readUint16("keep alive");
        boolean clean = (flags & Packets.CONNECT_CLEAN_SESSION) != 0;

        String clientId = r.readString("client ID");
        if (clientId.isEmpty() && !clean) {
            throw new MqttException("when client ID is empty, clean session flag must be set to 1",
                    Packets.RC_IDENTIFIER_REJECTED);
        }
        if (!r.validUtf8()) {
            throw new MqttException("invalid utf8 for client ID: " + quoteLast(r), Packets.RC_IDENTIFIER_REJECTED);
        }
        Optional<Will> will = Optional.empty();
        if (hasWill) {
            r.readBytes("Will topic");
            if (r.length() == 0) {
                throw new MqttException("empty Will topic not allowed");
            }
            if (!r.validUtf8()) {
                throw new MqttException("invalid utf8 for Will topic " + quoteLast(r));
            }
            byte[] topic = r.copy();
            byte[] subject = Topics.toPublishSubject(topic, 0, topic.length);
            r.readBytes("Will message");
            will = Optional.of(new Will(topic, subject, r.copy(), willQos, willRetain));
        }
        String username = "";
        if (hasUser) {
            username = r.readString("user name");
            if (username.isEmpty()) {
                throw new MqttException("empty user name not allowed", Packets.RC_BAD_USER_OR_PASSWORD);
            }
            if (!r.validUtf8()) {
                throw new MqttException("invalid utf8 for user name " + quoteLast(r), Packets.RC_BAD_USER_OR_PASSWORD);
            }
        }
        String password = hasPassword ? r.readString("password") : "";
        return new ConnectPacket(clientId, clean, keepAlive, will, username, password, hasUser);
    }

    private static String quoteLast(FieldReader r) {
        return Topics.GoQuote.quote(r.buffer(), r.start(), r.length());
    }

    /** Go's trace of a CONNECT, for debug logs. */
    public String trace(String effectiveClientId) {
        StringBuilder b = new StringBuilder("clientID=").append(effectiveClientId);
        if (keepAlive > 0) {
            b.append(" keepAlive=").append(keepAliveDeadlineSeconds()).append('s');
        }
        will.ifPresent(w -> b.append(" will=(topic=").append(new String(w.topic(), StandardCharsets.UTF_8))
                .append(" QoS=").append(w.qos()).append(" retain=").append(w.retain()).append(')'));
        if (cleanSession) {
            b.append(" clean");
        }
        if (!username.isEmpty()) {
            b.append(" username=").append(username);
        }
        if (!password.isEmpty()) {
            b.append(" password=****");
        }
        return b.toString();
    }
}
