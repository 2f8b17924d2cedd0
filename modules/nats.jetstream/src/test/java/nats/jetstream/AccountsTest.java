package nats.jetstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.StreamConfiguration;
import nats.jetstream.testing.GoServer;
import nats.jetstream.testing.JsServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** JetStream per account: enabled where configured, with limits; Go's error where it is not. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AccountsTest {

    private static final String CONFIG = """
            jetstream { store_dir: "%s" }
            accounts {
              LIMITED { jetstream { max_streams: 1, max_mem: 1M, max_file: 10M }, users: [{user: lim, password: p}] }
              OPEN { jetstream: enabled, users: [{user: open, password: p}] }
              PLAIN { users: [{user: plain, password: p}] }
            }
            """;

    @TempDir
    Path dir;

    private static Connection connect(String url, String user) throws Exception {
        return Nats.connect(new Options.Builder().server(url).userInfo(user, "p").maxReconnects(0)
                .connectionTimeout(Duration.ofSeconds(5)).build());
    }

    @Test
    void limitsApplyAndAccountsWithoutJetStreamGetGosError() throws Exception {
        try (JsServer server = JsServer.start(dir, CONFIG)) {
            try (Connection nc = connect(server.url(), "lim")) {
                JetStreamManagement jsm = nc.jetStreamManagement();
                var stats = jsm.getAccountStatistics();
                assertEquals(1, stats.getLimits().getMaxStreams(), "max_streams from the account block");
                assertEquals(1_000_000, stats.getLimits().getMaxMemory(), "max_mem (1M is a decimal size in the config format)");
                jsm.addStream(StreamConfiguration.builder().name("ONE").subjects("one").build());
                JetStreamApiException second = assertThrows(JetStreamApiException.class,
                        () -> jsm.addStream(StreamConfiguration.builder().name("TWO").subjects("two").build()));
                assertEquals(10027, second.getApiErrorCode(), "maximum number of streams reached");
            }
            try (Connection nc = connect(server.url(), "open")) {
                nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("ONE").subjects("one").build());
                assertEquals(1, nc.jetStreamManagement().getStreamNames().size(),
                        "accounts have their own streams, same names allowed");
            }
            try (Connection nc = connect(server.url(), "plain")) {
                Message reply = nc.request("$JS.API.INFO", new byte[0], Duration.ofSeconds(2));
                assertEquals("{\"type\":\"io.nats.jetstream.api.v1.account_info_response\",\"error\":{\"code\":503,"
                                + "\"err_code\":10039,\"description\":\"JetStream not enabled for account\"}}",
                        new String(reply.getData(), StandardCharsets.UTF_8), "Go's answer for an account without it");
            }
        }
    }

    @Test
    void notEnabledAnswerIsGos() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server not installed");
        java.nio.file.Files.writeString(dir.resolve("go.conf"), CONFIG.replace("%s", dir.resolve("go-sd").toString()));
        try (GoServer go = GoServer.start(dir, "-c", dir.resolve("go.conf").toString());
             JsServer ours = JsServer.start(dir, CONFIG);
             Connection gc = connect(go.url(), "plain"); Connection oc = connect(ours.url(), "plain")) {
            for (String subject : new String[] {"$JS.API.INFO", "$JS.API.STREAM.NAMES", "$JS.API.STREAM.INFO.X",
                    "$JS.API.CONSUMER.INFO.X.Y", "$JS.API.STREAM.CREATE.X"}) {
                String g = new String(gc.request(subject, new byte[0], Duration.ofSeconds(2)).getData(),
                        StandardCharsets.UTF_8);
                String o = new String(oc.request(subject, new byte[0], Duration.ofSeconds(2)).getData(),
                        StandardCharsets.UTF_8);
                assertEquals(g, o, "same answer on " + subject);
            }
        }
    }
}
