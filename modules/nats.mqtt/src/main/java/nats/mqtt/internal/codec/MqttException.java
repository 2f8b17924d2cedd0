package nats.mqtt.internal.codec;

/**
 * A protocol violation by an MQTT client, with Go's text for it; the connection is closed with it. A CONNECT
 * that MQTT answers with a CONNACK first carries that return code.
 */
public final class MqttException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int connAckCode;

    public MqttException(String message) {
        this(message, 0);
    }

    /** @param connAckCode the CONNACK return code to send before closing, 0 for none */
    public MqttException(String message, int connAckCode) {
        super(message, null, false, false);
        this.connAckCode = connAckCode;
    }

    /** The CONNACK return code to answer with before closing, 0 when no CONNACK goes out. */
    public int connAckCode() {
        return connAckCode;
    }
}
