package nats.image;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The image's built-in cluster plugin, switched on by Go's flags ({@code --cluster}, {@code --routes},
 * {@code --cluster_name}) in the real module graph: two servers route, one is killed with SIGKILL and restarted
 * on its ports, and the route comes back.
 */
@Timeout(90)
class ClusterImageIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static ImageProcess node(int port, int cluster, int seedCluster) throws IOException, InterruptedException {
        return ImageProcess.start(port, "-n", "node-" + port, "--cluster", "nats://127.0.0.1:" + cluster,
                "--cluster_name", "image", "--routes", "nats-route://127.0.0.1:" + seedCluster);
    }

    @Test
    void twoImagesRouteAndAKilledOneRejoins() throws Exception {
        int seedPort = ImageProcess.freePort();
        int seedCluster = ImageProcess.freePort();
        int port = ImageProcess.freePort();
        int cluster = ImageProcess.freePort();
        try (ImageProcess seed = node(seedPort, seedCluster, seedCluster)) {
            ImageProcess other = node(port, cluster, seedCluster);
            try {
                assertMessagesCross(seedPort, port);
                assertTrue(seed.output().contains("Cluster name is image"), seed.output());
                other.kill();
                other.close();
                other = node(port, cluster, seedCluster);
                assertMessagesCross(port, seedPort);
            } finally {
                other.close();
            }
        }
    }

    /** A subscriber on one server gets what is published on the other (waiting for the route and interest). */
    private static void assertMessagesCross(int pubPort, int subPort) throws Exception {
        try (Connection pub = Nats.connect("nats://127.0.0.1:" + pubPort);
             Connection sub = Nats.connect("nats://127.0.0.1:" + subPort)) {
            Subscription s = sub.subscribe("image.cluster");
            sub.flush(Duration.ofSeconds(2));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                pub.publish("image.cluster", "hello".getBytes(StandardCharsets.UTF_8));
                pub.flush(Duration.ofSeconds(2));
                if (s.nextMessage(Duration.ofMillis(200)) != null) {
                    return;
                }
            }
            throw new AssertionError("no message crossed from " + pubPort + " to " + subPort);
        }
    }
}
