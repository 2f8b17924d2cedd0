package nats.jetstream.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import nats.jetstream.testing.GoServer;
import nats.server.ConfigFiles;
import nats.server.NatsServer;
import nats.server.options.ServerOptions;
import nats.server.options.ServerStartException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Go's start-up checks for JetStream in a cluster ({@code validateJetStreamOptions}, {@code
 * enableJetStreamClustering}): the same configuration is refused with the same text by Go 2.9.10 and by us.
 */
@Timeout(60)
class ClusterStartChecksTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "|cluster { name: x, host: 127.0.0.1, port: -1, routes: [\"nats-route://127.0.0.1:1\"] }"
                + "|jetstream cluster requires `server_name` to be set|",
        "server_name: s1|cluster { host: 127.0.0.1, port: -1, routes: [\"nats-route://127.0.0.1:1\"] }"
                + "|jetstream cluster requires `cluster.name` to be set|",
        "server_name: s1|cluster { name: x, host: 127.0.0.1, port: -1 }"
                + "|JetStream cluster requires configured routes or solicited leafnode for the system account|",
        "server_name: s1|cluster { name: x, host: 127.0.0.1, port: -1, routes: [\"nats-route://127.0.0.1:1\"] }"
                + "|expected 'no_extend' for string value, got 'maybe'|extension_hint: MayBe",
        "server_name: s1|cluster { name: x, host: 127.0.0.1, port: -1, routes: [\"nats-route://127.0.0.1:1\"] }"
                + "|jetstream max catchup cannot be negative|max_outstanding_catchup: -1",
    })
    void refusedAsGoRefusesIt(String name, String cluster, String text, String jsExtra) throws Exception {
        String conf = (name == null ? "" : name + "\n") + "host: 127.0.0.1\nport: -1\n"
                + "jetstream { store_dir: \"" + dir.resolve("store") + "\"\n" + (jsExtra == null ? "" : jsExtra)
                + "\n}\n" + cluster + "\n";
        Path file = Files.writeString(dir.resolve("s.conf"), conf);

        ServerOptions options = new ServerOptions();
        ConfigFiles.load(file, options, false);
        ServerStartException e = assertThrows(ServerStartException.class, () -> NatsServer.start(options).close(),
                "start refused for:\n" + conf);
        assertTrue(e.getMessage().endsWith(text), "Go's text, got: " + e.getMessage());

        Assumptions.assumeTrue(GoServer.available(), "Go nats-server not installed");
        Process go = new ProcessBuilder(GoServer.BINARY.toString(), "-c", file.toString())
                .redirectErrorStream(true).start();
        assertTrue(go.waitFor(20, TimeUnit.SECONDS), "Go exits");
        String goOut = new String(go.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, go.exitValue(), "Go's exit status: " + goOut);
        assertTrue(goOut.contains(text), "Go's output has the text: " + goOut);
    }

    /** Go makes none of these checks without a cluster port: a bad hint and no name are accepted then. */
    @Test
    void jetStreamWithoutClusterPortIsNotChecked() throws Exception {
        String conf = "host: 127.0.0.1\nport: -1\njetstream { store_dir: \"" + dir.resolve("store") + "\"\n"
                + "extension_hint: maybe\n}\n";
        ServerOptions options = new ServerOptions();
        ConfigFiles.load(Files.writeString(dir.resolve("s.conf"), conf), options, false);
        try (NatsServer s = NatsServer.start(options)) {
            assertTrue(s.port() > 0, "standalone JetStream starts without server_name");
        }
    }
}
