package nats.mqtt.internal.session;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import nats.mqtt.internal.config.MqttOptions;
import nats.mqtt.internal.js.JsApi;
import nats.mqtt.internal.js.JsApiException;
import nats.mqtt.internal.js.MqttStreams;
import nats.mqtt.internal.retained.RetainedStore;

/**
 * The MQTT sessions of one account (Go's mqttAccountSessionManager): the JetStream streams behind them, created
 * when the account's first MQTT client connects; the sessions known to this server by client id; the client ids
 * being connected or changed right now (a second CONNECT with the same id waits for them); and the ids whose
 * clients keep taking the session from each other (Go's flappers, held off for a second).
 */
public final class AccountSessions {

    /** Go's mqttSessFlappingJailDur. */
    static final long JAIL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final System.Logger LOG = System.getLogger(AccountSessions.class.getName());

    private final String accountName;
    private final MqttStreams streams;
    private final RetainedStore retained;
    private volatile MqttOptions options;
    private final String nodeId;
    private final String domainToken;
    private final Map<String, Session> sessions = new HashMap<>();
    private final Set<String> locked = new HashSet<>();
    private final Map<String, Long> flappers = new HashMap<>();

    private AccountSessions(String accountName, MqttStreams streams, MqttOptions options, String nodeId) {
        this.accountName = accountName;
        this.streams = streams;
        this.options = options;
        this.nodeId = nodeId;
        this.domainToken = options.jsDomain().isEmpty() ? "" : options.jsDomain() + ".";
        this.retained = new RetainedStore(streams, nodeId);
    }

    /**
     * Creates the account's MQTT streams where missing (Go's settings) and loads its retained messages.
     *
     * @throws JsApiException with Go's text naming the stream and the account
     */
    public static AccountSessions create(String accountName, JsApi api, MqttOptions options, String nodeId)
            throws JsApiException {
        MqttStreams streams = new MqttStreams(api);
        AccountSessions as = new AccountSessions(accountName, streams, options, nodeId);
        int replicas = options.streamReplicas() > 0 ? options.streamReplicas() : 1;
        if (options.jsDomain().isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "Creating MQTT streams/consumers with replicas {0} for account \"{1}\"",
                    replicas, accountName);
        } else {
            LOG.log(System.Logger.Level.INFO, "Creating MQTT streams/consumers with replicas {0} for account \"{1}\" "
                    + "in domain \"{2}\"", replicas, accountName, options.jsDomain());
        }
        as.ensure("sessions", MqttStreams.streamConfig(MqttStreams.SESSIONS,
                MqttStreams.SESSIONS_SUBJECT_PREFIX + as.domainToken + ">", "limits", 1, false, replicas));
        as.ensure("messages", MqttStreams.streamConfig(MqttStreams.MESSAGES, MqttStreams.MESSAGES_SUBJECT_PREFIX + ">",
                "interest", 0, false, replicas));
        as.ensure("QoS2 incoming messages", MqttStreams.streamConfig(MqttStreams.QOS2_IN,
                MqttStreams.QOS2_IN_SUBJECT_PREFIX + ">", "limits", 1, true, replicas));
        as.ensure("QoS2 outgoing PUBREL", MqttStreams.streamConfig(MqttStreams.OUT,
                MqttStreams.OUT_SUBJECT_PREFIX + ">", "interest", 0, false, replicas));
        Map<String, Object> info = as.ensure("retained messages", MqttStreams.streamConfig(MqttStreams.RETAINED,
                MqttStreams.RETAINED_SUBJECT_PREFIX + ">", "limits", 1, false, replicas));
        long last = 0;
        long count = 0;
        if (info.get("state") instanceof Map<?, ?> state) {
            last = state.get("last_seq") instanceof Number n ? n.longValue() : 0;
            count = state.get("messages") instanceof Number n ? n.longValue() : 0;
        }
        try {
            as.retained.start(last, count);
        } catch (JsApiException e) {
            throw new JsApiException(e.code(), e.errCode(), "create retained messages consumer for account \""
                    + accountName + "\": " + e.getMessage());
        }
        return as;
    }

    /** Looks a stream up and creates it when missing; returns its info (empty for a new stream). */
    private Map<String, Object> ensure(String what, Map<String, Object> config) throws JsApiException {
        String name = (String) config.get("name");
        Optional<Map<String, Object>> found;
        try {
            found = streams.lookup(name);
        } catch (JsApiException e) {
            throw new JsApiException(e.code(), e.errCode(), "lookup " + what + " stream for account \"" + accountName
                    + "\": " + e.getMessage());
        }
        if (found.isPresent()) {
            return found.get();
        }
        try {
            streams.create(config);
        } catch (JsApiException e) {
            throw new JsApiException(e.code(), e.errCode(), "create " + what + " stream for account \"" + accountName
                    + "\": " + e.getMessage());
        }
        return Map.of();
    }

    public String accountName() {
        return accountName;
    }

    public MqttStreams streams() {
        return streams;
    }

    public RetainedStore retained() {
        return retained;
    }

    public MqttOptions options() {
        return options;
    }

    /** Reloaded options: consumers made from now on use them. */
    public void options(MqttOptions fresh) {
        options = fresh;
    }

    public String nodeId() {
        return nodeId;
    }

    // --- binding clients to sessions ----------------------------------------------------------------------

    /** How a CONNECT got its session. */
    public record Attached(Session session, boolean present, Object replaced) {
    }

    /** A CONNECT refused while binding, with Go's text and whether it is Go's duplicate-client-id refusal. */
    public static final class AttachException extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean duplicate;

        AttachException(String message, boolean duplicate) {
            super(message, null, false, false);
            this.duplicate = duplicate;
        }

        public boolean duplicate() {
            return duplicate;
        }
    }

    /**
     * Binds {@code connection} to the session of {@code clientId} (Go's mqttProcessConnect): a client id whose
     * clients keep replacing each other is held for a second and refused; one being connected right now is
     * waited for (up to a second); an existing session is resumed (or cleared when either side asks for a clean
     * one), a connected previous client is replaced. The client id stays locked until {@link #release}.
     *
     * @return the session, whether it was present, and the replaced previous client (null for none)
     */
    public Attached attach(String clientId, boolean clean, Object connection) throws AttachException, JsApiException {
        for (int attempt = 0; ; attempt++) {
            synchronized (this) {
                Long since = flappers.get(clientId);
                if (since != null) {
                    if (System.nanoTime() - since > JAIL_NANOS) {
                        flappers.remove(clientId);
                    } else {
                        throw new AttachException("client ID \"" + clientId + "\" keeps changing clients", true);
                    }
                }
                if (!locked.contains(clientId)) {
                    locked.add(clientId);
                    break;
                }
            }
            if (attempt == 9) {
                throw new AttachException("other session with client ID \"" + clientId
                        + "\" is in the process of connecting", false);
            }
            sleep(100);
        }
        try {
            return bind(clientId, clean, connection);
        } catch (JsApiException | RuntimeException e) {
            release(clientId);
            throw e;
        }
    }

    private Attached bind(String clientId, boolean clean, Object connection) throws JsApiException {
        Session session;
        synchronized (this) {
            session = sessions.get(clientId);
        }
        boolean exists = session != null;
        if (!exists) {
            session = load(clientId);
            exists = session.recordSequence > 0;
        }
        boolean present = false;
        Object replaced = null;
        if (exists) {
            if (clean || session.clean) {
                try {
                    clear(session, true);
                } catch (JsApiException e) {
                    remove(session);
                    throw e;
                }
            } else {
                present = true;
            }
            synchronized (session) {
                replaced = session.owner();
                session.owner(connection);
                session.clean = clean;
            }
            if (replaced != null) {
                synchronized (this) {
                    flappers.put(clientId, System.nanoTime());
                }
            }
        } else {
            session.owner(connection);
            session.clean = clean;
        }
        synchronized (this) {
            sessions.put(clientId, session);
        }
        try {
            save(session);
        } catch (JsApiException e) {
            remove(session);
            throw e;
        }
        return new Attached(session, present, replaced);
    }

    /** Unlocks a client id locked by {@link #attach}. */
    public synchronized void release(String clientId) {
        locked.remove(clientId);
    }

    /** Go's createOrRestoreSession: the stored record, or a new session (record sequence 0) when there is none. */
    private Session load(String clientId) throws JsApiException {
        String hash = NodeNames.hash(clientId);
        Session session = new Session(clientId, hash, domainToken, options.effectiveMaxAckPending());
        Optional<MqttStreams.StoredMessage> record;
        try {
            record = streams.lastFor(MqttStreams.SESSIONS, session.recordSubject());
        } catch (JsApiException e) {
            throw wrap("loading session record", clientId, e);
        }
        if (record.isPresent()) {
            try {
                session.restore(record.get().data(), record.get().sequence());
            } catch (RuntimeException e) {
                throw new JsApiException(500, 0, "unmarshal of session record at sequence " + record.get().sequence()
                        + " for account \"" + accountName + "\", session \"" + clientId + "\": " + e.getMessage());
            }
        }
        return session;
    }

    private JsApiException wrap(String what, String clientId, JsApiException e) {
        return new JsApiException(e.code(), e.errCode(), what + " for account \"" + accountName + "\", session \""
                + clientId + "\": " + e.getMessage());
    }

    /**
     * Persists the session record; the expected last sequence makes a concurrent writer's record (another server
     * with the same client id) fail this one, as Go relies on.
     */
    public void save(Session session) throws JsApiException {
        byte[] record;
        long seq;
        synchronized (session) {
            record = session.record(nodeId);
            seq = session.recordSequence;
        }
        byte[] headers = seq == 0 ? new byte[0]
                : ("NATS/1.0\r\nNats-Expected-Last-Subject-Sequence:" + seq + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        Map<String, Object> ack;
        try {
            ack = streams.api().call(MqttStreams.SESSION_PERSIST, session.recordSubject(), session.idHash, headers,
                    record);
        } catch (JsApiException e) {
            throw new JsApiException(e.code(), e.errCode(), "unable to persist session \"" + session.id + "\" (seq="
                    + seq + "): " + e.getMessage());
        }
        synchronized (session) {
            session.recordSequence = ack.get("seq") instanceof Number n ? n.longValue() : 0;
        }
    }

    /**
     * Clears a session (Go's mqttSession.clear): its consumers and its record are deleted, waiting for each answer
     * only when {@code wait}.
     */
    public void clear(Session session, boolean wait) throws JsApiException {
        Session.Cleared c = session.clear();
        for (String durable : c.durables()) {
            try {
                streams.deleteConsumer(MqttStreams.MESSAGES, durable, wait);
            } catch (JsApiException e) {
                throw new JsApiException(e.code(), e.errCode(), "unable to delete consumer \"" + durable
                        + "\" for session \"" + session.id + "\": " + e.getMessage());
            }
        }
        if (c.pubRelDurable() != null) {
            try {
                streams.deleteConsumer(MqttStreams.OUT, c.pubRelDurable(), wait);
            } catch (JsApiException e) {
                throw new JsApiException(e.code(), e.errCode(), "unable to delete consumer \"" + c.pubRelDurable()
                        + "\" for session \"" + session.id + "\": " + e.getMessage());
            }
        }
        if (c.recordSequence() > 0) {
            try {
                streams.deleteMessage(MqttStreams.SESSIONS, c.recordSequence(), wait);
            } catch (JsApiException e) {
                // A record already gone is not an error (Go ignores these too).
                if (!e.is(JsApiException.SEQUENCE_NOT_FOUND) && !(e.is(JsApiException.MSG_DELETE_FAILED)
                        && e.getMessage().contains("no message found"))) {
                    throw new JsApiException(e.code(), e.errCode(), "unable to delete session \"" + session.id
                            + "\" record at sequence " + c.recordSequence() + ": " + e.getMessage());
                }
            }
        }
    }

    /**
     * A client went away (Go's mqttHandleClosedClient): unless another client took the session over, it is
     * unbound, and a clean one is forgotten and cleared without waiting.
     *
     * @return whether {@code connection} still owned the session
     */
    public boolean detach(Session session, Object connection) {
        boolean clean;
        synchronized (this) {
            if (locked.contains(session.id) || !session.ownedBy(connection)) {
                return false;
            }
            session.owner(null);
            clean = session.clean;
            if (clean) {
                sessions.remove(session.id, session);
            }
            flappers.remove(session.id);
        }
        if (clean) {
            try {
                clear(session, false);
            } catch (JsApiException e) {
                LOG.log(System.Logger.Level.ERROR, e.getMessage());
            }
        }
        return true;
    }

    /**
     * Locks a session for a change by its client's reader (SUBSCRIBE, UNSUBSCRIBE): refused when another client
     * owns it now or is connecting with its id (Go's lockSession).
     */
    public synchronized boolean lock(Session session, Object connection) {
        if (locked.contains(session.id) || !session.ownedBy(connection)) {
            return false;
        }
        locked.add(session.id);
        return true;
    }

    private synchronized void remove(Session session) {
        sessions.remove(session.id, session);
    }

    /** Sessions known to this server, for monitoring and tests. */
    public synchronized List<Session> sessions() {
        return List.copyOf(sessions.values());
    }

    /** Applies a reloaded max_ack_pending to every session (Go's mqttUpdateMaxAckPending). */
    public void maxAckPending(int max) {
        for (Session s : sessions()) {
            synchronized (s) {
                s.packetIds().maxPending(max);
            }
        }
    }

    public void stop() {
        retained.stop();
        streams.api().close();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
