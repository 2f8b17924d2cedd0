package nats.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import nats.server.ConfigFiles;
import nats.server.NatsServer;
import nats.server.options.ServerOptions;
import nats.testing.GoServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code allow_responses}: a responder may answer requests it received, within max and expiry, as in Go. */
@Timeout(60)
class AllowResponsesDifferentialTest {

    private static final Duration WAIT = Duration.ofSeconds(1);

    private static final String CONFIG = """
            host: 127.0.0.1
            port: %d
            authorization { users = [
              {user: client, password: client}
              {user: one, password: one, permissions: {subscribe: "svc.one", allow_responses: true}}
              {user: two, password: two, permissions: {subscribe: "svc.two", publish: "events", allow_responses: {max: 2, expires: "1m"}}}
            ] }
            """;

    @Test
    void responsesAreAllowedOnlyToRequestsReceived(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server not installed");
        ServerOptions options = new ServerOptions();
        assertEquals(List.of(), ConfigFiles.load(Files.writeString(dir.resolve("ours.conf"),
                CONFIG.formatted(-1)), options, true));
        List<String> expected;
        try (GoServer go = GoServer.start(dir, CONFIG)) {
            expected = observe(go.port());
        }
        try (NatsServer ours = NatsServer.start(options)) {
            assertEquals(expected, observe(ours.port()));
        }
    }

    private static Connection connect(int port, String user, List<String> errors) throws Exception {
        return Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + port).userInfo(user, user)
                .maxReconnects(0).errorListener(new ErrorListener() {
                    @Override
                    public void errorOccurred(Connection conn, String error) {
                        errors.add(user + ": " + error);
                    }
                }).build());
    }

    private static List<String> observe(int port) throws Exception {
        List<String> log = new ArrayList<>();
        List<String> errors = new CopyOnWriteArrayList<>();
        try (Connection client = connect(port, "client", errors); Connection one = connect(port, "one", errors);
             Connection two = connect(port, "two", errors)) {
            Subscription s1 = one.subscribe("svc.one");
            Subscription s2 = two.subscribe("svc.two");
            Subscription inbox = client.subscribe("inbox");
            Subscription events = client.subscribe("events");
            one.flush(WAIT);
            two.flush(WAIT);
            client.flush(WAIT);

            client.publish("svc.one", "inbox", "q1".getBytes());
            client.publish("svc.two", "inbox", "q2".getBytes());
            client.flush(WAIT);
            Message r1 = s1.nextMessage(WAIT);
            Message r2 = s2.nextMessage(WAIT);
            // one may answer once; two twice; neither may publish elsewhere (two may publish "events").
            one.publish(r1.getReplyTo(), "a1".getBytes());
            one.publish(r1.getReplyTo(), "a1 again".getBytes());
            one.publish("events", "e1".getBytes());
            two.publish(r2.getReplyTo(), "a2".getBytes());
            two.publish(r2.getReplyTo(), "a2 again".getBytes());
            two.publish(r2.getReplyTo(), "a2 third".getBytes());
            two.publish("events", "e2".getBytes());
            two.publish("inbox", "unsolicited".getBytes());
            one.flush(WAIT);
            two.flush(WAIT);
            Message m;
            List<String> answers = new ArrayList<>();
            while ((m = inbox.nextMessage(Duration.ofMillis(300))) != null) {
                answers.add("inbox " + new String(m.getData()));
            }
            // The two responders publish concurrently: only the per-responder order is defined.
            java.util.Collections.sort(answers);
            log.addAll(answers);
            while ((m = events.nextMessage(Duration.ofMillis(300))) != null) {
                log.add("events " + new String(m.getData()));
            }
        }
        List<String> sorted = new ArrayList<>(errors);
        java.util.Collections.sort(sorted);
        log.addAll(sorted);
        return log;
    }
}
