package nats.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.logging.Level;

import io.nats.NatsServerRunner;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The image under {@code io.nats:jnats-server-runner}, the harness jnats (and many applications) start a
 * server with in their tests. With its defaults it waits 100 ms for the process, then checks the port three
 * times 100/50/50 ms apart and gives up: a server that is not listening by then fails the test that asked
 * for it. Ten starts in a row, each used by a real client, must all succeed.
 */
class JnatsServerRunnerIT {

    private static final int STARTS = 10;

    /** The runner does not stop a server it gave up on: end every server this test started. */
    @org.junit.jupiter.api.AfterEach
    void stopLeftovers() {
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    @Timeout(240)
    void startsWithinTheRunnersWindowEveryTime() throws Exception {
        NatsServerRunner.setDefaultOutputLevel(Level.WARNING);
        for (int i = 0; i < STARTS; i++) {
            try (NatsServerRunner runner = NatsServerRunner.builder()
                    .executablePath(ImageProcess.IMAGE.resolve("bin/nats-server").toAbsolutePath())
                    .build();
                 Connection nc = Nats.connect(new Options.Builder().server(runner.getURI())
                         .connectionTimeout(Duration.ofSeconds(5)).maxReconnects(0).build())) {
                assertEquals(Connection.Status.CONNECTED, nc.getStatus(), "start " + (i + 1) + ": connected");
                Subscription sub = nc.subscribe("runner.check");
                nc.publish("runner.check", ("start " + i).getBytes(StandardCharsets.UTF_8));
                Message m = sub.nextMessage(Duration.ofSeconds(5));
                assertNotNull(m, "start " + (i + 1) + ": the message comes back");
                assertEquals("start " + i, new String(m.getData(), StandardCharsets.UTF_8),
                        "start " + (i + 1) + ": the payload is intact");
            }
        }
    }
}
