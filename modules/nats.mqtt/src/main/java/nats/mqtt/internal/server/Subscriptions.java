package nats.mqtt.internal.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import nats.api.sessions.ClientSession;
import nats.api.sessions.SessionException;
import nats.mqtt.internal.codec.MqttException;
import nats.mqtt.internal.codec.Packets;
import nats.mqtt.internal.codec.SubscribePacket;
import nats.mqtt.internal.codec.Topics;
import nats.mqtt.internal.config.MqttOptions;
import nats.mqtt.internal.js.JsApiException;
import nats.mqtt.internal.js.MqttStreams;
import nats.mqtt.internal.retained.RetainedMessage;
import nats.mqtt.internal.session.AccountSessions;
import nats.mqtt.internal.session.Session;

/**
 * SUBSCRIBE and UNSUBSCRIBE of one client, and restoring a resumed session's subscriptions, as Go's processSubs
 * does: each filter becomes a NATS subscription as this client (so its permissions apply), a filter ending in
 * {@code #} a second one on its parent level, and a QoS 1/2 filter a durable JetStream consumer on
 * {@code $MQTT.msgs.<subject>} delivering to a {@code $MQTT.sub.<nuid>} subscription. Retained messages matching
 * a new subscription are sent after the SUBACK. Runs on the client's reader.
 */
final class Subscriptions {

    private static final System.Logger LOG = System.getLogger(Subscriptions.class.getName());

    /** Go's mqttMaxAckTotalLimit: a session's consumers together may not have more pending. */
    static final int MAX_ACK_TOTAL = 0xFFFF;

    private final MqttConnection connection;
    private final ClientSession client;
    private final AccountSessions account;
    private final Session session;
    private final Deliveries deliveries;
    private final Outbound out;
    private final MqttOptions options;
    private final Map<String, SubEntry> subs = new ConcurrentHashMap<>();
    private boolean pubRelSubscribed;

    Subscriptions(MqttConnection connection, ClientSession client, AccountSessions account, Session session,
                  Deliveries deliveries, Outbound out) {
        this.connection = connection;
        this.client = client;
        this.account = account;
        this.session = session;
        this.deliveries = deliveries;
        this.out = out;
        this.options = account.options();
    }

    /** SUBSCRIBE: subscribes, persists the session, answers with the granted QoS, then sends retained messages. */
    void subscribe(SubscribePacket packet) throws MqttException {
        List<SubEntry> touched = new ArrayList<>();
        int[] granted;
        lockSession();
        try {
            granted = process(packet.filters(), true, touched);
        } finally {
            account.release(session.id());
        }
        byte[] codes = new byte[granted.length];
        for (int i = 0; i < granted.length; i++) {
            codes[i] = (byte) granted[i];
        }
        out.subAck(packet.packetId(), codes);
        for (SubEntry e : touched) {
            e.sendRetained(out);
        }
    }

    /** Re-creates a resumed session's subscriptions (Go's processSubs from CONNECT); the caller holds the lock. */
    void restore(Map<String, Integer> filters) throws MqttException {
        List<SubscribePacket.Filter> list = new ArrayList<>();
        filters.forEach((subject, qos) -> list.add(new SubscribePacket.Filter(subject, subject, qos)));
        process(list, false, new ArrayList<>());
    }

    /** UNSUBSCRIBE: removes the subscriptions and consumers, persists the session, answers. */
    void unsubscribe(SubscribePacket packet) throws MqttException {
        lockSession();
        try {
            for (SubscribePacket.Filter f : packet.filters()) {
                String sid = f.subject();
                removeConsumer(sid);
                removeEntry(sid);
                if (Topics.needsParentLevel(sid)) {
                    String parentSid = parentSid(sid);
                    removeConsumer(parentSid);
                    removeEntry(parentSid);
                }
            }
            boolean changed = false;
            for (SubscribePacket.Filter f : packet.filters()) {
                changed |= session.subscriptionsMap().remove(f.subject()) != null;
            }
            if (changed) {
                save();
            }
        } finally {
            account.release(session.id());
        }
        out.unsubAck(packet.packetId());
    }

    private void lockSession() throws MqttException {
        if (!account.lock(session, connection)) {
            throw new MqttException("another session is in use with client ID \"" + session.id() + "\"");
        }
    }

    /** Go's processSubs: the granted QoS of each filter, or 0x80. */
    private int[] process(List<SubscribePacket.Filter> filters, boolean fromSubscribe, List<SubEntry> touched)
            throws MqttException {
        int[] granted = new int[filters.size()];
        Set<String> retainedSubjects = new LinkedHashSet<>();
        for (int i = 0; i < granted.length; i++) {
            SubscribePacket.Filter f = filters.get(i);
            int qos = Math.min(f.qos(), 2);
            if (options.downgradeQos2Subscribe() && qos == 2) {
                connection.warn("Downgrading subscription QoS2 to QoS1 for \"" + f.subject() + "\", as configured");
                qos = 1;
            }
            granted[i] = qos;
            if (f.subject().isEmpty() || f.subject().startsWith(MqttStreams.SUB_PREFIX)) {
                granted[i] = Packets.SUBACK_FAILURE;
                continue;
            }
            if (qos == 2) {
                try {
                    ensurePubRel();
                } catch (MqttException | JsApiException | SessionException e) {
                    connection.error("failed to initialize PUBREL processing: " + e.getMessage());
                    granted[i] = Packets.SUBACK_FAILURE;
                    continue;
                }
            }
            if (fromSubscribe) {
                retainedSubjects.addAll(account.retained().matching(f.subject()));
                if (Topics.needsParentLevel(f.subject())) {
                    retainedSubjects.addAll(account.retained().matching(parent(f.subject())));
                }
            }
        }
        Map<String, RetainedMessage> retained = retainedSubjects.isEmpty() ? Map.of()
                : account.retained().load(retainedSubjects);
        for (int i = 0; i < granted.length; i++) {
            if (granted[i] == Packets.SUBACK_FAILURE) {
                continue;
            }
            String subject = filters.get(i).subject();
            int qos = granted[i];
            List<SubEntry> created = new ArrayList<>();
            try {
                created.add(filterSubscription(subject, subject, qos, retained));
                consumer(subject, subject, qos, fromSubscribe, created);
                if (Topics.needsParentLevel(subject)) {
                    String parent = parent(subject);
                    created.add(filterSubscription(parentSid(subject), parent, qos, retained));
                    consumer(parent, parentSid(subject), qos, fromSubscribe, created);
                }
                touched.addAll(created);
            } catch (SessionException | JsApiException | MqttException e) {
                connection.error(e.getMessage());
                granted[i] = Packets.SUBACK_FAILURE;
            }
        }
        if (fromSubscribe) {
            boolean changed = false;
            for (int i = 0; i < granted.length; i++) {
                if (granted[i] != Packets.SUBACK_FAILURE) {
                    Integer before = session.subscriptionsMap().put(filters.get(i).subject(), granted[i]);
                    changed |= before == null || before != granted[i];
                }
            }
            if (changed) {
                save();
            }
        }
        return granted;
    }

    /**
     * The subscription on a filter's subject (or its parent level): a new one, or the existing one with its QoS
     * replaced [MQTT-3.8.4-3]; with the retained messages it matches queued on it.
     */
    private SubEntry filterSubscription(String sid, String subject, int qos, Map<String, RetainedMessage> retained)
            throws SessionException {
        SubEntry entry = subs.get(sid);
        if (entry == null) {
            entry = new SubEntry(sid, subject, Topics.isReservedFilter(subject), qos);
            entry.handle = client.subscribe(subject, null, deliveries.filterHandler(entry));
            subs.put(sid, entry);
        } else {
            entry.qos = qos;
        }
        if (!retained.isEmpty()) {
            for (String s : account.retained().matching(subject)) {
                RetainedMessage rm = retained.get(s);
                if (rm != null) {
                    queueRetained(entry, rm);
                }
            }
        }
        return entry;
    }

    private void queueRetained(SubEntry entry, RetainedMessage rm) {
        int qos = Math.min(Packets.qos(rm.flags()), entry.qos);
        if (options.rejectQos2Publish() && qos == 2) {
            connection.warn("Rejecting retained message with QoS2 for subscription \"" + entry.subject
                    + "\", as configured");
            return;
        }
        int pi = 0;
        if (qos > 0) {
            pi = deliveries.retainedPacketId();
            if (pi == 0) {
                qos = 0;
            }
        }
        entry.addRetained(new SubEntry.RetainedSend((qos << 1) | Packets.PUBLISH_RETAIN, pi,
                rm.topic().getBytes(StandardCharsets.UTF_8), rm.payload()));
    }

    /**
     * Go's processJSConsumer: a QoS 1/2 subscription gets its durable consumer (created, or the session's existing
     * one) and a subscription on its delivery subject; a subscription going back to QoS 0 loses them.
     */
    private void consumer(String subject, String sid, int qos, boolean fromSubscribe, List<SubEntry> created)
            throws JsApiException, SessionException, MqttException {
        Map<String, Object> cc = session.consumer(sid);
        if (cc != null) {
            if (qos == 0) {
                removeConsumer(sid);
                return;
            }
            if (fromSubscribe) {
                SubEntry delivery = subs.get(String.valueOf(cc.get("deliver_subject")));
                if (delivery != null) {
                    delivery.qos = qos;
                }
                return;
            }
        }
        if (qos == 0) {
            return;
        }
        String inbox;
        String durable;
        if (cc != null) {
            inbox = String.valueOf(cc.get("deliver_subject"));
            durable = String.valueOf(cc.get("durable_name"));
        } else {
            int maxAck = options.effectiveMaxAckPending();
            if (session.totalMaxAckPending() + maxAck > MAX_ACK_TOTAL) {
                throw new MqttException("max_ack_pending for all consumers would be "
                        + (session.totalMaxAckPending() + maxAck) + " which exceeds the limit of " + MAX_ACK_TOTAL);
            }
            inbox = MqttStreams.SUB_PREFIX + connection.nuid();
            durable = session.idHash() + "_" + connection.nuid();
            cc = MqttStreams.consumerConfig(durable, inbox, MqttStreams.MESSAGES_SUBJECT_PREFIX + subject,
                    options.effectiveAckWait(), maxAck, options.consumerMemoryStorage(),
                    options.consumerInactiveThreshold());
            try {
                account.streams().createDurable(MqttStreams.MESSAGES, cc);
            } catch (JsApiException e) {
                throw new JsApiException(e.code(), e.errCode(), "Unable to add JetStream consumer for subscription on \""
                        + subject + "\": err=" + e.getMessage());
            }
            session.consumersMap().put(sid, cc);
            session.addMaxAckPending(maxAck);
        }
        SubEntry delivery = subs.get(inbox);
        if (delivery == null) {
            delivery = new SubEntry(inbox, inbox, Topics.isReservedFilter(subject), qos);
            delivery.durable = durable;
            try {
                delivery.handle = client.subscribe(inbox, null, deliveries.storedHandler(delivery));
            } catch (SessionException e) {
                removeConsumer(sid);
                throw new SessionException("Unable to create subscription for JetStream consumer on \"" + subject
                        + "\": " + e.getMessage());
            }
            subs.put(inbox, delivery);
        } else {
            delivery.qos = qos;
        }
        created.add(delivery);
    }

    /** Go's ensurePubRelConsumerSubscription: the PUBREL delivery subscription and durable consumer. */
    private void ensurePubRel() throws JsApiException, SessionException, MqttException {
        String deliver = MqttStreams.PUBREL_DELIVERY_PREFIX + session.idHash();
        if (!pubRelSubscribed) {
            SubEntry entry = new SubEntry(deliver, deliver, false, 2);
            try {
                entry.handle = client.subscribe(deliver, null, deliveries.pubRelHandler());
            } catch (SessionException e) {
                throw new SessionException("Unable to create subscription for JetStream consumer on \"" + deliver
                        + "\": " + e.getMessage());
            }
            subs.put(deliver, entry);
            pubRelSubscribed = true;
        }
        if (session.pubRelConsumer() == null) {
            int maxAck = options.effectiveMaxAckPending();
            if (session.totalMaxAckPending() + maxAck > MAX_ACK_TOTAL) {
                throw new MqttException("max_ack_pending for all consumers would be "
                        + (session.totalMaxAckPending() + maxAck) + " which exceeds the limit of " + MAX_ACK_TOTAL);
            }
            Map<String, Object> cc = MqttStreams.consumerConfig(MqttStreams.PUBREL_DURABLE_PREFIX + session.idHash(),
                    deliver, MqttStreams.PUBREL_SUBJECT_PREFIX + session.idHash(), options.effectiveAckWait(), maxAck,
                    options.consumerMemoryStorage(), options.consumerInactiveThreshold());
            try {
                account.streams().createDurable(MqttStreams.OUT, cc);
            } catch (JsApiException e) {
                throw new JsApiException(e.code(), e.errCode(), "Unable to add JetStream consumer for PUBREL for client \""
                        + session.id() + "\": err=" + e.getMessage());
            }
            synchronized (session) {
                session.pubRelConsumer(cc);
            }
            session.addMaxAckPending(maxAck);
        }
    }

    /** Deletes a subscription's consumer (without waiting) and forgets its pending identifiers. */
    private void removeConsumer(String sid) {
        Map<String, Object> cc = session.consumersMap().remove(sid);
        if (cc == null) {
            return;
        }
        String durable = String.valueOf(cc.get("durable_name"));
        session.addMaxAckPending(-(cc.get("max_ack_pending") instanceof Number n ? n.intValue() : 0));
        try {
            account.streams().deleteConsumer(MqttStreams.MESSAGES, durable, false);
        } catch (JsApiException e) {
            LOG.log(System.Logger.Level.DEBUG, "consumer delete: {0}", e.getMessage());
        }
        synchronized (session) {
            session.packetIds().dropConsumer(durable);
        }
        removeEntry(String.valueOf(cc.get("deliver_subject")));
    }

    private void removeEntry(String sid) {
        SubEntry entry = subs.remove(sid);
        if (entry != null) {
            entry.unsubscribe();
        }
    }

    private void save() throws MqttException {
        try {
            account.save(session);
        } catch (JsApiException e) {
            throw new MqttException(e.getMessage());
        }
    }

    /** The number of NATS subscriptions this client holds. */
    int size() {
        return subs.size();
    }

    private static String parent(String subject) {
        return subject.substring(0, subject.length() - 2);
    }

    /** Go's sid for the parent level of a {@code .>} filter: {@code "<parent> fwc"}. */
    private static String parentSid(String subject) {
        return parent(subject) + " fwc";
    }
}
