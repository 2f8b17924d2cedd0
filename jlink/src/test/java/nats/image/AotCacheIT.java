package nats.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's AOT cache holds the server's start path and a first client's: no class of the server's modules is
 * read from lib/modules for a start with JetStream and one client. A training run that went wrong (the training
 * server refused its flags and exited, as happened once) leaves a cache of a failed start, and every start and
 * the JIT's first minutes get slower without anything failing; this test fails instead.
 */
@Timeout(60)
class AotCacheIT {

    @Test
    void startAndFirstClientComeFromTheAotCache(@TempDir Path dir) throws Exception {
        Path classLog = dir.resolve("class-load.log");
        int port = ImageProcess.freePort();
        Map<String, String> env = Map.of("NATS_SERVER_JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog);
        try (ImageProcess server = ImageProcess.start(env, port, "-js", "-sd", dir.resolve("store").toString());
             Connection nc = Nats.connect("nats://127.0.0.1:" + port)) {
            Subscription sub = nc.subscribe("aot.check");
            nc.publish("aot.check", "hi".getBytes(StandardCharsets.UTF_8));
            Message m = sub.nextMessage(Duration.ofSeconds(5));
            assertNotNull(m, "the message comes back:\n" + server.output());
            nc.close();
            assertEquals(0, server.signal("INT"), "a clean exit:\n" + server.output());
        }
        List<String> loaded = Files.readAllLines(classLog, StandardCharsets.UTF_8);
        long fromCache = loaded.stream().filter(l -> l.contains("source: shared objects file")).count();
        assertTrue(fromCache > 1000, "the AOT cache is used (" + fromCache + " classes from it)");
        List<String> serverClassesOutside = loaded.stream()
                .filter(l -> l.contains("] nats.") && l.contains("source: jrt:/"))
                .toList();
        assertEquals(List.of(), serverClassesOutside,
                "every class of the server's modules on this path comes from the AOT cache (the training covers it)");
    }
}
