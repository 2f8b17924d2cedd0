package nats.jetstream.internal.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import nats.api.accounts.PluginAccount;
import nats.api.messaging.InternalConnection;
import nats.api.messaging.Message;
import nats.api.messaging.MessageOrigin;
import nats.api.messaging.Subscription;
import nats.jetstream.internal.engine.JetStream;
import nats.jetstream.internal.engine.JsAccount;
import nats.jetstream.internal.model.ApiError;
import nats.jetstream.internal.model.ApiException;

/**
 * Serves {@code $JS.API} in every account: the full API where JetStream is enabled, Go's "not enabled for
 * account" error elsewhere (or no answer, see {@link DisabledAccountRequests}). Requests arrive on the account connection's dispatcher thread, in order.
 */
public final class ApiRouter {

    /** The API subjects answered through the router; pull requests and direct gets go to their streams. */
    private static final List<String> SUBJECTS = List.of("$JS.API.INFO", "$JS.API.STREAM.>",
            "$JS.API.CONSUMER.CREATE.>", "$JS.API.CONSUMER.DURABLE.CREATE.*.*", "$JS.API.CONSUMER.NAMES.*",
            "$JS.API.CONSUMER.LIST.*", "$JS.API.CONSUMER.INFO.*.*", "$JS.API.CONSUMER.DELETE.*.*",
            "$JS.API.CONSUMER.PAUSE.*.*", "$JS.API.CONSUMER.LEADER.STEPDOWN.*.*", "$JS.API.ACCOUNT.>",
            "$JS.API.META.>", "$JS.API.SERVER.>");

    private final JetStream js;
    private final StreamRequests streams;
    private final ConsumerRequests consumers;
    private final Map<String, Served> served = new ConcurrentHashMap<>();
    private volatile ClusterApi cluster;

    /** The subscriptions serving one account. */
    private record Served(InternalConnection connection, List<Subscription> subscriptions) {
    }

    public ApiRouter(JetStream js) {
        this.js = js;
        this.streams = new StreamRequests(js);
        this.consumers = new ConsumerRequests();
    }

    /** In a cluster: requests are answered once, by the server Go would answer them on. */
    public void clustered(nats.jetstream.internal.cluster.JsCluster jsCluster) {
        this.cluster = new ClusterApi(js, jsCluster, this);
    }

    /** Starts answering in {@code account}; {@code enabled} tells whether JetStream is on there. */
    public void serve(PluginAccount account) {
        stop(account.name());
        InternalConnection connection = account.connect("jetstream-api");
        List<Subscription> subs = new ArrayList<>();
        for (String subject : SUBJECTS) {
            subs.add(connection.subscribe(subject, m -> handle(account.name(), connection, m)));
        }
        // Go imports all of $JS.API.> into each account: a request on a subject no handler serves finds a
        // responder (and stays unanswered) instead of getting a "no responders" status.
        subs.add(connection.subscribe("$JS.API.>", m -> {
        }));
        served.put(account.name(), new Served(connection, subs));
    }

    public void stop(String accountName) {
        Served s = served.remove(accountName);
        if (s != null) {
            s.connection().close();
        }
    }

    public void stopAll() {
        for (String name : List.copyOf(served.keySet())) {
            stop(name);
        }
    }

    /** A request as it arrives (also one a replica held while its stream's group had no serving leader). */
    void handle(String accountName, InternalConnection answering, Message m) {
        if (!m.hasReplyTo()) {
            return;
        }
        InternalConnection connection = AnsweringConnection.raw(answering);
        ClusterApi c = cluster;
        if (c != null && c.active()
                && !c.route(accountName, AnsweringConnection.of(answering, accountName, m, this), m)) {
            return;
        }
        JsAccount account = js.account(accountName).orElse(null);
        if (account == null) {
            // This server's leaf connections and the cluster's other servers' (Go's nleafs + nrleafs).
            nats.api.links.Links links = js.context().links();
            boolean leafs = links.boundLinkCount(accountName, MessageOrigin.LEAF)
                    + links.remoteLeafCount(accountName) > 0;
            DisabledAccountRequests.answer(m, leafs).ifPresent(body -> connection.publish(new Message(m.replyTo(),
                    "", Message.NO_HEADERS, body.getBytes(StandardCharsets.UTF_8))));
            return;
        }
        ApiRequest req = new ApiRequest(account, m);
        String response;
        boolean error = false;
        try {
            if (!dispatch(req)) {
                return;
            }
            if (c != null && c.active()) {
                c.decorate(req);
            }
            response = req.okResponse();
        } catch (ApiException e) {
            error = true;
            response = req.errorResponse(e.error());
        } catch (RuntimeException e) {
            js.log().log(System.Logger.Level.WARNING, "JetStream API request on " + m.subject() + " failed", e);
            error = true;
            response = req.errorResponse(new ApiError(500, 0, e.toString()));
        }
        account.countApi(error);
        // In a cluster a consumer create or delete is answered once its stream's group committed it.
        if (error || c == null || !c.active() || !c.answerAfterCommit(req, connection, response)) {
            connection.publish(new Message(m.replyTo(), "", Message.NO_HEADERS,
                    response.getBytes(StandardCharsets.UTF_8)));
        }
        account.advisories().apiAudit(js.context().identity().serverName(), Map.of(), m.subject(),
                new String(m.payload(), StandardCharsets.UTF_8), response);
    }

    /**
     * An answer the cluster layer sent ({@link AnsweringConnection}, or a stream group's leader): counted in the
     * account's API totals, an error when it carries {@code error}, and sent to the audit advisory, as Go's
     * {@code sendAPIResponse} does. Nothing is counted in an account without JetStream (as Go).
     */
    void accounted(String accountName, String subject, String request, String response) {
        js.account(accountName).ifPresent(account -> {
            account.countApi(isError(response));
            account.advisories().apiAudit(js.context().identity().serverName(), Map.of(), subject, request,
                    response);
        });
    }

    /** Whether a response is an error: Go's {@code ApiResponse} puts {@code error} right after {@code type}. */
    static boolean isError(String response) {
        int typeEnd = response.indexOf("\",\"", "{\"type\":\"".length());
        return response.startsWith("{\"type\":\"") && typeEnd > 0 && response.startsWith("\"error\":", typeEnd + 2);
    }

    /** The single-server answer to a request (a clustered stream's replica applying a replicated request). */
    String answer(JsAccount account, Message m) {
        ApiRequest req = new ApiRequest(account, m);
        try {
            dispatch(req);
            return req.okResponse();
        } catch (ApiException e) {
            return req.errorResponse(e.error());
        } catch (RuntimeException e) {
            js.log().log(System.Logger.Level.WARNING, "JetStream replicated request on " + m.subject() + " failed", e);
            return req.errorResponse(new ApiError(500, 0, e.toString()));
        }
    }

    /** Routes by subject; false when the request gets no answer (an unknown subject). */
    private boolean dispatch(ApiRequest req) {
        String t2 = req.token(2);
        String t3 = req.token(3);
        switch (t2) {
            case "INFO" -> {
                if (req.tokenCount() != 3) {
                    return false;
                }
                req.type("account_info_response");
                InfoJson.accountStats(req.response, req.account);
                return true;
            }
            case "STREAM" -> {
                return streams.dispatch(req, t3);
            }
            case "CONSUMER" -> {
                return consumers.dispatch(req, t3);
            }
            default -> {
                return false;
            }
        }
    }

    /** The response type Go would use for a request subject. */
    static String responseType(String subject) {
        String[] t = subject.split("\\.");
        String group = t.length > 2 ? t[2] : "";
        String op = t.length > 3 ? t[3] : "";
        if (group.equals("INFO")) {
            return "account_info_response";
        }
        if (group.equals("STREAM")) {
            return switch (op) {
                case "MSG" -> "stream_msg_" + (t.length > 4 ? t[4].toLowerCase(java.util.Locale.ROOT) : "get")
                        + "_response";
                case "PEER" -> "stream_remove_peer_response";
                case "LEADER" -> "stream_leader_stepdown_response";
                default -> "stream_" + op.toLowerCase(java.util.Locale.ROOT) + "_response";
            };
        }
        if (group.equals("CONSUMER")) {
            return switch (op) {
                case "DURABLE" -> "consumer_create_response";
                case "LEADER" -> "consumer_leader_stepdown_response";
                default -> "consumer_" + op.toLowerCase(java.util.Locale.ROOT) + "_response";
            };
        }
        return "account_info_response";
    }
}
