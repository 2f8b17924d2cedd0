package nats.jetstream.internal.model;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import nats.jetstream.internal.model.Policies.Ack;
import nats.jetstream.internal.model.Policies.Deliver;
import nats.jetstream.internal.model.Policies.Priority;
import nats.jetstream.internal.model.Policies.Replay;

/**
 * A consumer's configuration (Go's {@code ConsumerConfig}), as requested and, once checked, as in force.
 * Treated as a value: changes are made on a {@link #copy()}.
 */
public final class ConsumerSettings {

    public String durable = "";
    public String name = "";
    public String description = "";
    public Deliver deliverPolicy = Deliver.ALL;
    public long optStartSeq;
    public Optional<Instant> optStartTime = Optional.empty();
    public Ack ackPolicy = Ack.NONE;
    public Duration ackWait = Duration.ZERO;
    public long maxDeliver;
    public List<Duration> backoff = List.of();
    public String filterSubject = "";
    public List<String> filterSubjects = List.of();
    public Replay replayPolicy = Replay.INSTANT;
    public long rateLimitBps;
    public String sampleFrequency = "";
    public long maxWaiting;
    public long maxAckPending;
    public Duration heartbeat = Duration.ZERO;
    public boolean flowControl;
    public boolean headersOnly;
    public long maxBatch;
    public Duration maxExpires = Duration.ZERO;
    public long maxBytes;
    public String deliverSubject = "";
    public String deliverGroup = "";
    public Duration inactiveThreshold = Duration.ZERO;
    public long replicas;
    public boolean memoryStorage;
    public boolean direct;
    public Map<String, String> metadata = Map.of();
    public Optional<Instant> pauseUntil = Optional.empty();
    public List<String> priorityGroups = List.of();
    public Priority priorityPolicy = Priority.NONE;
    public Duration priorityTimeout = Duration.ZERO;

    public static ConsumerSettings parse(Map<String, Object> json) {
        JsonIn in = new JsonIn(json, "ConsumerConfig");
        ConsumerSettings c = new ConsumerSettings();
        c.durable = in.string("durable_name");
        c.name = in.string("name");
        c.description = in.string("description");
        c.deliverPolicy = in.named("deliver_policy", Deliver.ALL, Deliver::parse);
        c.optStartSeq = in.uint64("opt_start_seq");
        c.optStartTime = in.time("opt_start_time");
        c.ackPolicy = in.named("ack_policy", Ack.NONE, Ack::parse);
        c.ackWait = in.duration("ack_wait");
        c.maxDeliver = in.goInt("max_deliver");
        c.backoff = in.durations("backoff");
        c.filterSubject = in.string("filter_subject");
        c.filterSubjects = in.strings("filter_subjects");
        c.replayPolicy = in.named("replay_policy", Replay.INSTANT, Replay::parse);
        c.rateLimitBps = in.uint64("rate_limit_bps");
        c.sampleFrequency = in.string("sample_freq");
        c.maxWaiting = in.goInt("max_waiting");
        c.maxAckPending = in.goInt("max_ack_pending");
        c.heartbeat = in.duration("idle_heartbeat");
        c.flowControl = in.bool("flow_control");
        c.headersOnly = in.bool("headers_only");
        c.maxBatch = in.goInt("max_batch");
        c.maxExpires = in.duration("max_expires");
        c.maxBytes = in.goInt("max_bytes");
        c.deliverSubject = in.string("deliver_subject");
        c.deliverGroup = in.string("deliver_group");
        c.inactiveThreshold = in.duration("inactive_threshold");
        c.replicas = in.goInt("num_replicas");
        c.memoryStorage = in.bool("mem_storage");
        c.direct = in.bool("direct");
        // metadata (2.10) is not kept: a 2.9 server drops it, and jnats checks that it does when INFO says 2.9.
        in.stringMap("metadata");
        c.pauseUntil = in.time("pause_until");
        c.priorityGroups = in.strings("priority_groups");
        c.priorityPolicy = in.named("priority_policy", Priority.NONE, Priority::parse);
        c.priorityTimeout = in.duration("priority_timeout");
        return c;
    }

    public ConsumerSettings copy() {
        return parse(nats.transport.json.Json.parseObject(nats.transport.json.GoJson.compact(toJson())));
    }

    public boolean isPush() {
        return !deliverSubject.isEmpty();
    }

    public boolean isDurable() {
        return !durable.isEmpty();
    }

    /** The filters in force: {@code filter_subjects}, or the single {@code filter_subject}; empty for all. */
    public List<String> filters() {
        if (!filterSubjects.isEmpty()) {
            return filterSubjects;
        }
        return filterSubject.isEmpty() ? List.of() : List.of(filterSubject);
    }

    /** The configuration as Go renders it, in its field order; fields newer than 2.9 only when set. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        putIf(m, "durable_name", durable);
        putIf(m, "name", name);
        putIf(m, "description", description);
        m.put("deliver_policy", deliverPolicy.json());
        if (optStartSeq > 0) {
            m.put("opt_start_seq", optStartSeq);
        }
        optStartTime.ifPresent(t -> m.put("opt_start_time", t));
        m.put("ack_policy", ackPolicy.json());
        if (!ackWait.isZero()) {
            m.put("ack_wait", ackWait.toNanos());
        }
        if (maxDeliver != 0) {
            m.put("max_deliver", maxDeliver);
        }
        if (!backoff.isEmpty()) {
            m.put("backoff", backoff.stream().map(Duration::toNanos).toList());
        }
        putIf(m, "filter_subject", filterSubject);
        if (!filterSubjects.isEmpty()) {
            m.put("filter_subjects", filterSubjects);
        }
        m.put("replay_policy", replayPolicy.json());
        if (rateLimitBps != 0) {
            m.put("rate_limit_bps", rateLimitBps);
        }
        putIf(m, "sample_freq", sampleFrequency);
        if (maxWaiting != 0) {
            m.put("max_waiting", maxWaiting);
        }
        if (maxAckPending != 0) {
            m.put("max_ack_pending", maxAckPending);
        }
        if (!heartbeat.isZero()) {
            m.put("idle_heartbeat", heartbeat.toNanos());
        }
        if (flowControl) {
            m.put("flow_control", true);
        }
        if (headersOnly) {
            m.put("headers_only", true);
        }
        if (maxBatch != 0) {
            m.put("max_batch", maxBatch);
        }
        if (!maxExpires.isZero()) {
            m.put("max_expires", maxExpires.toNanos());
        }
        if (maxBytes != 0) {
            m.put("max_bytes", maxBytes);
        }
        putIf(m, "deliver_subject", deliverSubject);
        putIf(m, "deliver_group", deliverGroup);
        if (!inactiveThreshold.isZero()) {
            m.put("inactive_threshold", inactiveThreshold.toNanos());
        }
        m.put("num_replicas", replicas);
        if (memoryStorage) {
            m.put("mem_storage", true);
        }
        if (direct) {
            m.put("direct", true);
        }
        if (!metadata.isEmpty()) {
            m.put("metadata", metadata);
        }
        pauseUntil.ifPresent(t -> m.put("pause_until", t));
        if (!priorityGroups.isEmpty()) {
            m.put("priority_groups", priorityGroups);
        }
        if (priorityPolicy != Priority.NONE) {
            m.put("priority_policy", priorityPolicy.json());
        }
        if (!priorityTimeout.isZero()) {
            m.put("priority_timeout", priorityTimeout.toNanos());
        }
        return m;
    }

    private static void putIf(Map<String, Object> m, String key, String value) {
        if (!value.isEmpty()) {
            m.put(key, value);
        }
    }
}
