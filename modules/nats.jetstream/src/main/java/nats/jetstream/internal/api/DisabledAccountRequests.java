package nats.jetstream.internal.api;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import nats.api.messaging.Message;
import nats.jetstream.internal.model.ApiError;
import nats.jetstream.internal.model.ApiException;
import nats.jetstream.internal.model.JsErrors;
import nats.jetstream.internal.model.JsonIn;
import nats.transport.json.GoJson;

/**
 * The answer to a {@code $JS.API} request in an account without JetStream, as Go 2.9's handlers give it: the
 * checks a handler makes before it looks at the account (consumer create parses its body, consumer info wants an
 * empty one), then "JetStream not enabled for account" (503, 10039), or no answer at all when the account has
 * leaf connections and the handler asks Go's {@code checkJetStream} (a server over those connections may serve
 * the account). Snapshot, restore, consumer info and template handlers test the account alone and always answer.
 */
final class DisabledAccountRequests {

    private DisabledAccountRequests() {
    }

    /** The response body, or empty when Go leaves the request unanswered. */
    static Optional<String> answer(Message m, boolean hasLeafConnections) {
        String subject = m.subject();
        String type = ApiRouter.responseType(subject);
        ApiError error = earlyError(subject, m.payload());
        if (error == null) {
            if (hasLeafConnections && !testsAccountAlone(subject)) {
                return Optional.empty();
            }
            error = ApiError.of(JsErrors.NOT_ENABLED_FOR_ACCOUNT);
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("type", "io.nats.jetstream.api.v1." + type);
        response.put("error", error.toJson());
        response.putAll(ApiRequest.zeroFields(type));
        return Optional.of(GoJson.compact(response));
    }

    /** Handlers whose first JetStream check is Go's {@code acc.JetStreamEnabled()}, not {@code checkJetStream}. */
    private static boolean testsAccountAlone(String subject) {
        return subject.startsWith("$JS.API.STREAM.SNAPSHOT.") || subject.startsWith("$JS.API.STREAM.RESTORE.")
                || subject.startsWith("$JS.API.CONSUMER.INFO.") || subject.startsWith("$JS.API.STREAM.TEMPLATE.");
    }

    /** What Go's handler refuses before it asks about the account; null when it gets that far. */
    private static ApiError earlyError(String subject, byte[] body) {
        String[] t = subject.split("\\.", -1);
        String group = t.length > 2 ? t[2] : "";
        String op = t.length > 3 ? t[3] : "";
        if (!group.equals("CONSUMER")) {
            return null;
        }
        if (op.equals("INFO")) {
            return isEmptyRequest(body) ? null : ApiError.of(JsErrors.NOT_EMPTY_REQUEST);
        }
        if (op.equals("CREATE") || op.equals("DURABLE")) {
            try {
                JsonIn.parse(body);
            } catch (ApiException e) {
                return ApiError.of(JsErrors.INVALID_JSON);
            }
        }
        return null;
    }

    /** Go's isEmptyRequest: no body, or a JSON object without members. */
    private static boolean isEmptyRequest(byte[] body) {
        if (new String(body, StandardCharsets.UTF_8).strip().isEmpty()) {
            return true;
        }
        try {
            return JsonIn.parse(body).isEmpty();
        } catch (ApiException e) {
            return false;
        }
    }
}
