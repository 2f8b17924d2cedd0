package nats.mqtt.internal.session;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import nats.mqtt.internal.js.MqttStreams;
import nats.transport.json.Json;

/**
 * An MQTT session (Go's mqttSession): what is persisted in {@code $MQTT_sess} (subscriptions with their QoS, the
 * JetStream consumers behind QoS 1 and 2 subscriptions, the PUBREL consumer) and, while this server runs, the
 * packet identifiers of messages sent and not yet acknowledged. It outlives its connections unless it is clean.
 *
 * <p>Thread-safety: the persisted part is changed by the owning connection's reader while the session is locked
 * in its {@link AccountSessions}; the packet-identifier tracking ({@link PacketIds}) is guarded by this object's
 * monitor, since deliveries arrive on publishers' threads.
 */
public final class Session {

    final String id;
    final String idHash;
    final String domainToken;
    /** Filter subject to granted QoS. */
    final Map<String, Integer> subscriptions = new LinkedHashMap<>();
    /** Subscription id (filter subject, or its parent level's) to the consumer config created for it. */
    final Map<String, Map<String, Object>> consumers = new LinkedHashMap<>();
    Map<String, Object> pubRelConsumer;
    volatile boolean clean;
    /** The sequence of the session record last stored, 0 when none. */
    long recordSequence;
    /** The total max_ack_pending of the session's consumers (Go caps it at 65535). */
    int totalMaxAckPending;
    private volatile Object owner;
    private final PacketIds packetIds;

    Session(String id, String idHash, String domainToken, int maxAckPending) {
        this.id = id;
        this.idHash = idHash;
        this.domainToken = domainToken;
        this.packetIds = new PacketIds(maxAckPending);
    }

    public String id() {
        return id;
    }

    public String idHash() {
        return idHash;
    }

    /** The connection the session is bound to, null when none. */
    public Object owner() {
        return owner;
    }

    void owner(Object connection) {
        owner = connection;
    }

    /** Whether {@code connection} is the one bound to the session. */
    public boolean ownedBy(Object connection) {
        return owner == connection;
    }

    /** The session's packet-identifier tracking; callers synchronize on this session. */
    public PacketIds packetIds() {
        return packetIds;
    }

    /** The subscriptions to restore when a client resumes the session. */
    public Map<String, Integer> subscriptions() {
        return Map.copyOf(subscriptions);
    }

    public Map<String, Object> consumer(String sid) {
        return consumers.get(sid);
    }

    public Map<String, Object> pubRelConsumer() {
        return pubRelConsumer;
    }

    /** Sets the PUBREL consumer; callers synchronize on the session (deliveries read it). */
    public void pubRelConsumer(Map<String, Object> config) {
        pubRelConsumer = config;
    }

    /** The persisted subscriptions, changed by the owning reader while the session is locked. */
    public Map<String, Integer> subscriptionsMap() {
        return subscriptions;
    }

    /** The persisted consumers by subscription id, changed by the owning reader while the session is locked. */
    public Map<String, Map<String, Object>> consumersMap() {
        return consumers;
    }

    public int totalMaxAckPending() {
        return totalMaxAckPending;
    }

    public void addMaxAckPending(int delta) {
        totalMaxAckPending += delta;
    }

    /** The subject the session record is stored on: {@code $MQTT.sess.<domain.><hash>}. */
    String recordSubject() {
        return MqttStreams.SESSIONS_SUBJECT_PREFIX + domainToken + idHash;
    }

    /** Go's mqttPersistedSession. */
    byte[] record(String origin) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("origin", origin);
        m.put("id", id);
        if (clean) {
            m.put("clean", true);
        }
        if (!subscriptions.isEmpty()) {
            m.put("subs", new LinkedHashMap<>(subscriptions));
        }
        if (!consumers.isEmpty()) {
            m.put("cons", new LinkedHashMap<>(consumers));
        }
        if (pubRelConsumer != null) {
            m.put("pubrel", pubRelConsumer);
        }
        return MqttStreams.json(m);
    }

    /** Restores the persisted part from a stored record. */
    @SuppressWarnings("unchecked")
    void restore(byte[] record, long sequence) {
        Map<String, Object> m = Json.parseObject(new String(record, StandardCharsets.UTF_8));
        clean = Boolean.TRUE.equals(m.get("clean"));
        subscriptions.clear();
        if (m.get("subs") instanceof Map<?, ?> subs) {
            subs.forEach((k, v) -> subscriptions.put((String) k, v instanceof Number n ? n.intValue() : 0));
        }
        consumers.clear();
        if (m.get("cons") instanceof Map<?, ?> cons) {
            cons.forEach((k, v) -> {
                if (v instanceof Map<?, ?> cfg) {
                    consumers.put((String) k, new HashMap<>((Map<String, Object>) cfg));
                }
            });
        }
        pubRelConsumer = m.get("pubrel") instanceof Map<?, ?> p ? new HashMap<>((Map<String, Object>) p) : null;
        recordSequence = sequence;
    }

    /** Forgets everything (a clean session); returns what must be deleted from JetStream. */
    synchronized Cleared clear() {
        Cleared c = new Cleared(consumers.values().stream().map(cc -> String.valueOf(cc.get("durable_name"))).toList(),
                pubRelConsumer == null ? null : String.valueOf(pubRelConsumer.get("durable_name")), recordSequence);
        consumers.clear();
        subscriptions.clear();
        pubRelConsumer = null;
        recordSequence = 0;
        totalMaxAckPending = 0;
        packetIds.clear();
        return c;
    }

    /** What clearing a session leaves to delete. */
    record Cleared(java.util.List<String> durables, String pubRelDurable, long recordSequence) {
    }
}
