package nats.jetstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import nats.jetstream.testing.GoServer;
import nats.jetstream.testing.JsServer;
import nats.jetstream.testing.JsonNormalizer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same $JS.API requests and publishes against the Go server ({@code -js}) and this one: the responses must
 * be the same JSON (times, ids and server names normalised), the same error codes and texts, the same status
 * headers. Each step names what it pins down.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ApiDifferentialTest {

    @TempDir
    Path dir;

    /** One request: subject, body, optional header pairs. */
    private record Step(String subject, String body, String... headers) {
    }

    private static Step req(String subject, String body, String... headers) {
        return new Step(subject, body, headers);
    }

    private static String exchange(Connection nc, Step step, JsonNormalizer norm) throws Exception {
        Headers h = null;
        if (step.headers().length > 0) {
            h = new Headers();
            for (int i = 0; i + 1 < step.headers().length; i += 2) {
                h.add(step.headers()[i], step.headers()[i + 1]);
            }
        }
        NatsMessage m = NatsMessage.builder().subject(step.subject()).headers(h)
                .data(step.body().getBytes(StandardCharsets.UTF_8)).build();
        Message reply;
        try {
            reply = nc.requestWithTimeout(m, Duration.ofMillis(800)).get(2, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return "<" + e.getCause().getClass().getSimpleName() + ">";
        } catch (TimeoutException | java.util.concurrent.CancellationException e) {
            return "<timeout>";
        }
        StringBuilder out = new StringBuilder();
        if (reply.isStatusMessage()) {
            out.append("status ").append(reply.getStatus().getCode()).append(' ').append(reply.getStatus().getMessage());
        }
        if (reply.getHeaders() != null) {
            List<String> keys = new ArrayList<>(reply.getHeaders().keySet());
            keys.sort(null);
            for (String k : keys) {
                String v = reply.getHeaders().getFirst(k);
                if (k.equals("Nats-Time-Stamp")) {
                    v = "<ts>";
                }
                out.append(" [").append(k).append('=').append(v).append(']');
            }
        }
        String data = new String(reply.getData(), StandardCharsets.UTF_8);
        out.append(' ').append(norm.normalize(data));
        return out.toString().strip();
    }

    private void compare(List<Step> steps, JsonNormalizer norm) throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server not installed");
        List<String> diffs = new ArrayList<>();
        try (GoServer go = GoServer.startJetStream(dir); JsServer ours = JsServer.start(dir);
             Connection gc = connect(go.url()); Connection oc = connect(ours.url())) {
            for (int i = 0; i < steps.size(); i++) {
                Step s = steps.get(i);
                String expected = exchange(gc, s, norm);
                String actual = exchange(oc, s, norm);
                if (!expected.equals(actual)) {
                    diffs.add("step " + i + " " + s.subject() + " " + s.body() + "\n  go:   " + expected + "\n  ours: "
                            + actual);
                }
            }
        }
        assertEquals("", String.join("\n", diffs), "responses differ from Go's");
    }

    private static Connection connect(String url) throws Exception {
        return Nats.connect(new Options.Builder().server(url).maxReconnects(0).noNoResponders()
                .connectionTimeout(Duration.ofSeconds(5)).build());
    }

    @Test
    void streamLifecycleAndErrors() throws Exception {
        compare(List.of(
                req("$JS.API.INFO", ""),
                req("$JS.API.STREAM.CREATE.ORDERS", "{\"name\":\"ORDERS\",\"subjects\":[\"orders.*\"]}"),
                req("$JS.API.STREAM.CREATE.ORDERS", "{\"name\":\"ORDERS\",\"subjects\":[\"orders.*\"]}"),
                req("$JS.API.STREAM.CREATE.ORDERS", "{\"name\":\"ORDERS\",\"subjects\":[\"orders.x\"]}"),
                req("$JS.API.STREAM.CREATE.X", "{\"name\":\"Y\"}"),
                req("$JS.API.STREAM.CREATE.X", "not json"),
                req("$JS.API.STREAM.CREATE.X", "{\"name\":\"X\",\"max_msgs\":\"lots\"}"),
                req("$JS.API.STREAM.CREATE.X", "{\"name\":\"X\",\"subjects\":[\"orders.new\"]}"),
                req("$JS.API.STREAM.CREATE.X", "{\"name\":\"X\",\"max_age\":50000000}"),
                req("$JS.API.STREAM.CREATE.X", "{\"name\":\"X\",\"max_age\":1000000000,\"duplicate_window\":2000000000}"),
                req("$JS.API.STREAM.CREATE.X", "{\"name\":\"X\",\"discard_new_per_subject\":true}"),
                req("$JS.API.STREAM.CREATE.X", "{\"name\":\"X\",\"deny_purge\":true,\"allow_rollup_hdrs\":true}"),
                req("$JS.API.STREAM.CREATE.X", "{\"name\":\"X\",\"subjects\":[\"a\",\"a\"]}"),
                req("$JS.API.STREAM.CREATE.X", "{\"name\":\"X\",\"subjects\":[\"a.*\",\"a.b\"]}"),
                req("$JS.API.STREAM.CREATE.X", "{\"name\":\"X\",\"subjects\":[\"$JS.API.foo\"]}"),
                req("$JS.API.STREAM.CREATE.X", "{\"name\":\"X\",\"sealed\":true}"),
                req("$JS.API.STREAM.CREATE.X", "{\"name\":\"X\",\"storage\":\"memory\",\"retention\":\"workqueue\","
                        + "\"max_msgs\":10,\"max_bytes\":1024,\"discard\":\"new\",\"max_msg_size\":100,"
                        + "\"description\":\"work\",\"allow_direct\":true}"),
                req("$JS.API.STREAM.UPDATE.X", "{\"name\":\"X\",\"storage\":\"file\"}"),
                req("$JS.API.STREAM.UPDATE.X", "{\"name\":\"X\",\"storage\":\"memory\",\"retention\":\"workqueue\","
                        + "\"max_msgs\":20,\"max_bytes\":1024,\"discard\":\"new\",\"max_msg_size\":100}"),
                req("$JS.API.STREAM.UPDATE.NOPE", "{\"name\":\"NOPE\"}"),
                req("$JS.API.STREAM.NAMES", ""),
                req("$JS.API.STREAM.NAMES", "{\"subject\":\"orders.new\"}"),
                req("$JS.API.STREAM.LIST", ""),
                req("$JS.API.STREAM.INFO.NOPE", ""),
                req("$JS.API.STREAM.DELETE.X", ""),
                req("$JS.API.STREAM.DELETE.X", ""),
                req("$JS.API.INFO", "")), new JsonNormalizer());
    }

    @Test
    void publishingAndMessages() throws Exception {
        compare(List.of(
                req("$JS.API.STREAM.CREATE.P", "{\"name\":\"P\",\"subjects\":[\"p.*\"],\"max_msg_size\":64,"
                        + "\"allow_rollup_hdrs\":true,\"allow_direct\":true}"),
                req("p.a", "one"),
                req("p.a", "two", "Nats-Msg-Id", "m1"),
                req("p.a", "two", "Nats-Msg-Id", "m1"),
                req("p.b", "three", "Nats-Expected-Last-Sequence", "9"),
                req("p.b", "three", "Nats-Expected-Last-Sequence", "2"),
                req("p.b", "four", "Nats-Expected-Last-Subject-Sequence", "1"),
                req("p.b", "four", "Nats-Expected-Last-Subject-Sequence", "3"),
                req("p.c", "five", "Nats-Expected-Stream", "Q"),
                req("p.c", "five", "Nats-Expected-Last-Msg-Id", "nope"),
                req("p.c", "five", "Nats-Expected-Last-Msg-Id", ""),
                req("p.c", "x".repeat(80)),
                req("p.c", "roll", "Nats-Rollup", "bad"),
                req("p.d", "r1"),
                req("p.d", "r2", "Nats-Rollup", "sub"),
                req("$JS.API.STREAM.INFO.P", "{\"subjects_filter\":\">\"}"),
                req("$JS.API.STREAM.MSG.GET.P", "{\"seq\":1}"),
                req("$JS.API.STREAM.MSG.GET.P", "{\"seq\":2}"),
                req("$JS.API.STREAM.MSG.GET.P", "{\"last_by_subj\":\"p.b\"}"),
                req("$JS.API.STREAM.MSG.GET.P", "{\"next_by_subj\":\"p.b\",\"seq\":1}"),
                req("$JS.API.STREAM.MSG.GET.P", "{\"seq\":99}"),
                req("$JS.API.STREAM.MSG.GET.P", "{}"),
                req("$JS.API.STREAM.MSG.GET.P", "{\"seq\":1,\"last_by_subj\":\"p.a\"}"),
                req("$JS.API.DIRECT.GET.P", "{\"seq\":2}"),
                req("$JS.API.DIRECT.GET.P.p.b", ""),
                req("$JS.API.DIRECT.GET.P.p.zzz", ""),
                req("$JS.API.DIRECT.GET.P", ""),
                req("$JS.API.DIRECT.GET.P", "{\"seq\":1,\"last_by_subj\":\"p.a\"}"),
                req("$JS.API.STREAM.MSG.DELETE.P", "{\"seq\":1}"),
                req("$JS.API.STREAM.MSG.DELETE.P", "{\"seq\":1}"),
                req("$JS.API.STREAM.MSG.DELETE.P", ""),
                req("$JS.API.STREAM.INFO.P", "{\"deleted_details\":true}"),
                req("$JS.API.STREAM.PURGE.P", "{\"filter\":\"p.b\"}"),
                req("$JS.API.STREAM.PURGE.P", "{\"seq\":3,\"keep\":1}"),
                req("$JS.API.STREAM.PURGE.P", "{\"keep\":1}"),
                req("$JS.API.STREAM.PURGE.P", ""),
                req("$JS.API.STREAM.INFO.P", "")), new JsonNormalizer());
    }

    @Test
    void consumers() throws Exception {
        compare(List.of(
                req("$JS.API.STREAM.CREATE.C", "{\"name\":\"C\",\"subjects\":[\"c.*\"]}"),
                req("c.a", "1"),
                req("c.b", "2"),
                req("c.a", "3"),
                req("$JS.API.CONSUMER.CREATE.C.D1", "{\"stream_name\":\"C\",\"config\":{\"durable_name\":\"D1\","
                        + "\"ack_policy\":\"explicit\"}}"),
                req("$JS.API.CONSUMER.CREATE.C.D1", "{\"stream_name\":\"C\",\"config\":{\"durable_name\":\"D1\","
                        + "\"ack_policy\":\"explicit\"}}"),
                req("$JS.API.CONSUMER.CREATE.C.D1", "{\"stream_name\":\"C\",\"config\":{\"durable_name\":\"D1\","
                        + "\"ack_policy\":\"all\"}}"),
                req("$JS.API.CONSUMER.CREATE.C.D2", "{\"stream_name\":\"C\",\"config\":{\"durable_name\":\"D9\"}}"),
                req("$JS.API.CONSUMER.CREATE.C.D2.c.a", "{\"stream_name\":\"C\",\"config\":{\"name\":\"D2\","
                        + "\"filter_subject\":\"c.b\"}}"),
                req("$JS.API.CONSUMER.CREATE.C.D2.c.a", "{\"stream_name\":\"C\",\"config\":{\"name\":\"D2\","
                        + "\"filter_subject\":\"c.a\",\"ack_policy\":\"explicit\"}}"),
                req("$JS.API.CONSUMER.CREATE.X.D3", "{\"stream_name\":\"C\",\"config\":{}}"),
                req("$JS.API.CONSUMER.CREATE.NOPE.D3", "{\"stream_name\":\"NOPE\",\"config\":{}}"),
                req("$JS.API.CONSUMER.DURABLE.CREATE.C.D4", "{\"stream_name\":\"C\",\"config\":{}}"),
                req("$JS.API.CONSUMER.DURABLE.CREATE.C.D4", "{\"stream_name\":\"C\",\"config\":{\"durable_name\":\"D4\","
                        + "\"deliver_subject\":\"dlv\",\"ack_policy\":\"explicit\",\"max_waiting\":5}}"),
                req("$JS.API.CONSUMER.DURABLE.CREATE.C.D4", "{\"stream_name\":\"C\",\"config\":{\"durable_name\":\"D4\","
                        + "\"deliver_policy\":\"by_start_sequence\"}}"),
                req("$JS.API.CONSUMER.DURABLE.CREATE.C.D4", "{\"stream_name\":\"C\",\"config\":{\"durable_name\":\"D4\","
                        + "\"deliver_policy\":\"last_per_subject\"}}"),
                req("$JS.API.CONSUMER.DURABLE.CREATE.C.D4", "{\"stream_name\":\"C\",\"config\":{\"durable_name\":\"D4\","
                        + "\"filter_subject\":\"zzz\"}}"),
                req("$JS.API.CONSUMER.DURABLE.CREATE.C.D4", "{\"stream_name\":\"C\",\"config\":{\"durable_name\":\"D4\","
                        + "\"idle_heartbeat\":1000000000}}"),
                req("$JS.API.CONSUMER.DURABLE.CREATE.C.D4", "{\"stream_name\":\"C\",\"config\":{\"durable_name\":\"D4\","
                        + "\"deliver_subject\":\"d4\",\"flow_control\":true}}"),
                req("$JS.API.CONSUMER.DURABLE.CREATE.C.D4", "{\"stream_name\":\"C\",\"config\":{\"durable_name\":\"D4\","
                        + "\"deliver_subject\":\"d4\",\"ack_policy\":\"explicit\",\"backoff\":[1000000000,2000000000],"
                        + "\"max_deliver\":2}}"),
                req("$JS.API.CONSUMER.DURABLE.CREATE.C.D4", "{\"stream_name\":\"C\",\"config\":{\"durable_name\":\"D4\","
                        + "\"deliver_subject\":\"d4\",\"ack_policy\":\"explicit\",\"backoff\":[1000000000,2000000000],"
                        + "\"max_deliver\":5,\"idle_heartbeat\":5000000000,\"flow_control\":true,\"headers_only\":true}}"),
                req("$JS.API.CONSUMER.INFO.C.D1", ""),
                req("$JS.API.CONSUMER.INFO.C.NOPE", ""),
                req("$JS.API.CONSUMER.NAMES.C", ""),
                req("$JS.API.CONSUMER.LIST.C", ""),
                req("$JS.API.CONSUMER.MSG.NEXT.C.D1", "{\"batch\":1}"),
                req("$JS.API.CONSUMER.MSG.NEXT.C.D1", ""),
                req("$JS.API.CONSUMER.MSG.NEXT.C.D1", "{\"batch\":1,\"no_wait\":true}"),
                req("$JS.API.CONSUMER.MSG.NEXT.C.D1", "{\"batch\":5,\"no_wait\":true}"),
                req("$JS.API.CONSUMER.MSG.NEXT.C.D1", "{\"batch\":1,\"no_wait\":true}"),
                req("$JS.API.CONSUMER.MSG.NEXT.C.D1", "{\"batch\":1,\"expires\":200000000}"),
                req("$JS.API.CONSUMER.MSG.NEXT.C.D4", "{\"batch\":1}"),
                req("$JS.API.CONSUMER.MSG.NEXT.C.D1", "{\"batch\":1,\"idle_heartbeat\":5000000000,\"expires\":1}"),
                req("$JS.API.CONSUMER.INFO.C.D1", ""),
                req("$JS.API.CONSUMER.DELETE.C.D2", ""),
                req("$JS.API.CONSUMER.DELETE.C.D2", ""),
                req("$JS.API.CONSUMER.NAMES.C", "")), new JsonNormalizer("name", "Nats-Last-Stream"));
    }
}
