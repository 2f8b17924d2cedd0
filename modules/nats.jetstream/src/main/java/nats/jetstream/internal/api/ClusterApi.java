package nats.jetstream.internal.api;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import nats.api.messaging.InternalConnection;
import nats.api.messaging.Message;
import nats.jetstream.internal.cluster.ClusterRequests;
import nats.jetstream.internal.cluster.ConsumerGroups;
import nats.jetstream.internal.cluster.JsCluster;
import nats.jetstream.internal.cluster.PeerSelection;
import nats.jetstream.internal.engine.JetStream;
import nats.jetstream.internal.engine.JsAccount;
import nats.jetstream.internal.engine.Replicas;
import nats.jetstream.internal.engine.SubjectRules;
import nats.jetstream.internal.model.ApiError;
import nats.jetstream.internal.model.ApiException;
import nats.jetstream.internal.model.JsErrors;
import nats.jetstream.internal.model.Policies.Storage;
import nats.jetstream.internal.model.StreamSettings;
import nats.transport.json.GoJson;
import nats.transport.json.Json;

/**
 * Who answers a {@code $JS.API} request in a cluster, as Go decides it, so that every request is answered once:
 * the meta leader takes stream create, update and delete (it places the stream and replicates the assignment),
 * stream names and lists, account info and everything not scoped to a stream; the stream's leader answers requests
 * about its stream and its consumers (on the single-server path, its stream being a local replica). Every other
 * server stays silent. Without a meta leader, Go's 503 "JetStream system temporarily unavailable".
 */
final class ClusterApi implements ClusterRequests {

    private static final Duration PROPOSE_TIMEOUT = Duration.ofSeconds(10);

    private final JetStream js;
    private final JsCluster cluster;

    private final ApiRouter router;
    private final PeerRequests peerRequests;
    private final HeldRequests held;

    ClusterApi(JetStream js, JsCluster cluster, ApiRouter router) {
        this.js = js;
        this.cluster = cluster;
        this.router = router;
        this.peerRequests = new PeerRequests(cluster);
        this.held = new HeldRequests(cluster, router::handle);
        cluster.requests(this);
    }

    @Override
    public void answerStream(nats.jetstream.internal.engine.Stream stream, String reply, String type) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("type", "io.nats.jetstream.api.v1." + type);
        InfoJson.streamInfo(response, stream, stream.store().fastState(), null, false);
        InfoJson.putCluster(response, cluster.clusterInfo(stream.account().name(), stream.name()));
        if (type.equals("stream_create_response")) {
            response.put("did_create", true);
        }
        String body = GoJson.compact(response);
        stream.account().connection().publish(new Message(reply, "", Message.NO_HEADERS,
                body.getBytes(StandardCharsets.UTF_8)));
        // Go's stream leader audits it under the request's subject, without the request's body.
        String op = type.equals("stream_create_response") ? "CREATE" : "UPDATE";
        answered(stream.account(), "$JS.API.STREAM." + op + "." + stream.name(), "", body);
    }

    @Override
    public void answered(JsAccount account, String subject, String request, String response) {
        router.accounted(account.name(), subject, request, response);
    }

    @Override
    public void answerRestored(nats.jetstream.internal.engine.Stream stream, String reply) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("type", "io.nats.jetstream.api.v1.stream_create_response");
        InfoJson.streamInfo(response, stream, stream.store().fastState(), null, false);
        stream.account().connection().publish(new Message(reply, "", Message.NO_HEADERS,
                GoJson.compact(response).getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public String applyRequest(JsAccount account, Message request) {
        return router.answer(account, request);
    }

    boolean active() {
        return cluster.isClustered();
    }

    /**
     * Decides a request: true when the single-server path on this server answers it, false when it was answered
     * here (now or once committed) or is not this server's to answer.
     */
    boolean route(String accountName, InternalConnection connection, Message m) {
        if (cluster.isDisabled()) {
            return false; // removed from the cluster: JetStream is off here, the others answer
        }
        String[] t = ApiRequest.tokens(m.subject());
        String group = t.length > 2 ? t[2] : "";
        String op = t.length > 3 ? t[3] : "";
        if (group.equals("META") && op.equals("LEADER") && t.length == 5 && t[4].equals("STEPDOWN")) {
            metaStepDown(connection, m);
            return false;
        }
        JsAccount account = js.account(accountName).orElse(null);
        if (group.equals("SERVER") && op.equals("REMOVE") && t.length == 4) {
            // Go 2.9.10 takes it from any account (its handler checks only that it is the meta leader).
            if (cluster.isMetaLeader()) {
                peerRequests.removeServer(account, connection, m);
            }
            return false;
        }
        if (account == null) {
            return cluster.isMetaLeader();
        }
        if (group.equals("STREAM") && op.equals("PEER")) {
            // The meta leader's, as in Go (it re-places the group); 503 from each server while there is none.
            if (!cluster.hasMetaLeader()) {
                fail(connection, m, "stream_remove_peer_response", ApiError.of(JsErrors.CLUSTER_NOT_AVAIL));
            } else if (cluster.isMetaLeader()) {
                peerRequests.removeStreamPeer(account, connection, m);
            }
            return false;
        }
        if (group.equals("STREAM") && op.equals("RESTORE")) {
            // Go: the meta leader only (it creates the stream's group, whose leader takes the chunks); no 503.
            if (cluster.isMetaLeader()) {
                metaRequest(account, connection, m, op, t);
            }
            return false;
        }
        // A request about an assigned stream is its leader's, whether or not the meta group has a leader now.
        String stream = streamOf(group, op, t);
        if (!stream.isEmpty() && cluster.streamConfig(account.name(), stream).isPresent()) {
            return byStreamLeader(account, stream, group, op, t, connection, m);
        }
        if (group.equals("STREAM") && op.equals("SNAPSHOT")) {
            return false; // Go: only the stream's leader answers; a stream not assigned has none (and no 503 either)
        }
        if (group.equals("CONSUMER") && op.equals("CREATE") && directConsumer(m)) {
            // Go: only the stream's leader answers a direct create (a mirror's or source's consumer); there is none.
            return false;
        }
        if (!cluster.hasMetaLeader()) {
            fail(connection, m, ApiRouter.responseType(m.subject()), ApiError.of(JsErrors.CLUSTER_NOT_AVAIL));
            return false;
        }
        if (!cluster.isMetaLeader()) {
            return false;
        }
        if (group.equals("CONSUMER") && op.equals("LEADER")) {
            // Go subscribes to CONSUMER.LEADER.STEPDOWN.*.* only; its meta leader knows no such stream.
            if (t.length == 7 && t[4].equals("STEPDOWN")) {
                fail(connection, m, "consumer_leader_stepdown_response", ApiError.of(JsErrors.STREAM_NOT_FOUND));
            }
            return false;
        }
        if (group.equals("STREAM")) {
            switch (op) {
                case "CREATE", "UPDATE", "DELETE", "NAMES", "LIST" -> {
                    metaRequest(account, connection, m, op, t);
                    return false;
                }
                case "LEADER" -> {
                    fail(connection, m, "stream_leader_stepdown_response", ApiError.of(JsErrors.STREAM_NOT_FOUND));
                    return false;
                }
                default -> {
                    // Not assigned: the single-server path answers (stream not found).
                    return true;
                }
            }
        }
        return true;
    }

    /** The account's streams as assigned in the meta group (the origins of mirrors and sources are checked there). */
    private java.util.function.Function<String, Optional<StreamSettings>> assignedStreams(String account) {
        return name -> cluster.streamConfig(account, name).map(StreamSettings::parse);
    }

    /** Whether a consumer create asks for a direct consumer ({@code config.direct}), as mirrors and sources do. */
    private static boolean directConsumer(Message m) {
        try {
            return Json.parseObject(new String(m.payload(), StandardCharsets.UTF_8)).get("config") instanceof Map<?, ?> c
                    && Boolean.TRUE.equals(c.get("direct"));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The stream a stream-scoped request is about ({@code STREAM.INFO.<s>}, {@code CONSUMER.*.<s>...}), or "". */
    private static String streamOf(String group, String op, String[] t) {
        if (group.equals("STREAM")) {
            return switch (op) {
                case "INFO", "PURGE", "SNAPSHOT", "RESTORE" -> t.length == 5 ? t[4] : "";
                case "MSG", "LEADER", "PEER" -> t.length == 6 ? t[5] : "";
                default -> "";
            };
        }
        if (group.equals("CONSUMER")) {
            return op.equals("DURABLE") || op.equals("LEADER") ? (t.length > 5 ? t[5] : "") : (t.length > 4 ? t[4] : "");
        }
        return "";
    }

    /**
     * An assigned stream's leader answers requests about it and its consumers (purge and message delete through
     * its group); what clustered streams do not support yet is refused, by the leader too.
     */
    private boolean byStreamLeader(JsAccount account, String stream, String group, String op, String[] t,
                                   InternalConnection connection, Message m) {
        if (!cluster.isStreamLeader(account.name(), stream)) {
            held.holdIfLeaderless(account.name(), stream, connection, m);
            return false;
        }
        if (!isRead(group, op, t) && !held.firstTime(m)) {
            return false; // answered already: published again by a replica that held it during a leader change
        }
        if (group.equals("CONSUMER")) {
            if (op.equals("LEADER")) {
                consumerStepDown(account, stream, connection, m);
                return false;
            }
            return true;
        }
        switch (op) {
            case "INFO" -> {
                return true;
            }
            case "MSG" -> {
                if (t[4].equals("GET")) {
                    return true;
                }
                if (t[4].equals("DELETE")) {
                    cluster.proposeRequest(account.name(), stream, m);
                }
                return false;
            }
            case "PURGE" -> {
                cluster.proposeRequest(account.name(), stream, m);
                return false;
            }
            case "LEADER" -> {
                streamStepDown(account, stream, connection, m);
                return false;
            }
            case "SNAPSHOT" -> {
                return true; // the leader's replica holds every committed message: the single-server path sends it
            }
            default -> {
                notReplicated(connection, m, op);
                return false;
            }
        }
    }

    /** Whether a stream-scoped request only reads (answering it twice changes nothing). */
    private static boolean isRead(String group, String op, String[] t) {
        if (group.equals("CONSUMER")) {
            return op.equals("INFO") || op.equals("NAMES") || op.equals("LIST");
        }
        return op.equals("INFO") || (op.equals("MSG") && t.length > 4 && t[4].equals("GET"));
    }

    /**
     * Adds the {@code cluster} block to a stream info answered on the single-server path; account info counts the
     * account's streams from the assignments and its usage over the whole cluster (this server holds replicas of
     * some streams only).
     */
    void decorate(ApiRequest req) {
        if (req.response.containsKey("limits") && req.response.containsKey("streams")) {
            cluster.putAccountUsage(req.response, req.account);
            req.response.put("streams", cluster.streamNames(req.account.name()).size());
            return;
        }
        if (req.response.get("stream_name") instanceof String stream && req.response.containsKey("num_pending")
                && cluster.streamConfig(req.account.name(), stream).isPresent()) {
            withConsumerCluster(req.response, req.account.name(), stream);
            return;
        }
        if (req.response.get("consumers") instanceof List<?> list) {
            // CONSUMER.LIST: every info carries its cluster block, as Go's.
            for (Object o : list) {
                if (o instanceof Map<?, ?> info && info.get("stream_name") instanceof String stream
                        && info.containsKey("num_pending") && cluster.streamConfig(req.account.name(), stream).isPresent()) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = (Map<String, Object>) info;
                    withConsumerCluster(m, req.account.name(), stream);
                }
            }
            return;
        }
        Object config = req.response.get("config");
        if (config instanceof Map<?, ?> c && c.get("name") instanceof String name && req.response.containsKey("state")
                && cluster.streamConfig(req.account.name(), name).isPresent()) {
            InfoJson.putCluster(req.response, cluster.clusterInfo(req.account.name(), name));
        }
    }

    /**
     * A consumer create or delete the stream's leader just did on the single-server path is answered once the
     * stream's group committed it (Go answers after the consumer assignment is committed); false when the answer
     * may go now. Should this server's leadership end first, the next leader handles the request again (a create of
     * a consumer that exists with the same configuration succeeds, so a create that did commit is not refused).
     */
    boolean answerAfterCommit(ApiRequest req, InternalConnection connection, String response) {
        String[] t = req.tokens;
        if (t.length < 5 || !t[2].equals("CONSUMER")) {
            return false;
        }
        String op = t[3];
        String stream = streamOf("CONSUMER", op, t);
        String consumer;
        if (op.equals("CREATE") || op.equals("DURABLE")) {
            consumer = req.response.get("name") instanceof String n ? n : "";
        } else if (op.equals("DELETE") && t.length == 6) {
            consumer = t[5];
        } else {
            return false;
        }
        if (consumer.isEmpty() || cluster.streamConfig(req.account.name(), stream).isEmpty()) {
            return false;
        }
        String type = ApiRouter.responseType(req.message.subject());
        cluster.commitConsumer(req.account.name(), stream, consumer)
                .orTimeout(PROPOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((v, error) -> {
                    if (error == null) {
                        send(connection, req.message, response);
                    } else if (!held.retryElsewhere(req.account.name(), stream, connection, req.message)) {
                        fail(connection, req.message, type, ApiError.of(JsErrors.CLUSTER_NOT_AVAIL));
                    }
                });
        return true;
    }

    /** Go's ConsumerInfo: {@code cluster} after {@code num_pending}. A consumer is led by its stream's leader. */
    private void withConsumerCluster(Map<String, Object> info, String account, String stream) {
        Map<String, Object> block = cluster.clusterInfo(account, stream);
        if (singleReplica(info, cluster.streamConfig(account, stream).orElse(Map.of()))) {
            block = new LinkedHashMap<>(block);
            block.remove("replicas");
        }
        Map<String, Object> copy = new LinkedHashMap<>(info);
        info.clear();
        Map<String, Object> clusterBlock = block;
        copy.forEach((k, v) -> {
            info.put(k, v);
            if (k.equals("num_pending")) {
                info.put("cluster", clusterBlock);
            }
        });
    }

    /**
     * Whether Go 2.9.10 gives this consumer a group of one, whose {@code cluster} block has no replicas: it asks for
     * {@code num_replicas} 1, or it is an ephemeral of a limits stream that does not ask for more. Ours still
     * replicates its state on every replica of the stream (it runs with the stream's leader).
     */
    private static boolean singleReplica(Map<String, Object> info, Map<String, Object> streamConfig) {
        return info.get("config") instanceof Map<?, ?> config && ConsumerGroups.goGroupSize(config, streamConfig) == 1;
    }

    // --- the meta leader's requests --------------------------------------------------------------------------

    private void metaRequest(JsAccount account, InternalConnection connection, Message m, String op, String[] t) {
        ApiRequest req = new ApiRequest(account, m);
        try {
            switch (op) {
                case "CREATE" -> create(req, connection);
                case "UPDATE" -> update(req, connection);
                case "DELETE" -> delete(req, connection);
                case "NAMES" -> names(req, connection);
                case "RESTORE" -> restore(req, connection);
                default -> list(req, connection);
            }
        } catch (ApiException e) {
            send(connection, m, req.errorResponse(e.error()));
        } catch (RuntimeException e) {
            send(connection, m, req.errorResponse(new ApiError(500, 0, e.toString())));
        }
    }

    private void create(ApiRequest req, InternalConnection connection) {
        req.type("stream_create_response");
        if (req.tokenCount() != 5) {
            return;
        }
        StreamSettings requested = StreamSettings.parse(req.json());
        if (!req.token(4).equals(requested.name)) {
            throw new ApiException(JsErrors.STREAM_MISMATCH);
        }
        if (requested.sealed) {
            throw new ApiException(JsErrors.STREAM_INVALID_CONFIG, "stream configuration for create can not be sealed");
        }
        StreamSettings cfg = Replicas.checkCreate(req.account, requested, assignedStreams(req.account.name()));
        int replicas = (int) Math.max(1, cfg.replicas);
        cfg.replicas = replicas;
        String account = req.account.name();
        Optional<Map<String, Object>> existing = cluster.streamConfig(account, cfg.name);
        if (existing.isPresent()) {
            if (!GoJson.compact(existing.get()).equals(GoJson.compact(cfg.toJson()))) {
                throw new ApiException(JsErrors.STREAM_NAME_EXIST);
            }
            req.response.put("config", existing.get());
            req.response.put("cluster", cluster.clusterInfo(account, cfg.name));
            req.response.put("did_create", true);
            send(connection, req.message, req.okResponse());
            return;
        }
        for (String other : cluster.streamNames(account)) {
            @SuppressWarnings("unchecked")
            List<Object> subjects = (List<Object>) cluster.streamConfig(account, other).orElseThrow()
                    .getOrDefault("subjects", List.of());
            for (String a : cfg.subjects) {
                for (Object b : subjects) {
                    if (SubjectRules.collide(a, b.toString())) {
                        throw new ApiException(JsErrors.STREAM_SUBJECT_OVERLAP);
                    }
                }
            }
        }
        PeerSelection.Result placed = cluster.place(replicas, PeerSelection.Placement.of(cfg.placement),
                cfg.toJson());
        if (!placed.error().isEmpty()) {
            throw new ApiException(JsErrors.CLUSTER_NO_PEERS, placed.error());
        }
        assign(req, connection, cfg, placed.eligible(), false);
    }

    /**
     * Proposes the assignment of a new stream to {@code peers}; the stream's first leader answers the request (a
     * restore: it takes the snapshot's chunks first), only a failure to commit is answered here.
     */
    private void assign(ApiRequest req, InternalConnection connection, StreamSettings cfg, List<String> peers,
                        boolean restore) {
        int replicas = (int) cfg.replicas;
        Map<String, Object> sa = new LinkedHashMap<>();
        sa.put("account", req.account.name());
        sa.put("config", cfg.toJson());
        sa.put("group", JsCluster.groupName(replicas, cfg.storage == Storage.MEMORY));
        sa.put("peers", peers);
        sa.put("created", JsCluster.now().toString());
        sa.put("reply", req.message.replyTo());
        if (restore) {
            sa.put("restore", true);
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("op", "add_stream");
        entry.put("stream", sa);
        entry.put("ts", System.currentTimeMillis());
        propose(entry).whenComplete((index, error) -> {
            if (error != null) {
                send(connection, req.message, req.errorResponse(ApiError.of(JsErrors.CLUSTER_NOT_AVAIL)));
            }
        });
    }

    /**
     * Go's {@code jsClusteredStreamRestoreRequest}: the configuration checked as a create's, a stream of that name
     * refused, the group placed; the new group's leader answers with the subject the chunks go to.
     */
    @SuppressWarnings("unchecked")
    private void restore(ApiRequest req, InternalConnection connection) {
        req.type("stream_restore_response");
        if (req.tokenCount() != 5) {
            return;
        }
        if (req.isEmptyBody()) {
            throw new ApiException(JsErrors.BAD_REQUEST);
        }
        Object config = req.json().get("config");
        StreamSettings requested = StreamSettings.parse(config instanceof Map<?, ?> c ? (Map<String, Object>) c
                : Map.of());
        if (requested.name.isEmpty()) {
            requested.name = req.token(4);
        }
        StreamSettings cfg = Replicas.checkCreate(req.account, requested, assignedStreams(req.account.name()));
        cfg.replicas = Math.max(1, cfg.replicas);
        if (cluster.streamConfig(req.account.name(), cfg.name).isPresent()) {
            throw new ApiException(JsErrors.STREAM_NAME_EXIST_RESTORE_FAILED);
        }
        PeerSelection.Result placed = cluster.place((int) cfg.replicas, PeerSelection.Placement.of(cfg.placement),
                cfg.toJson());
        if (!placed.error().isEmpty()) {
            throw new ApiException(JsErrors.CLUSTER_NO_PEERS, placed.error());
        }
        assign(req, connection, cfg, placed.eligible(), true);
    }

    private void update(ApiRequest req, InternalConnection connection) {
        req.type("stream_update_response");
        if (req.tokenCount() != 5) {
            return;
        }
        StreamSettings requested = StreamSettings.parse(req.json());
        if (!req.token(4).equals(requested.name)) {
            throw new ApiException(JsErrors.STREAM_MISMATCH);
        }
        String account = req.account.name();
        Map<String, Object> old = cluster.streamConfig(account, requested.name)
                .orElseThrow(() -> new ApiException(JsErrors.STREAM_NOT_FOUND));
        StreamSettings oldCfg = StreamSettings.parse(old);
        if (requested.replicas == 0) {
            requested.replicas = 1;
        }
        StreamSettings cfg = Replicas.checkUpdate(req.account, oldCfg, requested, assignedStreams(account));
        // Go: a placement that changed moves the stream (not together with a new num_replicas).
        boolean move = requested.placement.isPresent() && !requested.placement.equals(oldCfg.placement);
        if (move && requested.replicas != oldCfg.replicas) {
            throw new ApiException(JsErrors.STREAM_MOVE_AND_SCALE);
        }
        Optional<List<String>> newPeers;
        if (move) {
            PeerSelection.Result placed = cluster.place((int) cfg.replicas,
                    PeerSelection.Placement.of(cfg.placement), cfg.toJson());
            if (!placed.error().isEmpty()) {
                throw new ApiException(JsErrors.CLUSTER_NO_PEERS, placed.error());
            }
            newPeers = Optional.of(placed.eligible());
        } else {
            // A new num_replicas re-places the group (Go: more peers, or fewer keeping the leader); they catch up.
            newPeers = requested.replicas == oldCfg.replicas ? Optional.empty()
                    : Optional.of(cluster.peerChanges().peersFor(account, requested.name, (int) requested.replicas)
                    .orElseThrow(() -> new ApiException(JsErrors.CLUSTER_NO_PEERS, "no suitable peers for placement")));
        }
        if (move) {
            // Go refuses a move while one is under way (the group holds more peers than num_replicas), with counts.
            cluster.gatherStreamInfos(account, List.of(cfg.name), Duration.ofSeconds(4)).thenAccept(infos -> {
                String moving = moveInProgress(infos.get(cfg.name), oldCfg.replicas);
                if (!moving.isEmpty()) {
                    send(connection, req.message, req.errorResponse(ApiError.of(JsErrors.STREAM_MOVE_IN_PROGRESS,
                            moving)));
                } else {
                    proposeUpdate(req, connection, cfg, newPeers);
                }
            });
            return;
        }
        proposeUpdate(req, connection, cfg, newPeers);
    }

    /** Go's text when the stream's group holds more members than its replicas (a move under way), else "". */
    private static String moveInProgress(String info, long replicas) {
        if (info == null || !(Json.parseObject(info).get("cluster") instanceof Map<?, ?> c)) {
            return "";
        }
        List<?> others = c.get("replicas") instanceof List<?> l ? l : List.of();
        if (others.size() + 1 <= replicas) {
            return "";
        }
        long current = c.get("leader") != null ? 1 : 0;
        long lag = 0;
        for (Object o : others) {
            if (o instanceof Map<?, ?> r) {
                current += Boolean.TRUE.equals(r.get("current")) ? 1 : 0;
                lag += r.get("lag") instanceof Number n ? n.longValue() : 0;
            }
        }
        return "total peers: " + (others.size() + 1) + ", current peers: " + current + ", combined lag: " + lag;
    }

    private void proposeUpdate(ApiRequest req, InternalConnection connection, StreamSettings cfg,
                               Optional<List<String>> newPeers) {
        String account = req.account.name();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("op", "update_stream");
        entry.put("account", account);
        entry.put("config", cfg.toJson());
        newPeers.ifPresent(p -> entry.put("peers", p));
        entry.put("reply", req.message.replyTo());
        entry.put("ts", System.currentTimeMillis());
        propose(entry).whenComplete((index, error) -> {
            if (error != null) {
                send(connection, req.message, req.errorResponse(ApiError.of(JsErrors.CLUSTER_NOT_AVAIL)));
            }
        });
    }

    private void delete(ApiRequest req, InternalConnection connection) {
        req.type("stream_delete_response");
        if (req.tokenCount() != 5) {
            return;
        }
        String account = req.account.name();
        String name = req.token(4);
        if (cluster.streamConfig(account, name).isEmpty()) {
            throw new ApiException(JsErrors.STREAM_NOT_FOUND);
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("op", "delete_stream");
        entry.put("account", account);
        entry.put("name", name);
        propose(entry).whenComplete((index, error) -> {
            if (error != null) {
                send(connection, req.message, req.errorResponse(ApiError.of(JsErrors.CLUSTER_NOT_AVAIL)));
            } else {
                req.response.put("success", true);
                send(connection, req.message, req.okResponse());
                req.account.advisories().streamAction(name, "delete");
            }
        });
    }

    private void names(ApiRequest req, InternalConnection connection) {
        req.type("stream_names_response");
        StreamPage page = StreamPage.of(req, "JSApiStreamNamesRequest", cluster, StreamRequests.NAMES_LIMIT);
        req.response.put("total", page.matched());
        req.response.put("offset", page.offset());
        req.response.put("limit", StreamRequests.NAMES_LIMIT);
        // Go's list is null when nothing matched, empty when the offset passed every match.
        req.response.put("streams", page.matched() == 0 ? null : page.names());
        send(connection, req.message, req.okResponse());
    }

    /**
     * Go's scatter and gather: the infos of a page of the account's streams, from this server where it leads them
     * and from their leaders otherwise ({@code $JSC.SI}); streams whose leader did not answer within 4 s are listed
     * under {@code missing}.
     */
    private void list(ApiRequest req, InternalConnection connection) {
        req.type("stream_list_response");
        String account = req.account.name();
        StreamPage page = StreamPage.of(req, "JSApiStreamListRequest", cluster, StreamRequests.LIST_LIMIT);
        List<String> names = page.names();
        if (names.isEmpty()) {
            // As Go 2.9.10's meta leader: an empty page is answered without its total.
            req.response.put("total", 0);
            req.response.put("offset", page.offset());
            req.response.put("limit", StreamRequests.LIST_LIMIT);
            req.response.put("streams", List.of());
            send(connection, req.message, req.okResponse());
            return;
        }
        Map<String, Object> local = new java.util.TreeMap<>();
        List<String> remote = new ArrayList<>();
        for (String name : names) {
            var stream = req.account.stream(name);
            if (stream.isPresent() && cluster.isStreamLeader(account, name)) {
                local.put(name, nats.transport.json.Json.parseObject(streamInfo(stream.get())));
            } else {
                remote.add(name);
            }
        }
        cluster.gatherStreamInfos(account, remote, Duration.ofSeconds(4)).thenAccept(answers -> {
            Map<String, Object> all = new java.util.TreeMap<>(local);
            answers.forEach((name, body) -> all.put(name, nats.transport.json.Json.parseObject(body)));
            List<String> missing = names.stream().filter(n -> !all.containsKey(n)).toList();
            req.response.put("total", page.matched());
            req.response.put("offset", page.offset());
            req.response.put("limit", StreamRequests.LIST_LIMIT);
            req.response.put("streams", new ArrayList<>(all.values()));
            if (!missing.isEmpty()) {
                req.response.put("missing", missing);
            }
            send(connection, req.message, req.okResponse());
        });
    }

    @Override
    public String streamInfo(nats.jetstream.internal.engine.Stream stream) {
        Map<String, Object> info = new LinkedHashMap<>();
        InfoJson.streamInfo(info, stream, stream.store().fastState(), null, false);
        InfoJson.putCluster(info, cluster.clusterInfo(stream.account().name(), stream.name()));
        return GoJson.compact(info);
    }

    // --- leader changes --------------------------------------------------------------------------------------

    private void streamStepDown(JsAccount account, String stream, InternalConnection connection, Message m) {
        ApiRequest req = new ApiRequest(account, m);
        req.type("stream_leader_stepdown_response");
        // Go 2.11's optional {"placement":{"preferred":"<server>"}}: hand the leadership to that replica.
        String preferred = "";
        if (!req.isEmptyBody()) {
            try {
                if (req.json().get("placement") instanceof Map<?, ?> p && p.get("preferred") instanceof String s) {
                    preferred = s;
                }
            } catch (ApiException e) {
                send(connection, m, req.errorResponse(e.error()));
                return;
            }
            // Go 2.11's getStepDownPreferredPlacement texts.
            String problem = preferred.isEmpty() ? ""
                    : preferred.equals(js.context().identity().serverName()) ? "is already leader"
                    : !cluster.isStreamPeer(account.name(), stream, preferred) ? "not known" : "";
            if (!problem.isEmpty()) {
                send(connection, m, req.errorResponse(ApiError.of(JsErrors.CLUSTER_NO_PEERS,
                        "preferred server \"" + preferred + "\" " + problem)));
                return;
            }
        }
        cluster.stepDownStream(account.name(), stream, preferred).orTimeout(PROPOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((v, error) -> {
                    if (error != null) {
                        send(connection, m, req.errorResponse(ApiError.of(JsErrors.CLUSTER_NOT_AVAIL)));
                    } else {
                        req.response.put("success", true);
                        send(connection, m, req.okResponse());
                    }
                });
    }

    /**
     * {@code CONSUMER.LEADER.STEPDOWN.<stream>.<consumer>}: consumers have no group of their own yet, their leader is
     * the stream's, so the stream's leadership moves (with every consumer of the stream); Go's answers otherwise.
     */
    private void consumerStepDown(JsAccount account, String stream, InternalConnection connection, Message m) {
        String[] t = ApiRequest.tokens(m.subject());
        String type = "consumer_leader_stepdown_response";
        if (t.length != 7 || !t[4].equals("STEPDOWN")) {
            // Not a subject Go answers (it subscribes to CONSUMER.LEADER.STEPDOWN.*.*).
            return;
        }
        if (account.stream(stream).flatMap(s -> s.consumer(t[6])).isEmpty()) {
            fail(connection, m, type, ApiError.of(JsErrors.CONSUMER_NOT_FOUND));
            return;
        }
        cluster.stepDownStream(account.name(), stream, "").orTimeout(PROPOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((v, error) -> {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("type", "io.nats.jetstream.api.v1." + type);
                    if (error != null) {
                        r.put("error", ApiError.of(JsErrors.CLUSTER_NOT_AVAIL).toJson());
                    } else {
                        r.put("success", true);
                    }
                    send(connection, m, GoJson.compact(r));
                });
    }

    private void metaStepDown(InternalConnection connection, Message m) {
        if (!cluster.isMetaLeader()) {
            return;
        }
        String type = "io.nats.jetstream.api.v1.meta_leader_stepdown_response";
        cluster.stepDownMeta().orTimeout(PROPOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((v, error) -> {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("type", type);
                    if (error != null) {
                        r.put("error", ApiError.of(JsErrors.CLUSTER_NOT_AVAIL).toJson());
                    } else {
                        r.put("success", true);
                    }
                    send(connection, m, GoJson.compact(r));
                });
    }

    /** A stream operation that is not replicated yet: refused rather than applied on one replica only. */
    private static void notReplicated(InternalConnection connection, Message m, String op) {
        fail(connection, m, ApiRouter.responseType(m.subject()), new ApiError(500, 10009,
                "JetStream cluster can not handle request: " + op + " is not supported on clustered streams yet"));
    }

    private CompletableFuture<Long> propose(Map<String, Object> entry) {
        return cluster.proposeMeta(entry).orTimeout(PROPOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void fail(InternalConnection connection, Message m, String type, ApiError error) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("type", "io.nats.jetstream.api.v1." + type);
        r.put("error", error.toJson());
        r.putAll(ApiRequest.zeroFields(type));
        send(connection, m, GoJson.compact(r));
    }

    private static void send(InternalConnection connection, Message m, String body) {
        if (m.hasReplyTo()) {
            connection.publish(new Message(m.replyTo(), "", Message.NO_HEADERS, body.getBytes(StandardCharsets.UTF_8)));
        }
    }
}
