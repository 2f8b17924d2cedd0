package nats.mqtt.internal.retained;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import nats.api.messaging.InboundMessage;
import nats.api.messaging.Subscription;
import nats.mqtt.internal.js.AckReply;
import nats.mqtt.internal.js.JsApi;
import nats.mqtt.internal.js.JsApiException;
import nats.mqtt.internal.js.MqttStreams;
import nats.mqtt.internal.js.Nuid;

/**
 * The retained messages of one account, as Go keeps them: each is the last message on
 * {@code $MQTT.rmsgs.<subject>} of the {@code $MQTT_rmsgs} stream (one per subject); this server holds their
 * subjects and sequences, and their bodies for a while after use (Go's two-minute cache), loading the others
 * from the stream when a subscription needs them. At start every stored one is read through an ephemeral
 * consumer, which then goes on reporting changes made elsewhere.
 */
public final class RetainedStore {

    /** Go's mqttDefaultRetainedCacheTTL. */
    static final long CACHE_NANOS = TimeUnit.MINUTES.toNanos(2);

    private static final System.Logger LOG = System.getLogger(RetainedStore.class.getName());

    private static final class Ref {
        long sequence;
        RetainedMessage cached;
        long cachedUntil;

        Ref(long sequence) {
            this.sequence = sequence;
        }
    }

    private final MqttStreams streams;
    private final String nodeId;
    private final Map<String, Ref> refs = new HashMap<>();
    private final SubjectTrie trie = new SubjectTrie();
    private Subscription feed;
    private long recoverUntil;
    private CountDownLatch recovered;

    public RetainedStore(MqttStreams streams, String nodeId) {
        this.streams = streams;
        this.nodeId = nodeId;
    }

    /**
     * Reads the stored retained messages through an ephemeral consumer (Go's, with its name and five-minute
     * inactivity threshold) and waits until the last one arrived, at most Go's API timeout.
     *
     * @param lastSequence the stream's last sequence, 0 when it is empty
     */
    public void start(long lastSequence, long storedMessages) throws JsApiException {
        String deliver = MqttStreams.SUB_PREFIX + new Nuid().next();
        synchronized (this) {
            if (lastSequence > 0 && storedMessages > 0) {
                recoverUntil = lastSequence;
                recovered = new CountDownLatch(1);
            }
        }
        feed = streams.api().connection().subscribeDirect(deliver, null, this::fed);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", MqttStreams.RETAINED + "_" + new Nuid().next());
        config.put("deliver_policy", "all");
        config.put("ack_policy", "none");
        config.put("filter_subject", MqttStreams.RETAINED_SUBJECT_PREFIX + ">");
        config.put("replay_policy", "instant");
        config.put("deliver_subject", deliver);
        config.put("inactive_threshold", TimeUnit.MINUTES.toNanos(5));
        try {
            streams.createEphemeral(MqttStreams.RETAINED, config);
        } catch (JsApiException e) {
            feed.unsubscribe();
            throw e;
        }
        CountDownLatch latch;
        synchronized (this) {
            latch = recovered;
        }
        if (latch != null) {
            try {
                if (!latch.await(JsApi.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.log(System.Logger.Level.WARNING, "Timing out waiting to load {0} retained messages",
                            storedMessages);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A record from the feed: recovery at start, or a change another server made. */
    private boolean fed(InboundMessage m) {
        RetainedMessage rm;
        try {
            rm = RetainedMessage.fromJson(m.copyPayload());
        } catch (IllegalArgumentException e) {
            return true;
        }
        long seq = AckReply.streamSequence(m.replyArray(), m.replyOffset(), m.replyLength());
        synchronized (this) {
            if (recoverUntil == 0 && rm.origin().equals(nodeId)) {
                return true;
            }
            put(rm.subject(), seq, null);
            if (recoverUntil > 0 && seq >= recoverUntil) {
                recoverUntil = 0;
                recovered.countDown();
            }
        }
        return true;
    }

    /** Records a message stored at {@code sequence}, unless a newer one is known. */
    private void put(String subject, long sequence, RetainedMessage body) {
        Ref ref = refs.get(subject);
        if (ref == null) {
            ref = new Ref(sequence);
            refs.put(subject, ref);
            trie.add(subject);
        } else if (sequence <= ref.sequence) {
            return;
        } else {
            ref.sequence = sequence;
            // Go refreshes the cached body only for messages in the cache.
            if (ref.cached == null) {
                body = null;
            }
        }
        ref.cached = body;
        ref.cachedUntil = body == null ? 0 : System.nanoTime() + CACHE_NANOS;
    }

    /** Stores a retained message (waiting for JetStream's ack) and makes it the subject's retained one. */
    public void store(RetainedMessage rm) throws JsApiException {
        long seq = streams.store(MqttStreams.RETAINED_SUBJECT_PREFIX + rm.subject(), new byte[0], rm.toJson());
        synchronized (this) {
            put(rm.subject(), seq, rm);
        }
    }

    /** Clears a subject's retained message [MQTT-3.3.1-10]: it is forgotten here and deleted from the stream. */
    public void clear(String subject) {
        long seq;
        synchronized (this) {
            Ref ref = refs.remove(subject);
            if (ref == null) {
                return;
            }
            trie.remove(subject);
            seq = ref.sequence;
        }
        if (seq > 0) {
            try {
                streams.deleteMessage(MqttStreams.RETAINED, seq, false);
            } catch (JsApiException e) {
                LOG.log(System.Logger.Level.WARNING, "unable to delete retained message {0}: {1}", seq, e.getMessage());
            }
        }
    }

    /** The subjects of retained messages a filter matches. */
    public synchronized List<String> matching(String filter) {
        return refs.isEmpty() ? List.of() : trie.match(filter);
    }

    public synchronized int size() {
        return refs.size();
    }

    /**
     * The retained messages of these subjects: cached ones at once, the others loaded from the stream with one
     * request each, sent together. Those that fail to load are left out (and logged), as in Go.
     */
    public Map<String, RetainedMessage> load(Collection<String> subjects) {
        Map<String, RetainedMessage> out = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        long now = System.nanoTime();
        synchronized (this) {
            for (String s : subjects) {
                Ref ref = refs.get(s);
                if (ref == null) {
                    continue;
                }
                if (ref.cached != null && ref.cachedUntil - now > 0) {
                    out.put(s, ref.cached);
                } else {
                    missing.add(s);
                }
            }
        }
        List<CompletableFuture<Map<String, Object>>> answers = new ArrayList<>();
        JsApi api = streams.api();
        String subject = api.api("STREAM.MSG.GET." + MqttStreams.RETAINED);
        for (String s : missing) {
            byte[] body = MqttStreams.json(Map.of("last_by_subj", MqttStreams.RETAINED_SUBJECT_PREFIX + s));
            answers.add(api.send(MqttStreams.MSG_LOAD, subject, "", new byte[0], body));
        }
        for (int i = 0; i < missing.size(); i++) {
            String s = missing.get(i);
            try {
                MqttStreams.StoredMessage sm = MqttStreams.StoredMessage.of(api.await(MqttStreams.MSG_LOAD, subject,
                        answers.get(i)));
                RetainedMessage rm = RetainedMessage.fromJson(sm.data());
                synchronized (this) {
                    Ref ref = refs.get(s);
                    if (ref != null) {
                        ref.cached = rm;
                        ref.cachedUntil = System.nanoTime() + CACHE_NANOS;
                    }
                }
                out.put(s, rm);
            } catch (JsApiException | IllegalArgumentException e) {
                LOG.log(System.Logger.Level.WARNING, "failed to load retained message for subject \"{0}\": {1}",
                        MqttStreams.RETAINED_SUBJECT_PREFIX + s, e.getMessage());
            }
        }
        return out;
    }

    /** Drops bodies cached longer than Go's two minutes. */
    public synchronized void expireCache() {
        long now = System.nanoTime();
        for (Ref ref : refs.values()) {
            if (ref.cached != null && ref.cachedUntil - now <= 0) {
                ref.cached = null;
            }
        }
    }

    public void stop() {
        Subscription s = feed;
        if (s != null) {
            s.unsubscribe();
        }
    }
}
