package nats.mqtt.internal.js;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import nats.api.messaging.InternalConnection;
import nats.api.messaging.Message;
import nats.api.messaging.Subscription;
import nats.transport.json.Json;

/**
 * JetStream's API as MQTT uses it in one account (Go's mqttJSA): requests published by an in-process client of
 * the account with a reply subject {@code $MQTT.JSA.<node>.<kind>.<nuid>}, answers matched to their requests,
 * Go's 4 second timeout. The answers come back on the account's own subject space, so the JetStream plugin is
 * reached only through its API, never its classes.
 */
public final class JsApi implements AutoCloseable {

    /** Go's mqttJSAPITimeout. */
    public static final Duration TIMEOUT = Duration.ofSeconds(4);
    /** Go's mqttJSARepliesPrefix. */
    public static final String REPLIES_PREFIX = "$MQTT.JSA.";

    private final InternalConnection connection;
    private final String replyPrefix;
    private final String apiPrefix;
    private final Nuid nuid = new Nuid();
    private final Map<String, CompletableFuture<Map<String, Object>>> replies = new ConcurrentHashMap<>();
    private final List<Subscription> subscriptions = new ArrayList<>();

    /**
     * @param connection an in-process client of the account
     * @param nodeId     Go's node name (hash of the server name), part of reply subjects
     * @param domain     the JetStream domain to address ({@code $JS.<domain>.API}), empty for the local one
     */
    public JsApi(InternalConnection connection, String nodeId, String domain) {
        this.connection = connection;
        this.replyPrefix = REPLIES_PREFIX + nodeId + ".";
        this.apiPrefix = domain.isEmpty() ? "$JS.API." : "$JS." + domain + ".API.";
        // Answers to requests of one kind: $MQTT.JSA.<node>.<kind>.<nuid>; session persists carry the client hash.
        subscriptions.add(connection.subscribeDirect(replyPrefix + "*.*", null, m -> answered(m.subject(), m.copyPayload())));
        subscriptions.add(connection.subscribeDirect(replyPrefix + "SP.*.*", null,
                m -> answered(m.subject(), m.copyPayload())));
    }

    /** The prefix of this account's reply subjects, {@code $MQTT.JSA.<node>.}. */
    public String replyPrefix() {
        return replyPrefix;
    }

    public InternalConnection connection() {
        return connection;
    }

    /** An API subject ({@code STREAM.INFO.x}) with the domain's prefix. */
    public String api(String rest) {
        return apiPrefix + rest;
    }

    private boolean answered(String subject, byte[] body) {
        CompletableFuture<Map<String, Object>> waiting = replies.remove(subject);
        if (waiting != null) {
            try {
                waiting.complete(Json.parseObject(new String(body, StandardCharsets.UTF_8)));
            } catch (RuntimeException e) {
                waiting.completeExceptionally(new JsApiException(500, 0, "invalid JSON"));
            }
        }
        return true;
    }

    /**
     * Sends a request on {@code subject} (headers, when not empty, are a {@code NATS/1.0} block) and returns its
     * answer as it arrives; the caller bounds the wait.
     */
    public CompletableFuture<Map<String, Object>> send(String kind, String subject, String cidHash, byte[] headers,
                                                        byte[] body) {
        String reply = replyPrefix + kind + "." + (cidHash.isEmpty() ? "" : cidHash + ".") + nuid.next();
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        replies.put(reply, answer);
        connection.publish(new Message(subject, reply, headers, body));
        return answer;
    }

    /** Sends a request and waits for its answer; an API error or no answer in time throws. */
    public Map<String, Object> call(String kind, String subject, byte[] body) throws JsApiException {
        return call(kind, subject, "", Message.NO_HEADERS, body);
    }

    public Map<String, Object> call(String kind, String subject, String cidHash, byte[] headers, byte[] body)
            throws JsApiException {
        return await(kind, subject, send(kind, subject, cidHash, headers, body));
    }

    /** Waits for an answer with Go's timeout; an API error or no answer throws. */
    public Map<String, Object> await(String kind, String subject, CompletableFuture<Map<String, Object>> answer)
            throws JsApiException {
        long start = System.nanoTime();
        try {
            return checked(answer.get(TIMEOUT.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            replies.values().remove(answer);
            throw JsApiException.timeout("timeout after " + goDuration(System.nanoTime() - start)
                    + ": request type \"" + kind + "\" on \"" + subject + "\"");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JsApiException(503, 0, "interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof JsApiException api) {
                throw api;
            }
            throw new JsApiException(500, 0, String.valueOf(e.getCause()));
        }
    }

    /** An answer, or its {@code error} as an exception. */
    public static Map<String, Object> checked(Map<String, Object> answer) throws JsApiException {
        if (answer.get("error") instanceof Map<?, ?> error) {
            throw new JsApiException(number(error.get("code")), number(error.get("err_code")),
                    String.valueOf(error.get("description")));
        }
        return answer;
    }

    /** Publishes without waiting for an answer (acks, deletes Go does not wait for). */
    public void publish(String subject, byte[] body) {
        connection.publish(new Message(subject, "", Message.NO_HEADERS, body));
    }

    static int number(Object o) {
        return o instanceof Number n ? n.intValue() : 0;
    }

    /** Go's time.Duration String for a timeout text, e.g. {@code 4.000123s}. */
    static String goDuration(long nanos) {
        return java.math.BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString() + "s";
    }

    @Override
    public void close() {
        subscriptions.forEach(Subscription::unsubscribe);
        replies.values().forEach(f -> f.completeExceptionally(new JsApiException(503, 0, "server not running")));
        replies.clear();
    }
}
