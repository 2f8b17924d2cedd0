package nats.jetstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.Subscription;
import io.nats.client.api.StreamConfiguration;
import nats.jetstream.testing.JsServer;
import nats.transport.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consumer create answers with the consumer's state as created (Go's initial info), not as it is by the time the
 * answer is written: a mirror's feed takes the answer's delivered stream sequence as where its origin starts and
 * skips the sequences before it, so a push consumer that had already sent some messages on their way would make the
 * mirror skip, and then drop, those.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsumerCreateAnswerTest {

    @TempDir
    Path dir;

    @Test
    void aPushConsumerAnswersWithWhereItStartsThoughItDeliversAtOnce() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = server.connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("O").subjects("o").build());
            JetStream js = nc.jetStream();
            for (int i = 1; i <= 300; i++) {
                js.publishAsync("o", ("m" + i).getBytes(StandardCharsets.UTF_8));
            }
            js.publish("o", "last".getBytes(StandardCharsets.UTF_8));
            // Each consumer starts delivering at once to a subscriber that is there: its answer races its deliveries.
            for (int round = 0; round < 20; round++) {
                long start = 100 + round;
                Map<?, ?> delivered = delivered(createPush(nc, "d" + round, start));
                assertEquals(start - 1, ((Number) delivered.get("stream_seq")).longValue(),
                        "expected the answer of consumer " + round + " to show nothing delivered yet: " + delivered);
                assertEquals(0L, ((Number) delivered.get("consumer_seq")).longValue(), "consumer " + round);
            }
            // Where the stream no longer holds the asked start, the answer says where it really starts.
            String purged = new String(nc.request("$JS.API.STREAM.PURGE.O", "{\"seq\":251}".getBytes(
                    StandardCharsets.UTF_8), Duration.ofSeconds(5)).getData(), StandardCharsets.UTF_8);
            assertTrue(purged.contains("\"purged\":250"), "expected 1..250 purged: " + purged);
            Map<?, ?> delivered = delivered(createPush(nc, "purged", 10));
            assertEquals(250L, ((Number) delivered.get("stream_seq")).longValue(),
                    "expected the answer to start after the purged messages: " + delivered);
        }
    }

    private static Map<String, Object> createPush(Connection nc, String deliver, long startSeq) throws Exception {
        Subscription sub = nc.subscribe(deliver);
        nc.flush(Duration.ofSeconds(2));
        String create = "{\"stream_name\":\"O\",\"config\":{\"deliver_subject\":\"" + deliver + "\","
                + "\"deliver_policy\":\"by_start_sequence\",\"opt_start_seq\":" + startSeq + ","
                + "\"ack_policy\":\"none\",\"max_deliver\":1,\"idle_heartbeat\":1000000000,\"flow_control\":true}}";
        String answer = new String(nc.request("$JS.API.CONSUMER.CREATE.O", create.getBytes(StandardCharsets.UTF_8),
                Duration.ofSeconds(5)).getData(), StandardCharsets.UTF_8);
        Map<String, Object> parsed = Json.parseObject(answer);
        assertTrue(parsed.get("delivered") instanceof Map<?, ?>, "expected a created consumer: " + answer);
        assertTrue(sub.nextMessage(Duration.ofSeconds(5)) != null, "expected the consumer to deliver");
        return parsed;
    }

    private static Map<?, ?> delivered(Map<String, Object> answer) {
        return (Map<?, ?>) answer.get("delivered");
    }
}
