package nats.mqtt.internal.retained;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import nats.transport.json.GoJson;
import nats.transport.json.Json;

/**
 * A retained message as Go 2.10 stores it in {@code $MQTT_rmsgs} (its mqttRetainedMsg, JSON with the payload in
 * base64; every field omitted when empty).
 *
 * @param origin  the node (hash of the server name) that stored it
 * @param subject the NATS subject it was published on
 * @param topic   the MQTT topic
 * @param payload the message
 * @param flags   the PUBLISH flags it was published with (QoS and RETAIN)
 * @param source  the user that published it, empty when none
 */
public record RetainedMessage(String origin, String subject, String topic, byte[] payload, int flags,
                              String source) {

    public byte[] toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        putIf(m, "origin", origin);
        putIf(m, "subject", subject);
        putIf(m, "topic", topic);
        if (payload.length > 0) {
            m.put("msg", Base64.getEncoder().encodeToString(payload));
        }
        if (flags != 0) {
            m.put("flags", flags);
        }
        putIf(m, "source", source);
        return GoJson.compact(m).getBytes(StandardCharsets.UTF_8);
    }

    /** Parses a stored record; a malformed one throws {@link IllegalArgumentException}. */
    public static RetainedMessage fromJson(byte[] json) {
        Map<String, Object> m;
        try {
            m = Json.parseObject(new String(json, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a retained message record: " + e.getMessage(), e);
        }
        Object msg = m.get("msg");
        return new RetainedMessage(str(m, "origin"), str(m, "subject"), str(m, "topic"),
                msg instanceof String s ? Base64.getDecoder().decode(s) : new byte[0],
                m.get("flags") instanceof Number n ? n.intValue() : 0, str(m, "source"));
    }

    private static String str(Map<String, Object> m, String key) {
        return m.get(key) instanceof String s ? s : "";
    }

    private static void putIf(Map<String, Object> m, String key, String value) {
        if (!value.isEmpty()) {
            m.put(key, value);
        }
    }
}
