package nats.jetstream.internal.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import nats.jetstream.internal.model.Policies.Compression;
import nats.jetstream.internal.model.Policies.Discard;
import nats.jetstream.internal.model.Policies.Retention;
import nats.jetstream.internal.model.Policies.Storage;

/**
 * A stream's configuration (Go's {@code StreamConfig}), as requested and, once checked, as in force. Instances
 * are treated as values: code that changes one works on a {@link #copy()}, and a stream publishes a new one on
 * update.
 */
public final class StreamSettings {

    public String name = "";
    public String description = "";
    public List<String> subjects = List.of();
    public Retention retention = Retention.LIMITS;
    public long maxConsumers;
    public long maxMsgs;
    public long maxBytes;
    public Duration maxAge = Duration.ZERO;
    public long maxMsgsPerSubject;
    public int maxMsgSize;
    public Discard discard = Discard.OLD;
    public Storage storage = Storage.FILE;
    public long replicas;
    public boolean noAck;
    public String templateOwner = "";
    public Duration duplicateWindow = Duration.ZERO;
    public Optional<Map<String, Object>> placement = Optional.empty();
    public Optional<StreamSource> mirror = Optional.empty();
    public List<StreamSource> sources = List.of();
    public Compression compression = Compression.NONE;
    public long firstSeq;
    public Optional<SubjectTransformSpec> subjectTransform = Optional.empty();
    public Optional<Republish> republish = Optional.empty();
    public boolean allowDirect;
    public boolean mirrorDirect;
    public boolean discardNewPerSubject;
    public boolean sealed;
    public boolean denyDelete;
    public boolean denyPurge;
    public boolean allowRollup;
    public Duration consumerInactiveThreshold = Duration.ZERO;
    public long consumerMaxAckPending;
    public boolean allowMsgTtl;
    public Duration subjectDeleteMarkerTtl = Duration.ZERO;
    public Map<String, String> metadata = Map.of();
    /** Whether the request set {@code compression} at all (2.9 clients never do). */
    public boolean compressionSet;

    /** Reads a {@code StreamConfig} object. */
    public static StreamSettings parse(Map<String, Object> json) {
        JsonIn in = new JsonIn(json, "StreamConfig");
        StreamSettings s = new StreamSettings();
        s.name = in.string("name");
        s.description = in.string("description");
        s.subjects = in.strings("subjects");
        s.retention = in.named("retention", Retention.LIMITS, Retention::parse);
        s.maxConsumers = in.goInt("max_consumers");
        s.maxMsgs = in.int64("max_msgs");
        s.maxBytes = in.int64("max_bytes");
        s.maxAge = in.duration("max_age");
        s.maxMsgsPerSubject = in.int64("max_msgs_per_subject");
        s.maxMsgSize = in.int32("max_msg_size");
        s.discard = in.named("discard", Discard.OLD, Discard::parse);
        s.storage = in.named("storage", Storage.FILE, Storage::parse);
        s.replicas = in.goInt("num_replicas");
        s.noAck = in.bool("no_ack");
        s.templateOwner = in.string("template_owner");
        s.duplicateWindow = in.duration("duplicate_window");
        s.placement = in.object("placement", "Placement").map(p -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cluster", p.string("cluster"));
            List<String> tags = p.strings("tags");
            if (!tags.isEmpty()) {
                m.put("tags", tags);
            }
            return m;
        });
        s.mirror = in.object("mirror", "StreamSource").map(StreamSource::parse);
        List<StreamSource> sources = new ArrayList<>();
        for (JsonIn src : in.objects("sources", "StreamSource")) {
            sources.add(StreamSource.parse(src));
        }
        s.sources = List.copyOf(sources);
        s.compressionSet = in.has("compression");
        s.compression = in.named("compression", Compression.NONE, Compression::parse);
        s.firstSeq = in.uint64("first_seq");
        s.subjectTransform = in.object("subject_transform", "SubjectTransformConfig").map(SubjectTransformSpec::parse);
        s.republish = in.object("republish", "RePublish").map(Republish::parse);
        s.allowDirect = in.bool("allow_direct");
        s.mirrorDirect = in.bool("mirror_direct");
        s.discardNewPerSubject = in.bool("discard_new_per_subject");
        s.sealed = in.bool("sealed");
        s.denyDelete = in.bool("deny_delete");
        s.denyPurge = in.bool("deny_purge");
        s.allowRollup = in.bool("allow_rollup_hdrs");
        in.object("consumer_limits", "StreamConsumerLimits").ifPresent(l -> {
            s.consumerInactiveThreshold = l.duration("inactive_threshold");
            s.consumerMaxAckPending = l.goInt("max_ack_pending");
        });
        s.allowMsgTtl = in.bool("allow_msg_ttl");
        s.subjectDeleteMarkerTtl = in.duration("subject_delete_marker_ttl");
        // metadata (2.10) is not kept: a 2.9 server drops it, and jnats checks that it does when INFO says 2.9.
        in.stringMap("metadata");
        return s;
    }

    public StreamSettings copy() {
        StreamSettings s = new StreamSettings();
        s.name = name;
        s.description = description;
        s.subjects = subjects;
        s.retention = retention;
        s.maxConsumers = maxConsumers;
        s.maxMsgs = maxMsgs;
        s.maxBytes = maxBytes;
        s.maxAge = maxAge;
        s.maxMsgsPerSubject = maxMsgsPerSubject;
        s.maxMsgSize = maxMsgSize;
        s.discard = discard;
        s.storage = storage;
        s.replicas = replicas;
        s.noAck = noAck;
        s.templateOwner = templateOwner;
        s.duplicateWindow = duplicateWindow;
        s.placement = placement;
        s.mirror = mirror;
        s.sources = sources;
        s.compression = compression;
        s.compressionSet = compressionSet;
        s.firstSeq = firstSeq;
        s.subjectTransform = subjectTransform;
        s.republish = republish;
        s.allowDirect = allowDirect;
        s.mirrorDirect = mirrorDirect;
        s.discardNewPerSubject = discardNewPerSubject;
        s.sealed = sealed;
        s.denyDelete = denyDelete;
        s.denyPurge = denyPurge;
        s.allowRollup = allowRollup;
        s.consumerInactiveThreshold = consumerInactiveThreshold;
        s.consumerMaxAckPending = consumerMaxAckPending;
        s.allowMsgTtl = allowMsgTtl;
        s.subjectDeleteMarkerTtl = subjectDeleteMarkerTtl;
        s.metadata = metadata;
        return s;
    }

    /**
     * The configuration as Go renders it, in its field order. Fields Go 2.10 and later added appear only when
     * set, so a 2.9 client sees the 2.9 shape.
     */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        if (!description.isEmpty()) {
            m.put("description", description);
        }
        if (!subjects.isEmpty()) {
            m.put("subjects", subjects);
        }
        m.put("retention", retention.json());
        m.put("max_consumers", maxConsumers);
        m.put("max_msgs", maxMsgs);
        m.put("max_bytes", maxBytes);
        m.put("max_age", maxAge.toNanos());
        m.put("max_msgs_per_subject", maxMsgsPerSubject);
        if (maxMsgSize != 0) {
            m.put("max_msg_size", maxMsgSize);
        }
        m.put("discard", discard.json());
        m.put("storage", storage.json());
        m.put("num_replicas", replicas);
        if (noAck) {
            m.put("no_ack", true);
        }
        if (!templateOwner.isEmpty()) {
            m.put("template_owner", templateOwner);
        }
        if (!duplicateWindow.isZero()) {
            m.put("duplicate_window", duplicateWindow.toNanos());
        }
        placement.ifPresent(p -> m.put("placement", p));
        mirror.ifPresent(src -> m.put("mirror", src.toJson()));
        if (!sources.isEmpty()) {
            m.put("sources", sources.stream().map(StreamSource::toJson).toList());
        }
        // Go 2.9 does not know compression: shown only when a stream really compresses (2.10's s2).
        if (compression != Compression.NONE) {
            m.put("compression", compression.json());
        }
        if (firstSeq > 0) {
            m.put("first_seq", firstSeq);
        }
        subjectTransform.ifPresent(t -> m.put("subject_transform", t.toJson()));
        republish.ifPresent(r -> m.put("republish", r.toJson()));
        m.put("allow_direct", allowDirect);
        m.put("mirror_direct", mirrorDirect);
        if (discardNewPerSubject) {
            m.put("discard_new_per_subject", true);
        }
        m.put("sealed", sealed);
        m.put("deny_delete", denyDelete);
        m.put("deny_purge", denyPurge);
        m.put("allow_rollup_hdrs", allowRollup);
        if (!consumerInactiveThreshold.isZero() || consumerMaxAckPending != 0) {
            Map<String, Object> limits = new LinkedHashMap<>();
            if (!consumerInactiveThreshold.isZero()) {
                limits.put("inactive_threshold", consumerInactiveThreshold.toNanos());
            }
            if (consumerMaxAckPending != 0) {
                limits.put("max_ack_pending", consumerMaxAckPending);
            }
            m.put("consumer_limits", limits);
        }
        if (allowMsgTtl) {
            m.put("allow_msg_ttl", true);
        }
        if (!subjectDeleteMarkerTtl.isZero()) {
            m.put("subject_delete_marker_ttl", subjectDeleteMarkerTtl.toNanos());
        }
        if (!metadata.isEmpty()) {
            m.put("metadata", metadata);
        }
        return m;
    }

    /** The part of the configuration the store acts on. */
    public nats.jetstream.store.StreamConfig storeConfig() {
        return nats.jetstream.store.StreamConfig.builder(name)
                .subjects(subjects)
                .maxMessages(maxMsgs)
                .maxBytes(maxBytes)
                .maxAge(maxAge)
                .maxMessagesPerSubject(maxMsgsPerSubject)
                // The stream checks max_msg_size as Go does (headers plus payload) before it stores.
                .maxMessageSize(-1)
                .discard(discard == Discard.NEW ? nats.jetstream.store.DiscardPolicy.NEW
                        : nats.jetstream.store.DiscardPolicy.OLD)
                .discardNewPerSubject(discardNewPerSubject)
                .allowMessageTtl(allowMsgTtl)
                .compression(compression == Compression.S2 ? nats.jetstream.store.Compression.S2
                        : nats.jetstream.store.Compression.NONE)
                .firstSequence(firstSeq)
                .build();
    }
}
