package nats.mqtt.internal.js;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import nats.transport.json.GoJson;

/**
 * The streams Go's MQTT keeps in each account and the requests it makes on them, with Go's names, subjects and
 * settings (mqtt.go, 2.10): sessions, QoS 1/2 messages, retained messages, incoming QoS 2 messages waiting for
 * their PUBREL and outgoing PUBRELs.
 */
public final class MqttStreams {

    public static final String SESSIONS = "$MQTT_sess";
    public static final String SESSIONS_SUBJECT_PREFIX = "$MQTT.sess.";
    public static final String MESSAGES = "$MQTT_msgs";
    public static final String MESSAGES_SUBJECT_PREFIX = "$MQTT.msgs.";
    public static final String RETAINED = "$MQTT_rmsgs";
    public static final String RETAINED_SUBJECT_PREFIX = "$MQTT.rmsgs.";
    public static final String QOS2_IN = "$MQTT_qos2in";
    public static final String QOS2_IN_SUBJECT_PREFIX = "$MQTT.qos2.in.";
    public static final String OUT = "$MQTT_out";
    public static final String OUT_SUBJECT_PREFIX = "$MQTT.out.";
    public static final String PUBREL_SUBJECT_PREFIX = "$MQTT.out.pubrel.";
    public static final String PUBREL_DELIVERY_PREFIX = "$MQTT.deliver.pubrel.";
    public static final String PUBREL_DURABLE_PREFIX = "$MQTT_PUBREL_";
    /** Delivery subjects of the session consumers; MQTT clients may not subscribe under it. */
    public static final String SUB_PREFIX = "$MQTT.sub.";

    // Go's request kinds, the token after the node in reply subjects.
    public static final String STREAM_CREATE = "SC";
    public static final String STREAM_UPDATE = "SU";
    public static final String STREAM_LOOKUP = "SL";
    public static final String CONSUMER_CREATE = "CC";
    public static final String CONSUMER_DELETE = "CD";
    public static final String MSG_STORE = "MS";
    public static final String MSG_LOAD = "ML";
    public static final String MSG_DELETE = "MD";
    public static final String SESSION_PERSIST = "SP";

    private final JsApi api;

    public MqttStreams(JsApi api) {
        this.api = api;
    }

    public JsApi api() {
        return api;
    }

    /** A stream's info, empty when it does not exist. */
    public Optional<Map<String, Object>> lookup(String stream) throws JsApiException {
        try {
            return Optional.of(api.call(STREAM_LOOKUP, api.api("STREAM.INFO." + stream), new byte[0]));
        } catch (JsApiException e) {
            if (e.is(JsApiException.STREAM_NOT_FOUND)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Creates a stream; one that already exists (a race with another creator) is not an error. */
    public void create(Map<String, Object> config) throws JsApiException {
        try {
            api.call(STREAM_CREATE, api.api("STREAM.CREATE." + config.get("name")), json(config));
        } catch (JsApiException e) {
            if (!e.is(JsApiException.STREAM_NAME_EXISTS)) {
                throw e;
            }
        }
    }

    /** Go's StreamConfig of each MQTT stream (file storage). */
    public static Map<String, Object> streamConfig(String name, String subject, String retention, long maxMsgsPer,
                                                   boolean discardNewPer, int replicas) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("subjects", List.of(subject));
        c.put("retention", retention);
        c.put("max_consumers", 0);
        c.put("max_msgs", 0);
        c.put("max_bytes", 0);
        c.put("max_age", 0);
        c.put("max_msgs_per_subject", maxMsgsPer);
        c.put("max_msg_size", 0);
        c.put("discard", discardNewPer ? "new" : "old");
        c.put("storage", "file");
        c.put("num_replicas", replicas);
        c.put("duplicate_window", 0);
        if (discardNewPer) {
            c.put("discard_new_per_subject", true);
        }
        return c;
    }

    /**
     * A durable push consumer of a session (Go's CreateConsumerRequest): explicit acks, new messages only, on
     * {@code filter}, delivered to {@code deliverSubject}.
     */
    public static Map<String, Object> consumerConfig(String durable, String deliverSubject, String filter,
                                                     Duration ackWait, int maxAckPending, boolean memory,
                                                     Duration inactiveThreshold) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("durable_name", durable);
        c.put("deliver_policy", "new");
        c.put("ack_policy", "explicit");
        c.put("ack_wait", ackWait.toNanos());
        c.put("filter_subject", filter);
        c.put("replay_policy", "instant");
        c.put("max_ack_pending", maxAckPending);
        c.put("deliver_subject", deliverSubject);
        if (!inactiveThreshold.isZero()) {
            c.put("inactive_threshold", inactiveThreshold.toNanos());
        }
        if (memory) {
            c.put("mem_storage", true);
        }
        return c;
    }

    /** Creates a durable consumer on {@code stream} with Go's DURABLE.CREATE request. */
    public void createDurable(String stream, Map<String, Object> config) throws JsApiException {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("stream_name", stream);
        request.put("config", config);
        api.call(CONSUMER_CREATE, api.api("CONSUMER.DURABLE.CREATE." + stream + "." + config.get("durable_name")),
                json(request));
    }

    /** Creates an ephemeral consumer (a named one, as Go 2.10 does for retained messages). */
    public void createEphemeral(String stream, Map<String, Object> config) throws JsApiException {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("stream_name", stream);
        request.put("config", config);
        api.call(CONSUMER_CREATE, api.api("CONSUMER.CREATE." + stream), json(request));
    }

    /** Deletes a consumer, waiting for the answer only when asked (Go's noWait otherwise). */
    public void deleteConsumer(String stream, String name, boolean wait) throws JsApiException {
        String subject = api.api("CONSUMER.DELETE." + stream + "." + name);
        if (!wait) {
            api.publish(subject, new byte[0]);
            return;
        }
        try {
            api.call(CONSUMER_DELETE, subject, new byte[0]);
        } catch (JsApiException e) {
            if (!e.is(JsApiException.CONSUMER_NOT_FOUND)) {
                throw e;
            }
        }
    }

    /** The last message on a subject, empty when there is none. */
    public Optional<StoredMessage> lastFor(String stream, String subject) throws JsApiException {
        return load(stream, Map.of("last_by_subj", subject));
    }

    public Optional<StoredMessage> load(String stream, Map<String, Object> request) throws JsApiException {
        try {
            return Optional.of(StoredMessage.of(api.call(MSG_LOAD, api.api("STREAM.MSG.GET." + stream),
                    json(request))));
        } catch (JsApiException e) {
            if (e.is(JsApiException.NO_MESSAGE_FOUND)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Deletes a stored message without erasing it, waiting for the answer only when asked. */
    public void deleteMessage(String stream, long sequence, boolean wait) throws JsApiException {
        byte[] body = ("{\"seq\":" + sequence + ",\"no_erase\":true}").getBytes(StandardCharsets.US_ASCII);
        String subject = api.api("STREAM.MSG.DELETE." + stream);
        if (!wait) {
            api.publish(subject, body);
            return;
        }
        api.call(MSG_DELETE, subject, body);
    }

    /** Stores a message and waits for the publish ack; returns its stream sequence. */
    public long store(String subject, byte[] headers, byte[] payload) throws JsApiException {
        Map<String, Object> ack = api.call(MSG_STORE, subject, "", headers, payload);
        return ack.get("seq") instanceof Number n ? n.longValue() : 0;
    }

    public static byte[] json(Object value) {
        return GoJson.compact(value).getBytes(StandardCharsets.UTF_8);
    }

    /** A message as {@code STREAM.MSG.GET} returns it. */
    public record StoredMessage(String subject, long sequence, byte[] headers, byte[] data) {

        public static StoredMessage of(Map<String, Object> answer) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) answer.get("message");
            if (m == null) {
                return new StoredMessage("", 0, new byte[0], new byte[0]);
            }
            return new StoredMessage(String.valueOf(m.getOrDefault("subject", "")),
                    m.get("seq") instanceof Number n ? n.longValue() : 0, base64(m.get("hdrs")), base64(m.get("data")));
        }

        private static byte[] base64(Object value) {
            return value instanceof String s && !s.isEmpty() ? Base64.getDecoder().decode(s) : new byte[0];
        }
    }
}
