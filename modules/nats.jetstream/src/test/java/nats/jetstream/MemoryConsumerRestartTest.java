package nats.jetstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import nats.jetstream.testing.GoServer;
import nats.jetstream.testing.JsServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consumer with {@code mem_storage} on a file stream does not survive a restart, as in Go (its state lives in
 * memory only). jnats' ordered consumers are such consumers: after a restart their client makes a new one (the
 * jnats suite's SimplificationTests.testReconnectOverOrdered checks that the name changes).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MemoryConsumerRestartTest {

    private static final List<String> AFTER_RESTART = List.of("on-disk");

    @TempDir
    Path dir;

    @Test
    void memoryConsumerIsGoneAfterRestart() throws Exception {
        String conf = "jetstream { store_dir: \"%s\" }\n";
        try (JsServer server = JsServer.start(dir, conf); Connection nc = server.connect()) {
            createStreamAndConsumers(nc);
        }
        try (JsServer server = JsServer.start(dir, conf); Connection nc = server.connect()) {
            assertEquals(AFTER_RESTART, consumerNames(nc), "only the file consumer comes back");
        }
    }

    @Test
    void goDropsItToo() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server not installed");
        try (GoServer go = GoServer.startJetStream(dir); Connection nc = connect(go)) {
            createStreamAndConsumers(nc);
        }
        try (GoServer go = GoServer.startJetStream(dir); Connection nc = connect(go)) {
            assertEquals(AFTER_RESTART, consumerNames(nc), "Go keeps only the file consumer");
        }
    }

    private static void createStreamAndConsumers(Connection nc) throws Exception {
        JetStreamManagement jsm = nc.jetStreamManagement();
        jsm.addStream(StreamConfiguration.builder().name("S").subjects("s.>").storageType(StorageType.File).build());
        jsm.addOrUpdateConsumer("S", ConsumerConfiguration.builder().durable("on-disk").build());
        jsm.addOrUpdateConsumer("S", ConsumerConfiguration.builder().durable("in-memory").memStorage(true).build());
        assertEquals(List.of("in-memory", "on-disk"), consumerNames(nc), "both exist before the restart");
    }

    private static List<String> consumerNames(Connection nc) throws Exception {
        return nc.jetStreamManagement().getConsumerNames("S").stream().sorted().toList();
    }

    private static Connection connect(GoServer go) throws Exception {
        return Nats.connect(new Options.Builder().server(go.url()).connectionTimeout(Duration.ofSeconds(5))
                .maxReconnects(0).build());
    }
}
