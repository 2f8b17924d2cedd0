package nats.mqtt.internal.codec;

/** MQTT 3.1.1 control packet types, flags and return codes (spec section 2 and 3), as Go names them. */
public final class Packets {

    private Packets() {
    }

    public static final int CONNECT = 0x10;
    public static final int CONNACK = 0x20;
    public static final int PUBLISH = 0x30;
    public static final int PUBACK = 0x40;
    public static final int PUBREC = 0x50;
    public static final int PUBREL = 0x60;
    public static final int PUBCOMP = 0x70;
    public static final int SUBSCRIBE = 0x80;
    public static final int SUBACK = 0x90;
    public static final int UNSUBSCRIBE = 0xa0;
    public static final int UNSUBACK = 0xb0;
    public static final int PINGREQ = 0xc0;
    public static final int PINGRESP = 0xd0;
    public static final int DISCONNECT = 0xe0;
    public static final int TYPE_MASK = 0xf0;
    public static final int FLAGS_MASK = 0x0f;

    /** The only protocol level accepted: 3.1.1. */
    public static final int PROTOCOL_LEVEL = 4;

    // CONNECT flags
    public static final int CONNECT_RESERVED = 0x01;
    public static final int CONNECT_CLEAN_SESSION = 0x02;
    public static final int CONNECT_WILL = 0x04;
    public static final int CONNECT_WILL_QOS = 0x18;
    public static final int CONNECT_WILL_RETAIN = 0x20;
    public static final int CONNECT_PASSWORD = 0x40;
    public static final int CONNECT_USERNAME = 0x80;

    // PUBLISH flags
    public static final int PUBLISH_RETAIN = 0x01;
    public static final int PUBLISH_QOS = 0x06;
    public static final int PUBLISH_DUP = 0x08;

    /** SUBSCRIBE and UNSUBSCRIBE must carry these reserved flags. */
    public static final int SUBSCRIBE_FLAGS = 0x02;
    /** A SUBACK entry for a refused filter. */
    public static final int SUBACK_FAILURE = 0x80;

    // CONNACK return codes
    public static final int RC_ACCEPTED = 0x00;
    public static final int RC_UNACCEPTABLE_PROTOCOL = 0x01;
    public static final int RC_IDENTIFIER_REJECTED = 0x02;
    public static final int RC_SERVER_UNAVAILABLE = 0x03;
    public static final int RC_BAD_USER_OR_PASSWORD = 0x04;
    public static final int RC_NOT_AUTHORIZED = 0x05;
    /** Go's own code when {@code reject_qos2_publish} refuses a QoS 2 will. */
    public static final int RC_QOS2_WILL_REJECTED = 0x10;

    /** The largest remaining length the variable-length encoding can express. */
    public static final int MAX_REMAINING_LENGTH = 0xFFFFFFF;

    /** The QoS bits of PUBLISH flags. */
    public static int qos(int flags) {
        return (flags & PUBLISH_QOS) >> 1;
    }

    public static boolean retained(int flags) {
        return (flags & PUBLISH_RETAIN) != 0;
    }
}
