package nats.jetstream.internal.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import nats.jetstream.internal.engine.JetStream;
import nats.jetstream.internal.engine.JsAccount;
import nats.jetstream.internal.engine.Stream;
import nats.jetstream.internal.model.ApiException;
import nats.jetstream.internal.model.JsErrors;
import nats.jetstream.internal.model.JsonIn;
import nats.jetstream.internal.model.StreamSettings;
import nats.jetstream.store.StoreException;
import nats.jetstream.store.StoredMessage;
import nats.jetstream.store.StreamState;
import nats.jetstream.store.SubjectFilter;

/** The {@code $JS.API.STREAM.*} requests, with Go's checks in Go's order and Go's response shapes. */
final class StreamRequests {

    /** Go's {@code JSApiNamesLimit} and {@code JSApiListLimit}. */
    static final int NAMES_LIMIT = 1024;
    static final int LIST_LIMIT = 256;
    /** Go's {@code JSMaxSubjectDetails}. */
    private static final int MAX_SUBJECT_DETAILS = 100_000;

    private final JetStream js;
    private final SnapshotRequests snapshots;

    StreamRequests(JetStream js) {
        this.js = js;
        this.snapshots = new SnapshotRequests(js);
    }

    boolean dispatch(ApiRequest req, String op) {
        int n = req.tokenCount();
        switch (op) {
            case "CREATE" -> {
                if (n != 5) {
                    return false;
                }
                create(req);
            }
            case "UPDATE" -> {
                if (n != 5) {
                    return false;
                }
                update(req);
            }
            case "INFO" -> {
                if (n != 5) {
                    return false;
                }
                info(req);
            }
            case "NAMES" -> {
                if (n != 4) {
                    return false;
                }
                names(req);
            }
            case "LIST" -> {
                if (n != 4) {
                    return false;
                }
                list(req);
            }
            case "DELETE" -> {
                if (n != 5) {
                    return false;
                }
                delete(req);
            }
            case "PURGE" -> {
                if (n != 5) {
                    return false;
                }
                purge(req);
            }
            case "MSG" -> {
                if (n != 6) {
                    return false;
                }
                switch (req.token(4)) {
                    case "GET" -> messageGet(req);
                    case "DELETE" -> messageDelete(req);
                    default -> {
                        return false;
                    }
                }
            }
            case "SNAPSHOT" -> {
                if (n != 5) {
                    return false;
                }
                snapshots.snapshot(req);
            }
            case "RESTORE" -> {
                if (n != 5) {
                    return false;
                }
                snapshots.restore(req);
            }
            case "LEADER" -> {
                req.type("stream_leader_stepdown_response");
                throw new ApiException(JsErrors.CLUSTER_NOT_ACTIVE);
            }
            case "PEER" -> {
                req.type("stream_remove_peer_response");
                throw new ApiException(JsErrors.CLUSTER_NOT_ACTIVE);
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    static Stream stream(JsAccount account, String name) {
        return account.stream(name).orElseThrow(() -> new ApiException(JsErrors.STREAM_NOT_FOUND));
    }

    private void create(ApiRequest req) {
        req.type("stream_create_response");
        StreamSettings cfg = StreamSettings.parse(req.json());
        if (!req.token(4).equals(cfg.name)) {
            throw new ApiException(JsErrors.STREAM_MISMATCH);
        }
        if (cfg.sealed) {
            throw new ApiException(JsErrors.STREAM_INVALID_CONFIG, "stream configuration for create can not be sealed");
        }
        if (cfg.replicas > 1) {
            cfg.replicas = 1;
        }
        JsAccount.Created created;
        try {
            created = req.account.createStream(cfg);
        } catch (StoreException e) {
            throw new ApiException(JsErrors.STREAM_CREATE, e.getMessage());
        }
        Stream stream = created.stream();
        InfoJson.streamInfo(req.response, stream, stream.store().fastState(), null, false);
        // Go 2.9 answers did_create true also when an identical stream already existed.
        req.response.put("did_create", true);
        if (created.created()) {
            req.account.advisories().streamAction(stream.name(), "create");
        }
    }

    private void update(ApiRequest req) {
        req.type("stream_update_response");
        StreamSettings cfg = StreamSettings.parse(req.json());
        if (!req.token(4).equals(cfg.name)) {
            throw new ApiException(JsErrors.STREAM_MISMATCH);
        }
        stream(req.account, req.token(4));
        if (cfg.replicas > 1) {
            cfg.replicas = 1;
        }
        Stream stream;
        try {
            stream = req.account.updateStream(cfg);
        } catch (StoreException e) {
            throw new ApiException(JsErrors.STREAM_UPDATE, e.getMessage());
        }
        InfoJson.streamInfo(req.response, stream, stream.store().fastState(), null, false);
        req.account.advisories().streamAction(stream.name(), "update");
    }

    private void info(ApiRequest req) {
        req.type("stream_info_response");
        boolean details = false;
        String subjects = "";
        long offset = 0;
        if (!req.isEmptyBody()) {
            JsonIn in = new JsonIn(req.json(), "JSApiStreamInfoRequest");
            details = in.bool("deleted_details");
            subjects = in.string("subjects_filter");
            offset = in.goInt("offset");
        }
        Stream stream = stream(req.account, req.token(4));
        StreamState state = details ? stream.store().state() : stream.store().fastState();
        Map<String, Long> subjectCounts = null;
        if (!subjects.isEmpty()) {
            Map<String, Long> all = new TreeMap<>(stream.store().subjectsTotals(subjects));
            if (!all.isEmpty()) {
                List<String> keys = new ArrayList<>(all.keySet());
                int from = (int) Math.min(Math.max(0, offset), keys.size());
                int to = Math.min(keys.size(), from + MAX_SUBJECT_DETAILS);
                subjectCounts = new LinkedHashMap<>();
                for (String k : keys.subList(from, to)) {
                    subjectCounts.put(k, all.get(k));
                }
                req.response.put("total", keys.size());
                req.response.put("offset", from);
                req.response.put("limit", MAX_SUBJECT_DETAILS);
            }
        }
        InfoJson.streamInfo(req.response, stream, state, subjectCounts, details);
    }

    private List<Stream> filtered(JsAccount account, String filter) {
        List<Stream> result = new ArrayList<>();
        for (Stream s : account.streams()) {
            if (filter.isEmpty()) {
                result.add(s);
                continue;
            }
            List<String> subjects = s.config().subjects;
            boolean match = subjects.isEmpty() ? nats.jetstream.internal.engine.SubjectRules.collide(filter, s.name())
                    : subjects.stream().anyMatch(x -> nats.jetstream.internal.engine.SubjectRules.collide(filter, x));
            if (match) {
                result.add(s);
            }
        }
        return result;
    }

    private void names(ApiRequest req) {
        req.type("stream_names_response");
        long offset = 0;
        String filter = "";
        if (!req.isEmptyBody()) {
            JsonIn in = new JsonIn(req.json(), "JSApiStreamNamesRequest");
            offset = in.goInt("offset");
            filter = in.string("subject");
        }
        List<Stream> streams = filtered(req.account, filter);
        int from = (int) Math.min(Math.max(0, offset), streams.size());
        List<String> names = new ArrayList<>();
        for (Stream s : streams.subList(from, streams.size())) {
            names.add(s.name());
            if (names.size() >= NAMES_LIMIT) {
                break;
            }
        }
        req.response.put("total", streams.size());
        req.response.put("offset", from);
        req.response.put("limit", NAMES_LIMIT);
        req.response.put("streams", names.isEmpty() ? null : names);
    }

    private void list(ApiRequest req) {
        req.type("stream_list_response");
        long offset = 0;
        String filter = "";
        if (!req.isEmptyBody()) {
            JsonIn in = new JsonIn(req.json(), "JSApiStreamListRequest");
            offset = in.goInt("offset");
            filter = in.string("subject");
        }
        List<Stream> streams = filtered(req.account, filter);
        int from = (int) Math.min(Math.max(0, offset), streams.size());
        List<Map<String, Object>> infos = new ArrayList<>();
        for (Stream s : streams.subList(from, streams.size())) {
            Map<String, Object> info = new LinkedHashMap<>();
            InfoJson.streamInfo(info, s, s.store().fastState(), null, false);
            infos.add(info);
            if (infos.size() >= LIST_LIMIT) {
                break;
            }
        }
        req.response.put("total", streams.size());
        req.response.put("offset", from);
        req.response.put("limit", LIST_LIMIT);
        req.response.put("streams", infos);
    }

    private void delete(ApiRequest req) {
        req.type("stream_delete_response");
        Stream stream = stream(req.account, req.token(4));
        req.account.deleteStream(stream);
        req.response.put("success", true);
        req.account.advisories().streamAction(stream.name(), "delete");
    }

    private void purge(ApiRequest req) {
        req.type("stream_purge_response");
        String filter = "";
        long seq = 0;
        long keep = 0;
        if (!req.isEmptyBody()) {
            JsonIn in = new JsonIn(req.json(), "JSApiStreamPurgeRequest");
            filter = in.string("filter");
            seq = in.uint64("seq");
            keep = in.uint64("keep");
            if (seq > 0 && keep > 0) {
                throw new ApiException(JsErrors.BAD_REQUEST);
            }
        }
        Stream stream = stream(req.account, req.token(4));
        if (stream.config().sealed) {
            throw new ApiException(JsErrors.STREAM_SEALED);
        }
        if (stream.config().denyPurge) {
            throw new ApiException(JsErrors.STREAM_PURGE_FAILED, "stream purge not permitted");
        }
        long purged = stream.purge(filter, seq, keep);
        req.response.remove("purged");
        req.response.put("success", true);
        req.response.put("purged", purged);
    }

    private void messageGet(ApiRequest req) {
        req.type("stream_msg_get_response");
        if (req.isEmptyBody()) {
            throw new ApiException(JsErrors.BAD_REQUEST);
        }
        JsonIn in = new JsonIn(req.json(), "JSApiMsgGetRequest");
        long seq = in.uint64("seq");
        String lastFor = in.string("last_by_subj");
        String nextFor = in.string("next_by_subj");
        if ((seq > 0 && !lastFor.isEmpty()) || (seq == 0 && lastFor.isEmpty() && nextFor.isEmpty())
                || (!lastFor.isEmpty() && !nextFor.isEmpty())) {
            throw new ApiException(JsErrors.BAD_REQUEST);
        }
        Stream stream = stream(req.account, req.token(5));
        Optional<StoredMessage> found;
        if (seq > 0 && nextFor.isEmpty()) {
            found = stream.store().load(seq);
        } else if (!nextFor.isEmpty()) {
            found = stream.store().loadNext(SubjectFilter.of(nextFor), seq);
        } else {
            found = stream.store().loadLast(lastFor);
        }
        StoredMessage sm = found.orElseThrow(() -> new ApiException(JsErrors.NO_MESSAGE_FOUND));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("subject", sm.subject());
        m.put("seq", sm.sequence());
        if (sm.headers().length > 0) {
            m.put("hdrs", Base64.getEncoder().encodeToString(sm.headers()));
        }
        if (sm.payload().length > 0) {
            m.put("data", Base64.getEncoder().encodeToString(sm.payload()));
        }
        m.put("time", Instant.ofEpochSecond(0, sm.timestamp()));
        req.response.put("message", m);
    }

    private void messageDelete(ApiRequest req) {
        req.type("stream_msg_delete_response");
        if (req.isEmptyBody()) {
            throw new ApiException(JsErrors.BAD_REQUEST);
        }
        JsonIn in = new JsonIn(req.json(), "JSApiMsgDeleteRequest");
        long seq = in.uint64("seq");
        boolean noErase = in.bool("no_erase");
        Stream stream = stream(req.account, req.token(5));
        if (stream.config().sealed) {
            throw new ApiException(JsErrors.STREAM_SEALED);
        }
        if (stream.config().denyDelete) {
            throw new ApiException(JsErrors.STREAM_MSG_DELETE_FAILED, "message delete not permitted");
        }
        boolean removed = stream.deleteMessage(seq, !noErase);
        if (!removed) {
            // Go's file store reports why (its memory store does not, which the API answers as "not found").
            if (stream.config().storage == nats.jetstream.internal.model.Policies.Storage.MEMORY) {
                throw new ApiException(JsErrors.SEQUENCE_NOT_FOUND, seq);
            }
            boolean beyond = seq > stream.store().fastState().lastSequence();
            throw new ApiException(JsErrors.STREAM_MSG_DELETE_FAILED, beyond ? "stream store EOF" : "no message found");
        }
        req.response.put("success", true);
    }

}
