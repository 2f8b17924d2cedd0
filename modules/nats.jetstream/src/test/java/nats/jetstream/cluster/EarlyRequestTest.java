package nats.jetstream.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server with a cluster port runs JetStream clustered from its start, as Go 2.9.10 does: before the meta group has
 * a leader (its peers not there yet) a request gets 503 10008 "JetStream system temporarily unavailable" (Go's answer
 * to the same request from a lone server with the same flags), not a single-server stream with one replica.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EarlyRequestTest {

    @TempDir
    Path dir;

    @Test
    void beforeTheMetaLeaderRequestsAreRefused() throws Exception {
        StreamConfiguration r3 = StreamConfiguration.builder().name("EARLY").subjects("early").replicas(3)
                .storageType(StorageType.File).build();
        try (JsCluster3 cluster = new JsCluster3(dir)) {
            cluster.start("A");
            try (Connection nc = cluster.connect("A")) {
                JetStreamManagement jsm = nc.jetStreamManagement();
                JetStreamApiException e = assertThrows(JetStreamApiException.class, () -> jsm.addStream(r3),
                        "no meta leader yet: refused, not created as R1");
                assertEquals(10008, e.getApiErrorCode(), "Go's error code: " + e.getMessage());
                assertEquals(503, e.getErrorCode(), "Go's status: " + e.getMessage());
            }
            cluster.start("B");
            cluster.start("C");
            cluster.awaitMetaLeader(Duration.ofSeconds(30));
            try (Connection nc = cluster.connect("A")) {
                StreamInfo info = nc.jetStreamManagement().addStream(r3);
                assertEquals(3, info.getConfiguration().getReplicas(), "with a meta leader: placed on three");
            }
        }
    }
}
