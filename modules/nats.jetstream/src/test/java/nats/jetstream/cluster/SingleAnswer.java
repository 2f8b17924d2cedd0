package nats.jetstream.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import nats.transport.json.Json;

/**
 * A JetStream API request that must be answered exactly once in a cluster (a second answer would be a second
 * server answering): the answer, parsed, after half a second in which no other came.
 */
final class SingleAnswer {

    private SingleAnswer() {
    }

    /**
     * The answer's {@code error} with numbers as longs and the answer's {@code type} beside it, comparable between
     * our servers and Go's; the whole answer when it has none.
     */
    static Object error(Map<String, Object> answer) {
        if (!(answer.get("error") instanceof Map<?, ?> m)) {
            return answer;
        }
        Map<String, Object> out = new java.util.TreeMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v instanceof Number n ? (Object) n.longValue() : v));
        out.put("type", answer.get("type"));
        return out;
    }

    static Map<String, Object> of(Connection nc, String subject, String body, Duration wait) throws Exception {
        String inbox = nc.createInbox();
        Subscription sub = nc.subscribe(inbox);
        try {
            nc.publish(subject, inbox, body.getBytes(StandardCharsets.UTF_8));
            List<String> answers = new ArrayList<>();
            Message m = sub.nextMessage(wait);
            assertNotNull(m, "an answer to " + subject);
            answers.add(new String(m.getData(), StandardCharsets.UTF_8));
            while ((m = sub.nextMessage(Duration.ofMillis(500))) != null) {
                answers.add(new String(m.getData(), StandardCharsets.UTF_8));
            }
            assertEquals(1, answers.size(), "one answer to " + subject + ": " + answers);
            return Json.parseObject(answers.get(0));
        } finally {
            sub.unsubscribe();
        }
    }
}
