package nats.jetstream.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Placement counts storage as Go's selectPeerGroup: on three servers with {@code max_file_store} and
 * {@code max_memory_store} of 1 MB, a stream whose {@code max_bytes} does not fit what its servers have left is
 * refused with 10005 "no suitable peers for placement, insufficient storage" — also once an earlier stream's
 * {@code max_bytes} reserved the room —, and the same requests get the same answers from a Go 2.9.10 cluster.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class StoragePlacementTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Map<String, String> REQUESTS = new LinkedHashMap<>();

    static {
        REQUESTS.put("TOO_BIG", stream("TOO_BIG", 3, "file", 10_000_000));
        REQUESTS.put("HALF", stream("HALF", 3, "file", 500_000));
        REQUESTS.put("REST", stream("REST", 3, "file", 600_000));
        REQUESTS.put("MEMORY", stream("MEMORY", 3, "memory", 2_000_000));
        REQUESTS.put("ONE_TOO_BIG", stream("ONE_TOO_BIG", 1, "file", 2_000_000));
        REQUESTS.put("ONE_FITS", stream("ONE_FITS", 1, "file", 400_000));
        REQUESTS.put("UNBOUNDED", stream("UNBOUNDED", 3, "file", -1));
    }

    @TempDir
    Path dir;

    @Test
    void streamsThatDoNotFitTheServersStorageAreRefusedAsGoRefusesThem() throws Exception {
        String limits = "max_file_store: 1MB, max_memory_store: 1MB";
        Map<String, String> ours = JsCluster3.run(Files.createDirectories(dir.resolve("ours")), n -> "", limits,
                "A", StoragePlacementTest::outcomes);
        String insufficient = "{code=400, description=no suitable peers for placement, insufficient storage, "
                + "err_code=10005}";
        assertEquals(insufficient, ours.get("TOO_BIG"));
        assertEquals("created", ours.get("HALF"));
        assertEquals(insufficient, ours.get("REST"), "HALF reserves 500,000 bytes on every server");
        assertEquals(insufficient, ours.get("MEMORY"));
        assertEquals(insufficient, ours.get("ONE_TOO_BIG"));
        assertEquals("created", ours.get("ONE_FITS"));
        assertEquals("created", ours.get("UNBOUNDED"));

        GoCluster3.assertPartsAsGo(dir.resolve("differential"), limits, StoragePlacementTest::outcomes);
    }

    private static String stream(String name, int replicas, String storage, long maxBytes) {
        return "{\"name\":\"" + name + "\",\"subjects\":[\"" + name.toLowerCase() + "\"],\"num_replicas\":"
                + replicas + ",\"storage\":\"" + storage + "\",\"max_bytes\":" + maxBytes + "}";
    }

    /** Each request's outcome: "created", or its error object with sorted keys. */
    private static Map<String, String> outcomes(Connection nc) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : REQUESTS.entrySet()) {
            Map<String, Object> answer = SingleAnswer.of(nc, "$JS.API.STREAM.CREATE." + e.getKey(), e.getValue(),
                    WAIT);
            out.put(e.getKey(), answer.get("error") instanceof Map<?, ?> m ? new TreeMap<>(m).toString()
                    : answer.get("config") != null ? "created" : answer.toString());
        }
        return out;
    }
}
