package nats.jetstream.internal.api;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import nats.api.messaging.Message;
import nats.jetstream.internal.engine.JsAccount;
import nats.jetstream.internal.model.ApiError;
import nats.jetstream.internal.model.ApiException;
import nats.jetstream.internal.model.JsErrors;
import nats.jetstream.internal.model.JsonIn;
import nats.transport.json.GoJson;

/**
 * One {@code $JS.API} request being answered: its subject tokens and body, the account, and the response
 * under construction ({@code type} first, as Go's {@code ApiResponse} is embedded first).
 */
final class ApiRequest {

    final JsAccount account;
    final Message message;
    final String[] tokens;
    final Map<String, Object> response = new LinkedHashMap<>();

    ApiRequest(JsAccount account, Message message) {
        this.account = account;
        this.message = message;
        this.tokens = tokens(message.subject());
    }

    /**
     * A request subject's tokens. The server hands subjects over byte for byte (ISO-8859-1); the names in them are
     * compared with the request's JSON, which is UTF-8, so they are read as UTF-8 (Go compares the bytes).
     */
    static String[] tokens(String subject) {
        for (int i = 0; i < subject.length(); i++) {
            if (subject.charAt(i) >= 0x80) {
                subject = new String(subject.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
                break;
            }
        }
        return subject.split("\\.", -1);
    }

    String token(int i) {
        return i < tokens.length ? tokens[i] : "";
    }

    int tokenCount() {
        return tokens.length;
    }

    String subject() {
        return message.subject();
    }

    byte[] body() {
        return message.payload();
    }

    /** Whether the body is empty or an empty JSON object (Go's {@code isEmptyRequest}). */
    boolean isEmptyBody() {
        String s = new String(message.payload(), StandardCharsets.UTF_8).strip();
        if (s.isEmpty()) {
            return true;
        }
        try {
            return JsonIn.parse(message.payload()).isEmpty();
        } catch (ApiException e) {
            return false;
        }
    }

    /** The body as a JSON object; Go answers a body that does not parse with {@code invalid JSON}. */
    Map<String, Object> json() {
        try {
            return JsonIn.parse(message.payload());
        } catch (ApiException e) {
            throw new ApiException(JsErrors.INVALID_JSON);
        }
    }

    void type(String type) {
        response.put("type", "io.nats.jetstream.api.v1." + type);
        response.putAll(zeroFields(type));
    }

    /**
     * The members Go's response struct renders even when it carries an error (those without omitempty), with
     * their zero values, in field order.
     */
    static Map<String, Object> zeroFields(String type) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (type) {
            case "stream_names_response" -> paged(m, "streams", null);
            case "stream_list_response" -> paged(m, "streams", java.util.List.of());
            case "stream_info_response" -> paged(m, null, null);
            case "consumer_names_response", "consumer_list_response" -> paged(m, "consumers", java.util.List.of());
            case "stream_purge_response" -> m.put("purged", 0L);
            case "stream_restore_response" -> m.put("deliver_subject", "");
            default -> {
                // Everything else is omitted when empty.
            }
        }
        return m;
    }

    private static void paged(Map<String, Object> m, String listName, Object empty) {
        m.put("total", 0L);
        m.put("offset", 0L);
        m.put("limit", 0L);
        if (listName != null) {
            m.put(listName, empty);
        }
    }

    /** The response with {@code error} right after {@code type}, as Go's {@code ApiResponse} renders it. */
    String errorResponse(ApiError error) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", response.getOrDefault("type", ""));
        m.put("error", error.toJson());
        for (Map.Entry<String, Object> e : response.entrySet()) {
            if (!e.getKey().equals("type")) {
                m.put(e.getKey(), e.getValue());
            }
        }
        return GoJson.compact(m);
    }

    String okResponse() {
        return GoJson.compact(response);
    }
}
