package nats.jetstream.internal.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import nats.jetstream.internal.config.AccountLimits;
import nats.jetstream.internal.engine.Consumer;
import nats.jetstream.internal.engine.JsAccount;
import nats.jetstream.internal.engine.Stream;
import nats.jetstream.internal.engine.SourceStatus;
import nats.jetstream.store.LostData;
import nats.jetstream.store.StreamState;

/** Stream, consumer and account information as Go renders it ({@code StreamInfo}, {@code ConsumerInfo}, ...). */
public final class InfoJson {

    /** Go's zero {@code time.Time}. */
    public static final Instant ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

    private InfoJson() {
    }

    /** {@code StreamState}, with per-subject counts and deleted sequences when asked for. */
    public static Map<String, Object> streamState(Stream stream, StreamState s, Map<String, Long> subjects,
                                                  boolean deletedDetails) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("messages", s.messages());
        m.put("bytes", s.bytes());
        boolean empty = s.messages() == 0;
        m.put("first_seq", empty && s.lastSequence() == 0 ? 0 : s.firstSequence());
        m.put("first_ts", s.firstTimestamp() == 0 ? ZERO_TIME : s.firstTime());
        m.put("last_seq", s.lastSequence());
        m.put("last_ts", s.lastTimestamp() == 0 ? ZERO_TIME : s.lastTime());
        if (s.numSubjects() > 0) {
            m.put("num_subjects", s.numSubjects());
        }
        if (subjects != null && !subjects.isEmpty()) {
            m.put("subjects", subjects);
        }
        if (s.numDeleted() > 0) {
            m.put("num_deleted", s.numDeleted());
        }
        if (deletedDetails && s.deleted().length > 0) {
            List<Long> deleted = new ArrayList<>(s.deleted().length);
            for (long d : s.deleted()) {
                deleted.add(d);
            }
            m.put("deleted", deleted);
        }
        LostData lost = s.lost();
        if (!lost.isEmpty()) {
            Map<String, Object> l = new LinkedHashMap<>();
            List<Long> seqs = new ArrayList<>();
            for (long q : lost.sequences()) {
                seqs.add(q);
            }
            l.put("msgs", seqs);
            l.put("bytes", lost.bytes());
            m.put("lost", l);
        }
        m.put("consumer_count", stream.consumerCount());
        return m;
    }

    /** The members of Go's {@code StreamInfo} after any paging fields. */
    public static void streamInfo(Map<String, Object> out, Stream stream, StreamState state,
                                  Map<String, Long> subjects, boolean deletedDetails) {
        out.put("config", stream.config().toJson());
        out.put("created", stream.created());
        out.put("state", streamState(stream, state, subjects, deletedDetails));
        String domain = stream.account().js().options().domain();
        if (!domain.isEmpty()) {
            out.put("domain", domain);
        }
        List<Map<String, Object>> srcs = new ArrayList<>();
        for (SourceStatus t : stream.sourceStatuses()) {
            Map<String, Object> si = sourceInfo(t);
            if (stream.config().mirror.isPresent()) {
                out.put("mirror", si);
            } else {
                srcs.add(si);
            }
        }
        if (!srcs.isEmpty()) {
            out.put("sources", srcs);
        }
    }

    /** Adds a clustered stream's {@code cluster} block where Go's {@code StreamInfo} has it: before mirror and sources. */
    public static void putCluster(Map<String, Object> info, Object cluster) {
        Object mirror = info.remove("mirror");
        Object sources = info.remove("sources");
        info.put("cluster", cluster);
        if (mirror != null) {
            info.put("mirror", mirror);
        }
        if (sources != null) {
            info.put("sources", sources);
        }
    }

    private static Map<String, Object> sourceInfo(SourceStatus t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.spec().name());
        if (t.spec().isExternal()) {
            Map<String, Object> ext = new LinkedHashMap<>();
            ext.put("api", t.spec().apiPrefix());
            ext.put("deliver", t.spec().deliverPrefix());
            m.put("external", ext);
        }
        m.put("lag", t.lag());
        m.put("active", t.activeNanos());
        // Go 2.9's StreamSourceInfo ends here (filter and transforms are reported from 2.10 on).
        t.error().ifPresent(e -> m.put("error", e));
        return m;
    }

    /** Go's {@code ConsumerInfo}, after the response {@code type}. */
    public static void consumerInfo(Map<String, Object> out, Consumer c) {
        consumerInfo(out, c, c.snapshot());
    }

    /** The same with the state {@code s} (a create answers with the state as created). */
    public static void consumerInfo(Map<String, Object> out, Consumer c, Consumer.Snapshot s) {
        out.put("stream_name", c.stream().name());
        out.put("name", c.name());
        out.put("created", c.created());
        out.put("config", c.config().toJson());
        out.put("delivered", sequenceInfo(s.deliveredConsumer(), s.deliveredStream(), s.lastDelivered()));
        out.put("ack_floor", sequenceInfo(s.ackFloorConsumer(), s.ackFloorStream(), s.lastAcked()));
        out.put("num_ack_pending", s.numAckPending());
        out.put("num_redelivered", s.numRedelivered());
        out.put("num_waiting", s.numWaiting());
        out.put("num_pending", s.numPending());
        if (s.pushBound()) {
            out.put("push_bound", true);
        }
        c.config().pauseUntil.ifPresent(until -> {
            Instant now = Instant.now();
            if (until.isAfter(now)) {
                out.put("paused", true);
                out.put("pause_remaining", java.time.Duration.between(now, until).toNanos());
            }
        });
    }

    private static Map<String, Object> sequenceInfo(long consumer, long stream, Instant last) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("consumer_seq", consumer);
        m.put("stream_seq", stream);
        if (last != null) {
            m.put("last_active", last);
        }
        return m;
    }

    /** Go's {@code JetStreamAccountStats} members (usage, limits, api). */
    public static void accountStats(Map<String, Object> out, JsAccount a) {
        out.put("memory", a.memoryUsed());
        out.put("storage", a.storeUsed());
        out.put("streams", a.streams().size());
        out.put("consumers", a.consumerCount());
        AccountLimits l = a.limits();
        out.put("limits", l.toJson());
        String domain = a.js().options().domain();
        if (!domain.isEmpty()) {
            out.put("domain", domain);
        }
        Map<String, Object> api = new LinkedHashMap<>();
        api.put("total", a.apiTotal());
        api.put("errors", a.apiErrors());
        out.put("api", api);
    }
}
