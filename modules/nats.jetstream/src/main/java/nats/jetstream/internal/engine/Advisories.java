package nats.jetstream.internal.engine;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import nats.api.messaging.Message;
import nats.transport.json.GoJson;

/**
 * JetStream's advisories on {@code $JS.EVENT.ADVISORY.>} in the account they concern, with Go's types and
 * fields. Built only when someone listens, as Go checks for interest first.
 */
public final class Advisories {

    private static final String PREFIX = "$JS.EVENT.ADVISORY.";

    private final JsAccount account;

    Advisories(JsAccount account) {
        this.account = account;
    }

    private Map<String, Object> event(String type) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "io.nats.jetstream.advisory.v1." + type);
        m.put("id", Nuid.next());
        m.put("timestamp", Instant.now());
        return m;
    }

    private void send(String subject, Map<String, Object> event) {
        String domain = account.js().options().domain();
        if (!domain.isEmpty()) {
            event.put("domain", domain);
        }
        account.connection().publish(new Message(subject, "", Message.NO_HEADERS,
                GoJson.compact(event).getBytes(StandardCharsets.UTF_8)));
    }

    private boolean wanted(String subject) {
        return account.connection().hasInterest(subject);
    }

    public void streamAction(String stream, String action) {
        String subject = PREFIX + "STREAM." + switch (action) {
            case "create" -> "CREATED";
            case "delete" -> "DELETED";
            default -> "UPDATED";
        } + "." + stream;
        if (!wanted(subject)) {
            return;
        }
        Map<String, Object> e = event("stream_action");
        e.put("stream", stream);
        e.put("action", action);
        send(subject, e);
    }

    void consumerCreated(String stream, String consumer) {
        consumerAction(stream, consumer, "create", "CREATED");
    }

    void consumerDeleted(String stream, String consumer) {
        consumerAction(stream, consumer, "delete", "DELETED");
    }

    private void consumerAction(String stream, String consumer, String action, String token) {
        String subject = PREFIX + "CONSUMER." + token + "." + stream + "." + consumer;
        if (!wanted(subject)) {
            return;
        }
        Map<String, Object> e = event("consumer_action");
        e.put("stream", stream);
        e.put("consumer", consumer);
        e.put("action", action);
        send(subject, e);
    }

    void nak(String stream, String consumer, long consumerSeq, long streamSeq, long deliveries) {
        delivery("nak", "MSG_NAKED", stream, consumer, consumerSeq, streamSeq, deliveries);
    }

    void terminated(String stream, String consumer, long consumerSeq, long streamSeq, long deliveries) {
        delivery("terminated", "MSG_TERMINATED", stream, consumer, consumerSeq, streamSeq, deliveries);
    }

    private void delivery(String type, String token, String stream, String consumer, long consumerSeq, long streamSeq,
                          long deliveries) {
        String subject = PREFIX + "CONSUMER." + token + "." + stream + "." + consumer;
        if (!wanted(subject)) {
            return;
        }
        Map<String, Object> e = event(type);
        e.put("stream", stream);
        e.put("consumer", consumer);
        e.put("consumer_seq", consumerSeq);
        e.put("stream_seq", streamSeq);
        e.put("deliveries", deliveries);
        send(subject, e);
    }

    void maxDeliveries(String stream, String consumer, long streamSeq, long deliveries) {
        String subject = PREFIX + "CONSUMER.MAX_DELIVERIES." + stream + "." + consumer;
        if (!wanted(subject)) {
            return;
        }
        Map<String, Object> e = event("max_deliver");
        e.put("stream", stream);
        e.put("consumer", consumer);
        e.put("stream_seq", streamSeq);
        e.put("deliveries", deliveries);
        send(subject, e);
    }

    /** {@code $JS.EVENT.ADVISORY.API}: one API request and its response ({@code api_audit}). */
    public void apiAudit(String server, Map<String, Object> client, String requestSubject, String request,
                         String response) {
        String subject = PREFIX + "API";
        if (!wanted(subject)) {
            return;
        }
        Map<String, Object> e = event("api_audit");
        e.put("server", server);
        e.put("client", client);
        e.put("subject", requestSubject);
        if (!request.isEmpty()) {
            e.put("request", request); // omitempty in Go's JSAPIAudit
        }
        e.put("response", response);
        send(subject, e);
    }
}
