package nats.jetstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import nats.jetstream.testing.JsServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nats.js 3 scenarios in {@code node-tests/} ({@code @nats-io/jetstream}, {@code kv}, {@code obj}) against
 * this server, through node's test runner. Skipped when node or the installed packages ({@code npm ci}) are
 * missing.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class NodeClientsTest {

    private static final Path TESTS = Path.of("node-tests");

    @TempDir
    Path dir;

    @Test
    void natsJsScenariosPass() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(TESTS.resolve("node_modules/@nats-io/jetstream")),
                "node-tests not installed (npm ci in modules/nats.jetstream/node-tests)");
        Assumptions.assumeTrue(onPath("node"), "node is not installed");
        try (JsServer server = JsServer.start(dir)) {
            ProcessBuilder pb = new ProcessBuilder("node", "--test", "--test-concurrency=1", "--test-timeout=60000")
                    .directory(TESTS.toFile()).redirectErrorStream(true);
            pb.environment().put("NATS_URL", server.url());
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            boolean done = p.waitFor(200, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly();
            }
            assertEquals(0, done ? p.exitValue() : -1, "node's test runner passes:\n" + output);
            org.junit.jupiter.api.Assertions.assertTrue(output.contains("# pass 5") && output.contains("# fail 0"),
                    "all five scenarios ran and passed:\n" + output);
        }
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
