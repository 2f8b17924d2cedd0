package nats.jetstream.internal.api;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import nats.api.messaging.InternalConnection;
import nats.api.messaging.Message;
import nats.jetstream.internal.cluster.JsCluster;
import nats.jetstream.internal.engine.JsAccount;
import nats.jetstream.internal.model.ApiError;
import nats.jetstream.internal.model.ApiException;
import nats.jetstream.internal.model.JsErrors;

/**
 * The meta leader's membership requests, with Go 2.9.10's checks, order and answers: {@code STREAM.PEER.REMOVE}
 * ({@code {"peer":"<server name>"}}: the peer leaves the stream's group and another server replaces it where one is
 * free, "peer remap failed" otherwise) and {@code SERVER.REMOVE} ({@code {"peer":"<server name>"}} or
 * {@code {"peer_id":"<id>"}}: the server leaves the meta group and its stream replicas move).
 */
final class PeerRequests {

    private final JsCluster cluster;

    PeerRequests(JsCluster cluster) {
        this.cluster = cluster;
    }

    void removeStreamPeer(JsAccount account, InternalConnection connection, Message m) {
        ApiRequest req = new ApiRequest(account, m);
        req.type("stream_remove_peer_response");
        try {
            if (req.tokenCount() != 6) {
                return;
            }
            String stream = req.token(5);
            String peer = serverName(req, "peer");
            if (cluster.streamConfig(account.name(), stream).isEmpty()) {
                throw new ApiException(JsErrors.STREAM_NOT_FOUND);
            }
            if (!cluster.isStreamPeer(account.name(), stream, peer)) {
                throw new ApiException(JsErrors.CLUSTER_PEER_NOT_MEMBER);
            }
            Optional<Boolean> replaced = cluster.peerChanges().removeStreamPeer(account.name(), stream, peer);
            if (replaced.isEmpty() || !replaced.get()) {
                throw new ApiException(JsErrors.PEER_REMAP);
            }
            req.response.put("success", true);
            send(connection, m, req.okResponse());
        } catch (ApiException e) {
            send(connection, m, req.errorResponse(e.error()));
        }
    }

    void removeServer(JsAccount account, InternalConnection connection, Message m) {
        ApiRequest req = new ApiRequest(account, m);
        req.type("meta_server_remove_response");
        try {
            if (req.isEmptyBody()) {
                throw new ApiException(JsErrors.BAD_REQUEST);
            }
            Map<String, Object> body = req.json();
            // Go 2.9.10's JSApiMetaServerRemoveRequest: "peer" is the server's name, "peer_id" its id (preferred).
            String server = body.get("peer") instanceof String s ? s : "";
            String peerId = body.get("peer_id") instanceof String s ? s : "";
            String found = cluster.peerChanges().metaMember(peerId, server)
                    .orElseThrow(() -> new ApiException(JsErrors.CLUSTER_SERVER_NOT_MEMBER));
            cluster.peerChanges().removeServer(found).orTimeout(10, TimeUnit.SECONDS).whenComplete((index, error) -> {
                if (error != null) {
                    send(connection, m, req.errorResponse(ApiError.of(JsErrors.CLUSTER_NOT_AVAIL)));
                } else {
                    req.response.put("success", true);
                    send(connection, m, req.okResponse());
                }
            });
        } catch (ApiException e) {
            send(connection, m, req.errorResponse(e.error()));
        }
    }

    /** A request's server name field: Go answers an empty body or name with "bad request". */
    private static String serverName(ApiRequest req, String field) {
        if (req.isEmptyBody()) {
            throw new ApiException(JsErrors.BAD_REQUEST);
        }
        String name = req.json().get(field) instanceof String s ? s : "";
        if (name.isEmpty()) {
            throw new ApiException(JsErrors.BAD_REQUEST);
        }
        return name;
    }

    private static void send(InternalConnection connection, Message m, String body) {
        if (m.hasReplyTo()) {
            connection.publish(new Message(m.replyTo(), "", Message.NO_HEADERS, body.getBytes(StandardCharsets.UTF_8)));
        }
    }
}
