package nats.jetstream.internal.engine;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import nats.jetstream.internal.config.AccountLimits;
import nats.jetstream.internal.config.JetStreamOptions;
import nats.jetstream.internal.model.ApiError;
import nats.jetstream.internal.model.ApiException;
import nats.jetstream.internal.model.ConsumerSettings;
import nats.jetstream.internal.model.JsErrors;
import nats.jetstream.internal.model.Policies.Ack;
import nats.jetstream.internal.model.Policies.Deliver;
import nats.jetstream.internal.model.Policies.Retention;
import nats.jetstream.internal.model.StreamSettings;
import nats.jetstream.store.AckPolicy;
import nats.jetstream.store.ConsumerConfig;
import nats.jetstream.store.ConsumerStore;
import nats.jetstream.store.StoreException;
import nats.transport.json.GoJson;
import nats.transport.json.Json;

/**
 * Creates, updates and recovers consumers with Go's defaults and checks ({@code setConsumerConfigDefaults},
 * {@code checkConsumerCfg}, {@code addConsumerWithAssignment}, {@code checkNewConsumerConfig}).
 */
final class ConsumerFactory {

    private static final Duration DEFAULT_ACK_WAIT = Duration.ofSeconds(30);
    private static final long DEFAULT_MAX_ACK_PENDING = 1000;
    private static final Duration EPHEMERAL_INACTIVE = Duration.ofSeconds(5);

    private final Stream stream;

    ConsumerFactory(Stream stream) {
        this.stream = stream;
    }

    private static ApiException createError(String text) {
        return new ApiException(JsErrors.CONSUMER_CREATE, text);
    }

    Consumer create(ConsumerSettings requested, String subjectName, ConsumerAction action) {
        JsAccount account = stream.account();
        AccountLimits accLimits = account.limits();
        JetStreamOptions.ServerLimits srvLimits = account.js().options().limits();
        ConsumerSettings cfg = requested.copy();
        applyDefaults(cfg, srvLimits, accLimits, stream.config());
        check(cfg, srvLimits, accLimits, stream.config());
        String name = !cfg.durable.isEmpty() ? cfg.durable : !cfg.name.isEmpty() ? cfg.name : subjectName;
        synchronized (stream) {
            if (!name.isEmpty()) {
                Optional<Consumer> existing = stream.consumer(name);
                if (existing.isPresent()) {
                    if (action == ConsumerAction.CREATE
                            && !sameConfig(existing.get().config(), cfg)) {
                        throw new ApiException(JsErrors.CONSUMER_ALREADY_EXISTS);
                    }
                    return update(existing.get(), cfg);
                }
                if (action == ConsumerAction.UPDATE) {
                    throw new ApiException(JsErrors.CONSUMER_DOES_NOT_EXIST);
                }
            }
            StreamSettings scfg = stream.config();
            long maxConsumers = scfg.maxConsumers;
            if (maxConsumers <= 0 || (accLimits.maxConsumers() > 0 && accLimits.maxConsumers() < maxConsumers)) {
                maxConsumers = accLimits.maxConsumers();
            }
            if (maxConsumers > 0 && stream.consumerCount() >= maxConsumers) {
                throw new ApiException(JsErrors.MAXIMUM_CONSUMERS_LIMIT);
            }
            if (scfg.retention == Retention.WORK_QUEUE && !cfg.direct) {
                checkWorkQueue(cfg);
            }
            if (cfg.isDurable() && cfg.durable.length() > SubjectRules.MAX_NAME_LENGTH) {
                throw new ApiException(JsErrors.CONSUMER_NAME_TOO_LONG, SubjectRules.MAX_NAME_LENGTH);
            }
            if (name.isEmpty()) {
                do {
                    name = Nuid.consumerName();
                } while (stream.consumer(name).isPresent());
                // Go names a legacy ephemeral after copying its config: the info's config has no name.
            } else if (!cfg.isDurable()) {
                cfg.name = name;
            }
            if (!SubjectRules.isValidName(name)) {
                throw new ApiException(JsErrors.CONSUMER_BAD_DURABLE_NAME);
            }
            ConsumerStore store;
            try {
                store = stream.store().consumer(name, storeConfig(cfg));
            } catch (StoreException e) {
                throw new ApiException(JsErrors.CONSUMER_STORE_FAILED, e.getMessage());
            }
            Consumer consumer = new Consumer(stream, name, cfg, store, Instant.now());
            if (store.hasState()) {
                consumer.restoreState();
            } else {
                consumer.selectStartingSequence();
            }
            store.writeMetadata(metadata(consumer));
            stream.putConsumer(consumer);
            consumer.snapshotInitial();
            consumer.start();
            account.advisories().consumerCreated(stream.name(), name);
            return consumer;
        }
    }

    private void checkWorkQueue(ConsumerSettings cfg) {
        if (cfg.ackPolicy != Ack.EXPLICIT) {
            throw new ApiException(JsErrors.CONSUMER_WQ_REQUIRES_EXPLICIT_ACK);
        }
        if (stream.consumerCount() > 0) {
            if (cfg.filters().isEmpty()) {
                throw new ApiException(JsErrors.CONSUMER_WQ_MULTIPLE_UNFILTERED);
            }
            for (Consumer other : stream.consumers()) {
                List<String> theirs = other.config().filters();
                if (theirs.isEmpty()) {
                    throw new ApiException(JsErrors.CONSUMER_WQ_CONSUMER_NOT_UNIQUE);
                }
                for (String mine : cfg.filters()) {
                    for (String t : theirs) {
                        if (SubjectRules.collide(mine, t)) {
                            throw new ApiException(JsErrors.CONSUMER_WQ_CONSUMER_NOT_UNIQUE);
                        }
                    }
                }
            }
        }
        if (cfg.deliverPolicy != Deliver.ALL) {
            throw new ApiException(JsErrors.CONSUMER_WQ_CONSUMER_NOT_DELIVER_ALL);
        }
    }

    static ConsumerConfig storeConfig(ConsumerSettings cfg) {
        AckPolicy ack = switch (cfg.ackPolicy) {
            case NONE -> AckPolicy.NONE;
            case ALL -> AckPolicy.ALL;
            case EXPLICIT -> AckPolicy.EXPLICIT;
        };
        return new ConsumerConfig(ack, cfg.maxDeliver);
    }

    /** What a consumer persists besides its state: its configuration and creation time. */
    static byte[] metadata(Consumer c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("config", c.config().toJson());
        m.put("created", c.created());
        return GoJson.compact(m).getBytes(StandardCharsets.UTF_8);
    }

    /** Reopens a stored consumer (a snapshot's, or one a new leader installs). */
    static Consumer recover(Stream stream, String name) {
        return recover(stream, name, false);
    }

    /**
     * Reopens a stored consumer at a server start. A consumer with {@code mem_storage} does not come back: Go keeps
     * its state in memory only (a file stream's {@code ConsumerStore} with {@code MemoryStorage}), so after a
     * restart it is gone and its client (an ordered consumer) creates a new one.
     */
    static Consumer recoverAtStart(Stream stream, String name) {
        return recover(stream, name, true);
    }

    @SuppressWarnings("unchecked")
    private static Consumer recover(Stream stream, String name, boolean serverStart) {
        ConsumerStore probe = stream.store().consumer(name, new ConsumerConfig(AckPolicy.NONE, 0));
        Optional<byte[]> meta = probe.metadata();
        if (meta.isEmpty()) {
            probe.delete();
            return null;
        }
        Map<String, Object> json = Json.parseObject(new String(meta.get(), StandardCharsets.UTF_8));
        ConsumerSettings cfg = ConsumerSettings.parse((Map<String, Object>) json.get("config"));
        if (serverStart && cfg.memoryStorage) {
            probe.delete();
            return null;
        }
        Instant created = json.get("created") instanceof String s ? Instant.parse(s) : Instant.now();
        probe.updateConfig(storeConfig(cfg));
        Consumer c = new Consumer(stream, name, cfg, probe, created);
        // Its start was chosen when it was created; a start of 0 (an empty stream then) leaves no state, and
        // choosing again would skip what was stored since (a deliver-new consumer would start after it).
        c.restoreState();
        return c;
    }

    // --- updates ------------------------------------------------------------------------------------------

    private static boolean sameConfig(ConsumerSettings a, ConsumerSettings b) {
        return GoJson.compact(a.toJson()).equals(GoJson.compact(b.toJson()));
    }

    /** Go's {@code updateConfig} through {@code checkNewConsumerConfig}. */
    private Consumer update(Consumer consumer, ConsumerSettings cfg) {
        ConsumerSettings old = consumer.config();
        if (sameConfig(old, cfg)) {
            return consumer;
        }
        if (old.deliverPolicy != cfg.deliverPolicy) {
            throw createError("deliver policy can not be updated");
        }
        if (old.optStartSeq != cfg.optStartSeq) {
            throw createError("start sequence can not be updated");
        }
        if (!Objects.equals(old.optStartTime, cfg.optStartTime)) {
            throw createError("start time can not be updated");
        }
        if (old.ackPolicy != cfg.ackPolicy) {
            throw createError("ack policy can not be updated");
        }
        if (old.replayPolicy != cfg.replayPolicy) {
            throw createError("replay policy can not be updated");
        }
        if (!old.heartbeat.equals(cfg.heartbeat)) {
            throw createError("heart beats can not be updated");
        }
        if (old.flowControl != cfg.flowControl) {
            throw createError("flow control can not be updated");
        }
        if (old.maxWaiting != cfg.maxWaiting) {
            throw createError("max waiting can not be updated");
        }
        if (!old.deliverSubject.equals(cfg.deliverSubject)) {
            if (old.deliverSubject.isEmpty()) {
                throw createError("can not update pull consumer to push based");
            }
            if (cfg.deliverSubject.isEmpty()) {
                throw createError("can not update push consumer to pull based");
            }
            if (consumer.isActive()) {
                throw new ApiException(JsErrors.CONSUMER_NAME_EXIST);
            }
        }
        if (!cfg.backoff.isEmpty() && cfg.maxDeliver <= cfg.backoff.size()) {
            throw new ApiException(JsErrors.CONSUMER_MAX_DELIVER_BACKOFF);
        }
        consumer.store().updateConfig(storeConfig(cfg));
        consumer.configChanged(cfg);
        return consumer;
    }

    // --- defaults and checks ------------------------------------------------------------------------------

    static void applyDefaults(ConsumerSettings cfg, JetStreamOptions.ServerLimits srv, AccountLimits acc,
                              StreamSettings stream) {
        if (cfg.deliverSubject.isEmpty() && cfg.maxWaiting == 0) {
            cfg.maxWaiting = Consumer.DEFAULT_MAX_WAITING;
        }
        if (cfg.ackWait.isZero() && (cfg.ackPolicy == Ack.EXPLICIT || cfg.ackPolicy == Ack.ALL)) {
            cfg.ackWait = DEFAULT_ACK_WAIT;
        }
        if (cfg.maxDeliver == 0) {
            cfg.maxDeliver = -1;
        }
        if (!cfg.backoff.isEmpty()) {
            cfg.ackWait = cfg.backoff.getFirst();
        }
        if ((cfg.ackPolicy == Ack.EXPLICIT || cfg.ackPolicy == Ack.ALL) && cfg.maxAckPending == 0) {
            long pending = stream.consumerMaxAckPending > 0 ? stream.consumerMaxAckPending : DEFAULT_MAX_ACK_PENDING;
            if (srv.maxAckPending() > 0 && srv.maxAckPending() < pending) {
                pending = srv.maxAckPending();
            }
            if (acc.maxAckPending() > 0 && acc.maxAckPending() < pending) {
                pending = acc.maxAckPending();
            }
            cfg.maxAckPending = pending;
        }
        if (cfg.deliverSubject.isEmpty() && cfg.maxBatch == 0 && srv.maxRequestBatch() > 0) {
            cfg.maxBatch = srv.maxRequestBatch();
        }
        if (cfg.inactiveThreshold.isZero() && cfg.durable.isEmpty()) {
            cfg.inactiveThreshold = stream.consumerInactiveThreshold.isZero() ? EPHEMERAL_INACTIVE
                    : stream.consumerInactiveThreshold;
        }
    }

    static void check(ConsumerSettings cfg, JetStreamOptions.ServerLimits srv, AccountLimits acc, StreamSettings stream) {
        if (cfg.replicas > 0 && cfg.replicas > stream.replicas) {
            throw new ApiException(JsErrors.CONSUMER_REPLICAS_EXCEEDS_STREAM);
        }
        if (cfg.replicas < 0) {
            throw new ApiException(JsErrors.REPLICAS_COUNT_CANNOT_BE_NEGATIVE);
        }
        if (!cfg.backoff.isEmpty() && cfg.maxDeliver <= cfg.backoff.size()) {
            throw new ApiException(JsErrors.CONSUMER_MAX_DELIVER_BACKOFF);
        }
        if (cfg.description.length() > SubjectRules.MAX_DESCRIPTION_LENGTH) {
            throw new ApiException(JsErrors.CONSUMER_DESCRIPTION_TOO_LONG, SubjectRules.MAX_DESCRIPTION_LENGTH);
        }
        if (!cfg.deliverSubject.isEmpty()) {
            if (!SubjectRules.isLiteral(cfg.deliverSubject)) {
                throw new ApiException(JsErrors.CONSUMER_DELIVER_TO_WILDCARDS);
            }
            if (!SubjectRules.isValidSubject(cfg.deliverSubject)) {
                throw new ApiException(JsErrors.CONSUMER_INVALID_DELIVER_SUBJECT);
            }
            for (String s : stream.subjects) {
                if (SubjectRules.isSubset(cfg.deliverSubject, s)) {
                    throw new ApiException(JsErrors.CONSUMER_DELIVER_CYCLE);
                }
            }
            if (cfg.maxWaiting != 0) {
                throw new ApiException(JsErrors.CONSUMER_PUSH_MAX_WAITING);
            }
            if (cfg.maxAckPending > 0 && cfg.ackPolicy == Ack.NONE) {
                throw new ApiException(JsErrors.CONSUMER_MAX_PENDING_ACK_POLICY_REQUIRED);
            }
            if (!cfg.heartbeat.isZero() && cfg.heartbeat.compareTo(Duration.ofMillis(100)) < 0) {
                throw new ApiException(JsErrors.CONSUMER_SMALL_HEARTBEAT);
            }
            if (!cfg.priorityGroups.isEmpty()) {
                throw new ApiException(JsErrors.CONSUMER_PUSH_WITH_PRIORITY_GROUP);
            }
        } else {
            if (cfg.ackPolicy == Ack.NONE && stream.retention == Retention.WORK_QUEUE) {
                throw new ApiException(JsErrors.CONSUMER_PULL_REQUIRES_ACK);
            }
            if (cfg.rateLimitBps > 0) {
                throw new ApiException(JsErrors.CONSUMER_PULL_WITH_RATE_LIMIT);
            }
            if (cfg.maxWaiting < 0) {
                throw new ApiException(JsErrors.CONSUMER_MAX_WAITING_NEGATIVE);
            }
            if (!cfg.heartbeat.isZero()) {
                throw new ApiException(JsErrors.CONSUMER_HB_REQUIRES_PUSH);
            }
            if (cfg.flowControl) {
                throw new ApiException(JsErrors.CONSUMER_FC_REQUIRES_PUSH);
            }
            if (cfg.maxBatch < 0) {
                throw new ApiException(JsErrors.CONSUMER_MAX_REQUEST_BATCH_NEGATIVE);
            }
            if (!cfg.maxExpires.isZero() && cfg.maxExpires.compareTo(Duration.ofMillis(1)) < 0) {
                throw new ApiException(JsErrors.CONSUMER_MAX_REQUEST_EXPIRES_TOO_SMALL);
            }
            if (srv.maxRequestBatch() > 0 && cfg.maxBatch > srv.maxRequestBatch()) {
                throw new ApiException(JsErrors.CONSUMER_MAX_REQUEST_BATCH_EXCEEDED, srv.maxRequestBatch());
            }
        }
        if (srv.maxAckPending() > 0 && cfg.maxAckPending > srv.maxAckPending()) {
            throw new ApiException(JsErrors.CONSUMER_MAX_PENDING_ACK_EXCESS, srv.maxAckPending());
        }
        if (acc.maxAckPending() > 0 && cfg.maxAckPending > acc.maxAckPending()) {
            throw new ApiException(JsErrors.CONSUMER_MAX_PENDING_ACK_EXCESS, acc.maxAckPending());
        }
        if (cfg.direct) {
            if (cfg.deliverSubject.isEmpty()) {
                throw new ApiException(JsErrors.CONSUMER_DIRECT_REQUIRES_PUSH);
            }
            if (cfg.isDurable()) {
                throw new ApiException(JsErrors.CONSUMER_DIRECT_REQUIRES_EPHEMERAL);
            }
        }
        checkFilters(cfg, stream);
        checkDeliverPolicy(cfg);
        if (!cfg.sampleFrequency.isEmpty()) {
            String s = cfg.sampleFrequency.endsWith("%")
                    ? cfg.sampleFrequency.substring(0, cfg.sampleFrequency.length() - 1) : cfg.sampleFrequency;
            try {
                if (Integer.parseInt(s) < 0) {
                    throw new ApiException(JsErrors.CONSUMER_INVALID_SAMPLING, "<nil>");
                }
            } catch (NumberFormatException e) {
                throw new ApiException(JsErrors.CONSUMER_INVALID_SAMPLING,
                        "strconv.Atoi: parsing \"" + s + "\": invalid syntax");
            }
        }
        if (cfg.flowControl && cfg.heartbeat.isZero()) {
            throw new ApiException(JsErrors.CONSUMER_WITH_FLOW_CONTROL_NEEDS_HEARTBEATS);
        }
        if (!cfg.durable.isEmpty() && !cfg.name.isEmpty() && !cfg.name.equals(cfg.durable)) {
            throw new ApiException(JsErrors.CONSUMER_CREATE_DURABLE_AND_NAME_MISMATCH);
        }
        if (SubjectRules.hasPathSeparator(cfg.durable) || SubjectRules.hasPathSeparator(cfg.name)) {
            throw new ApiException(JsErrors.CONSUMER_NAME_CONTAINS_PATH_SEPARATORS);
        }
    }

    private static void checkFilters(ConsumerSettings cfg, StreamSettings stream) {
        if (!cfg.filterSubject.isEmpty() && !cfg.filterSubjects.isEmpty()) {
            throw new ApiException(JsErrors.CONSUMER_DUPLICATE_FILTER_SUBJECTS);
        }
        List<String> filters = cfg.filters();
        for (String f : cfg.filterSubjects) {
            if (f.isEmpty()) {
                throw new ApiException(JsErrors.CONSUMER_EMPTY_FILTER);
            }
        }
        for (int i = 0; i < cfg.filterSubjects.size(); i++) {
            for (int j = i + 1; j < cfg.filterSubjects.size(); j++) {
                if (SubjectRules.collide(cfg.filterSubjects.get(i), cfg.filterSubjects.get(j))) {
                    throw new ApiException(JsErrors.CONSUMER_OVERLAPPING_SUBJECT_FILTERS);
                }
            }
        }
        boolean external = stream.mirror.isPresent() || !stream.sources.isEmpty();
        if (!external && !stream.subjects.isEmpty()) {
            for (String f : filters) {
                boolean valid = SubjectRules.isValidSubject(f)
                        && stream.subjects.stream().anyMatch(s -> SubjectRules.collide(f, s));
                if (!valid) {
                    throw new ApiException(JsErrors.CONSUMER_FILTER_NOT_SUBSET);
                }
            }
        }
    }

    private static void checkDeliverPolicy(ConsumerSettings cfg) {
        boolean hasSeq = cfg.optStartSeq > 0;
        boolean hasTime = cfg.optStartTime.isPresent();
        switch (cfg.deliverPolicy) {
            case ALL -> badStart("all", hasSeq, hasTime);
            case LAST -> badStart("last", hasSeq, hasTime);
            case LAST_PER_SUBJECT -> {
                badStart("last per subject", hasSeq, hasTime);
                if (cfg.filters().isEmpty()) {
                    throw new ApiException(JsErrors.CONSUMER_INVALID_POLICY,
                            "consumer delivery policy is deliver last per subject, but optional filter subject is not set");
                }
            }
            case NEW -> badStart("new", hasSeq, hasTime);
            case BY_START_SEQUENCE -> {
                if (!hasSeq) {
                    throw new ApiException(JsErrors.CONSUMER_INVALID_POLICY,
                            "consumer delivery policy is deliver by start sequence, but optional start sequence is not set");
                }
                if (hasTime) {
                    throw new ApiException(JsErrors.CONSUMER_INVALID_POLICY,
                            "consumer delivery policy is deliver by start sequence, but optional start time is also set");
                }
            }
            case BY_START_TIME -> {
                if (!hasTime) {
                    throw new ApiException(JsErrors.CONSUMER_INVALID_POLICY,
                            "consumer delivery policy is deliver by start time, but optional start time is not set");
                }
                if (hasSeq) {
                    throw new ApiException(JsErrors.CONSUMER_INVALID_POLICY,
                            "consumer delivery policy is deliver by start time, but optional start sequence is also set");
                }
            }
        }
    }

    private static void badStart(String policy, boolean hasSeq, boolean hasTime) {
        if (hasSeq) {
            throw new ApiException(JsErrors.CONSUMER_INVALID_POLICY,
                    "consumer delivery policy is deliver " + policy + ", but optional start sequence is also set");
        }
        if (hasTime) {
            throw new ApiException(JsErrors.CONSUMER_INVALID_POLICY,
                    "consumer delivery policy is deliver " + policy + ", but optional start time is also set");
        }
    }

    static ApiError unless(RuntimeException e) {
        return e instanceof ApiException a ? a.error() : ApiError.of(JsErrors.CONSUMER_CREATE, e.getMessage());
    }
}
