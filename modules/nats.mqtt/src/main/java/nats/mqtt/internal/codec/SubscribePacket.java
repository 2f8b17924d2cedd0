package nats.mqtt.internal.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A SUBSCRIBE or UNSUBSCRIBE packet (spec 3.8, 3.10), checked as Go's mqttParseSubsOrUnsubs checks it.
 *
 * @param packetId the packet identifier
 * @param filters  the topic filters in order
 */
public record SubscribePacket(int packetId, List<Filter> filters) {

    /**
     * One topic filter.
     *
     * @param subject the filter as a NATS subject, empty when it could not be converted (refused in the SUBACK)
     * @param topic   the filter as the client sent it
     * @param qos     the requested QoS (0 for UNSUBSCRIBE)
     */
    public record Filter(String subject, String topic, int qos) {
    }

    /**
     * @param header      the fixed header byte, whose reserved flags must be {@code 0010}
     * @param subscribe   SUBSCRIBE (with QoS bytes) or UNSUBSCRIBE
     * @param conversions told Go's error text for a filter that cannot become a subject (the packet goes on)
     */
    public static SubscribePacket parse(int header, FieldReader r, boolean subscribe, Consumer<String> conversions)
            throws MqttException {
        String action = subscribe ? "" : "un";
        int reserved = header & Packets.FLAGS_MASK;
        if (reserved != Packets.SUBSCRIBE_FLAGS) {
            throw new MqttException("wrong " + action + "subscribe reserved flags: "
                    + Integer.toHexString(reserved).toLowerCase(Locale.ROOT));
        }
        int packetId;
        try {
            packetId = r.readUint16("packet identifier");
        } catch (MqttException e) {
            throw new MqttException("reading packet identifier: " + e.getMessage().substring("error reading packet identifier: ".length()));
        }
        List<Filter> filters = new ArrayList<>();
        while (r.remaining() > 0) {
            r.readBytes("topic filter");
            if (r.length() == 0) {
                throw new MqttException("topic filter cannot be empty");
            }
            String quoted = Topics.GoQuote.quote(r.buffer(), r.start(), r.length());
            if (!r.validUtf8()) {
                throw new MqttException("invalid utf8 for topic filter " + quoted);
            }
            String topic = new String(r.buffer(), r.start(), r.length(), StandardCharsets.UTF_8);
            String subject = "";
            try {
                subject = new String(Topics.toFilterSubject(r.buffer(), r.start(), r.length()), StandardCharsets.UTF_8);
            } catch (MqttException e) {
                conversions.accept("invalid topic " + quoted + ": " + e.getMessage());
            }
            int qos = 0;
            if (subscribe) {
                qos = r.readByte("QoS");
                if (qos > 2) {
                    throw new MqttException("subscribe QoS value must be 0, 1 or 2, got " + qos);
                }
            }
            filters.add(new Filter(subject, topic, qos));
        }
        if (filters.isEmpty()) {
            throw new MqttException(action + "subscribe protocol must contain at least 1 topic filter");
        }
        return new SubscribePacket(packetId, List.copyOf(filters));
    }
}
