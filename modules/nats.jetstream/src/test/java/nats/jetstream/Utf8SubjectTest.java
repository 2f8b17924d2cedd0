package nats.jetstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.KeyValue;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.Mirror;
import io.nats.client.api.Source;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import nats.jetstream.testing.GoServer;
import nats.jetstream.testing.JsServer;
import nats.testing.RawClient;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A subject with non-ASCII UTF-8 comes back byte for byte on every path that shows a stored message's subject:
 * pull and push delivery, {@code STREAM.MSG.GET}'s JSON, direct get's {@code Nats-Subject} (by sequence and last
 * by subject), a mirror's and a
 * source's copies, and all of these again from the file store after a restart. jnats reads a protocol line by
 * widening each byte to a char unless {@link Options.Builder#supportUTF8Subjects()} is set (then the non-ASCII
 * bytes show as U+FFxx, against Go as well), so these connections set it.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class Utf8SubjectTest {

    private static final String SUBJECT = "utf8.\u00fc\u6d4b\u8bd5";
    private static final String DIRECT_SUBJECT = "direct.\u00e9\u00e8.\u4e2d";

    @TempDir
    Path dir;

    private static Connection connect(String url) throws Exception {
        return Nats.connect(new Options.Builder().server(url).supportUTF8Subjects()
                .connectionTimeout(Duration.ofSeconds(5)).maxReconnects(0).errorListener(new io.nats.client.ErrorListener() {
                }).build());
    }

    private static void createAndPublish(Connection nc) throws Exception {
        JetStreamManagement jsm = nc.jetStreamManagement();
        jsm.addStream(StreamConfiguration.builder().name("U").subjects("utf8.>").storageType(StorageType.File).build());
        jsm.addStream(StreamConfiguration.builder().name("D").subjects("direct.>").allowDirect(true)
                .storageType(StorageType.File).build());
        jsm.addStream(StreamConfiguration.builder().name("M").mirror(Mirror.builder().sourceName("U").build())
                .storageType(StorageType.File).build());
        jsm.addStream(StreamConfiguration.builder().name("S").sources(Source.builder().sourceName("U").build())
                .storageType(StorageType.File).build());
        JetStream js = nc.jetStream();
        js.publish(SUBJECT, "m1".getBytes(StandardCharsets.UTF_8));
        js.publish(DIRECT_SUBJECT, "d1".getBytes(StandardCharsets.UTF_8));
        waitForMessages(jsm, "M");
        waitForMessages(jsm, "S");
    }

    private static void waitForMessages(JetStreamManagement jsm, String stream) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (jsm.getStreamInfo(stream).getStreamState().getMsgCount() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** Every path's view of the stored subject, labelled, in a fixed order. */
    private static List<String> observe(Connection nc, int port, String round) throws Exception {
        JetStreamManagement jsm = nc.jetStreamManagement();
        JetStream js = nc.jetStream();
        List<String> seen = new ArrayList<>();
        for (String stream : List.of("U", "M", "S")) {
            jsm.addOrUpdateConsumer(stream, ConsumerConfiguration.builder().durable("pull" + round).build());
            JetStreamSubscription pull = js.subscribe(null, PullSubscribeOptions.bind(stream, "pull" + round));
            List<Message> batch = pull.fetch(1, Duration.ofSeconds(2));
            seen.add(stream + " pull " + (batch.isEmpty() ? "<none>" : batch.get(0).getSubject()));
            pull.unsubscribe();
            JetStreamSubscription push = js.subscribe(null, PushSubscribeOptions.builder().stream(stream).build());
            Message m = push.nextMessage(Duration.ofSeconds(2));
            seen.add(stream + " push " + (m == null ? "<none>" : m.getSubject()));
            push.unsubscribe();
            seen.add(stream + " msg.get " + jsm.getMessage(stream, 1).getSubject());
        }
        seen.add("D direct.get " + directGetSubject(port, "{\"seq\":1}"));
        seen.add("D last-by-subject " + directGetSubject(port, "{\"last_by_subj\":\"" + DIRECT_SUBJECT + "\"}"));
        return seen;
    }

    /**
     * Direct get's {@code Nats-Subject} header, read off a raw socket: jnats refuses a header value with non-ASCII
     * bytes (the reply is dropped and the request times out), from Go as from us.
     */
    private static String directGetSubject(int port, String body) throws Exception {
        try (RawClient raw = RawClient.connect(port)) {
            raw.readLineStartingWith("INFO", 2000);
            raw.send("CONNECT {\"verbose\":false,\"headers\":true}\r\nSUB _R 1\r\n");
            byte[] json = body.getBytes(StandardCharsets.UTF_8);
            raw.send("PUB $JS.API.DIRECT.GET.D _R " + json.length + "\r\n" + body + "\r\n");
            return raw.readLineStartingWith("Nats-Subject: ", 3000).substring("Nats-Subject: ".length());
        }
    }

    private static List<String> expected() {
        List<String> want = new ArrayList<>();
        for (String stream : List.of("U", "M", "S")) {
            for (String path : List.of(" pull ", " push ", " msg.get ")) {
                want.add(stream + path + SUBJECT);
            }
        }
        want.add("D direct.get " + DIRECT_SUBJECT);
        want.add("D last-by-subject " + DIRECT_SUBJECT);
        return want;
    }

    @Test
    void everyPathShowsTheSubjectAsPublishedAlsoAfterARestart() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = connect(server.url())) {
            createAndPublish(nc);
            assertEquals(expected(), observe(nc, server.port(), "a"));
        }
        try (JsServer server = JsServer.start(dir); Connection nc = connect(server.url())) {
            assertEquals(expected(), observe(nc, server.port(), "b"), "read back from the file store");
        }
    }

    @Test
    void goShowsTheSameSubjects() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server not installed");
        try (GoServer go = GoServer.startJetStream(dir); Connection nc = connect(go.url())) {
            createAndPublish(nc);
            assertEquals(expected(), observe(nc, go.port(), "a"), "the oracle agrees with what the other test asks of us");
        }
    }

    /** KV keys are limited to {@code [-/_=.a-zA-Z0-9]} by the client: a UTF-8 key never reaches the server. */
    @Test
    void jnatsRefusesANonAsciiKvKey() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = connect(server.url())) {
            nc.keyValueManagement().create(KeyValueConfiguration.builder().name("kv").build());
            KeyValue kv = nc.keyValue("kv");
            assertThrows(IllegalArgumentException.class, () -> kv.put("k\u00fc", "v".getBytes(StandardCharsets.UTF_8)));
        }
    }
}
