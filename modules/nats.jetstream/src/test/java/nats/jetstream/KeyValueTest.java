package nats.jetstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.ObjectStore;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueWatcher;
import io.nats.client.api.ObjectInfo;
import io.nats.client.api.ObjectStoreConfiguration;
import io.nats.client.api.StorageType;
import nats.jetstream.testing.JsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** jnats's KeyValue and ObjectStore, which build on streams, direct gets, rollups and ordered consumers. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KeyValueTest {

    @TempDir
    Path dir;

    @Test
    void putGetHistoryDeletePurge() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = server.connect()) {
            KeyValueManagement kvm = nc.keyValueManagement();
            kvm.create(KeyValueConfiguration.builder().name("config").maxHistoryPerKey(5)
                    .storageType(StorageType.File).build());
            KeyValue kv = nc.keyValue("config");
            assertEquals(1, kv.put("a", "one"), "first revision");
            assertEquals(2, kv.put("a", "two"), "second revision");
            kv.put("b", "bee");
            KeyValueEntry a = kv.get("a");
            assertNotNull(a, "a is there");
            assertEquals("two", a.getValueAsString(), "latest value");
            assertEquals(2, a.getRevision(), "its revision");
            assertEquals(2, kv.history("a").size(), "two revisions of a");
            assertEquals(List.of("a", "b"), kv.keys().stream().sorted().toList(), "keys");
            assertEquals(4, kv.update("a", "three".getBytes(StandardCharsets.UTF_8), 2), "update on the right revision");
            assertThrows(io.nats.client.JetStreamApiException.class,
                    () -> kv.update("a", "x".getBytes(StandardCharsets.UTF_8), 2), "update on a stale revision fails");
            assertThrows(io.nats.client.JetStreamApiException.class,
                    () -> kv.create("a", "x".getBytes(StandardCharsets.UTF_8)), "create of an existing key fails");
            kv.delete("b");
            assertNull(kv.get("b"), "deleted key reads as absent");
            kv.purge("a");
            assertNull(kv.get("a"), "purged key reads as absent");
            assertEquals(1, kv.history("a").size(), "purge leaves one marker");
            assertEquals(KeyValueOperation.PURGE, kv.history("a").get(0).getOperation(), "the purge marker");
            assertNotNull(kv.getStatus(), "bucket status");
        }
    }

    @Test
    void watchSeesInitialValuesThenUpdates() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = server.connect()) {
            nc.keyValueManagement().create(KeyValueConfiguration.builder().name("w").build());
            KeyValue kv = nc.keyValue("w");
            kv.put("k1", "v1");
            kv.put("k2", "v2");
            List<String> seen = new CopyOnWriteArrayList<>();
            CountDownLatch initial = new CountDownLatch(1);
            CountDownLatch update = new CountDownLatch(1);
            kv.watchAll(new KeyValueWatcher() {
                @Override
                public void watch(KeyValueEntry e) {
                    seen.add(e.getKey() + "=" + e.getValueAsString());
                    if (e.getKey().equals("k3")) {
                        update.countDown();
                    }
                }

                @Override
                public void endOfData() {
                    initial.countDown();
                }
            });
            assertTrue(initial.await(5, TimeUnit.SECONDS), "end of initial data");
            assertEquals(List.of("k1=v1", "k2=v2"), seen, "initial values");
            kv.put("k3", "v3");
            assertTrue(update.await(5, TimeUnit.SECONDS), "an update arrives");
        }
    }

    @Test
    void objectStorePutGetChunks() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = server.connect()) {
            nc.objectStoreManagement().create(ObjectStoreConfiguration.builder("files").build());
            ObjectStore os = nc.objectStore("files");
            byte[] data = new byte[300_000];
            new Random(7).nextBytes(data);
            ObjectInfo info = os.put("blob.bin", new ByteArrayInputStream(data));
            assertEquals(data.length, info.getSize(), "size recorded");
            assertTrue(info.getChunks() > 1, "stored in several chunks");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            os.get("blob.bin", out);
            assertArrayEquals(data, out.toByteArray(), "read back intact");
            List<String> names = new ArrayList<>();
            os.getList().forEach(i -> names.add(i.getObjectName()));
            assertEquals(List.of("blob.bin"), names, "listed");
            os.delete("blob.bin");
            assertTrue(os.getInfo("blob.bin") == null || os.getInfo("blob.bin").isDeleted(), "deleted");
        }
    }

    @Test
    void keyTtlAndBucketMaxAge() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = server.connect()) {
            nc.keyValueManagement().create(KeyValueConfiguration.builder().name("ttl").ttl(Duration.ofMillis(500))
                    .build());
            KeyValue kv = nc.keyValue("ttl");
            kv.put("x", "y");
            assertNotNull(kv.get("x"), "present at first");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (kv.get("x") != null && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertNull(kv.get("x"), "gone after the bucket's max age");
        }
    }
}
