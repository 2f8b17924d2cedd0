package nats.server.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS 1.3 post-handshake messages: with key limits of 64 KiB (a security property, read once per JVM, hence
 * the separate JVM) both ends send KeyUpdates, and the server answers the requested ones from its reader
 * while its writer keeps sending. The traffic must survive intact.
 */
@Timeout(120)
class TlsKeyUpdateTest {

    @Test
    void keyUpdatesInBothDirectionsDoNotDisturbTheTraffic(@TempDir Path dir) throws Exception {
        Path security = Files.writeString(dir.resolve("keylimits.properties"),
                "jdk.tls.keyLimits=AES/GCM/NoPadding KeyUpdate 2^16, ChaCha20-Poly1305 KeyUpdate 2^16\n");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(List.of(java, "-Djava.security.properties=" + security,
                "-Djavax.net.debug=ssl:handshake", "-cp", System.getProperty("java.class.path"),
                KeyUpdateScenario.class.getName()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile()).start();
        assertTrue(p.waitFor(100, TimeUnit.SECONDS), "the scenario finishes");
        String log = Files.readString(dir.resolve("out.log"), StandardCharsets.ISO_8859_1);
        assertEquals(0, p.exitValue(), "the scenario succeeds; its output ends with: "
                + log.substring(Math.max(0, log.length() - 3000)));
        assertTrue(log.contains("all 3000 messages intact"), "every message was checked");
        long updates = log.lines().filter(l -> l.contains("KeyUpdate: write key updated")).count();
        assertTrue(updates > 20, "keys were renewed many times, got " + updates);
    }
}
