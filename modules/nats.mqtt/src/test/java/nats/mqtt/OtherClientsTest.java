package nats.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import nats.mqtt.testing.MqttTestServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients other than Paho: MQTT.js (the scenarios in {@code node-tests/}, run by node's test runner; installed
 * with {@code npm ci}) and Debian's {@code mosquitto_pub}/{@code mosquitto_sub}. Each is skipped when not installed.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class OtherClientsTest {

    private static final Path NODE_TESTS = Path.of("node-tests");

    @TempDir
    Path dir;

    @Test
    void mqttJsScenariosPass() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(NODE_TESTS.resolve("node_modules/mqtt")),
                "node-tests not installed (npm ci in modules/nats.mqtt/node-tests)");
        Assumptions.assumeTrue(onPath("node"), "node is not installed");
        try (MqttTestServer server = MqttTestServer.start(dir)) {
            ProcessBuilder pb = new ProcessBuilder("node", "--test", "--test-concurrency=1", "--test-timeout=60000")
                    .directory(NODE_TESTS.toFile()).redirectErrorStream(true);
            pb.environment().put("MQTT_URL", "mqtt://127.0.0.1:" + server.mqttPort());
            Run run = run(pb, 150);
            assertEquals(0, run.exit(), "node's test runner passes:\n" + run.output());
            assertTrue(run.output().contains("# pass 5") && run.output().contains("# fail 0"),
                    "all five scenarios ran and passed:\n" + run.output());
        }
    }

    @Test
    void mosquittoClientsExchangeMessages() throws Exception {
        Assumptions.assumeTrue(onPath("mosquitto_pub") && onPath("mosquitto_sub"), "mosquitto-clients not installed");
        try (MqttTestServer server = MqttTestServer.start(dir)) {
            String port = Integer.toString(server.mqttPort());
            // A retained message first, then a subscriber that also waits for three live ones at QoS 0, 1, 2.
            assertEquals(0, run(new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-i", "m-ret",
                    "-t", "mosq/retained", "-m", "kept", "-q", "1", "-r"), 20).exit(), "retained publish");
            ProcessBuilder subPb = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", port, "-i", "m-sub",
                    "-t", "mosq/#", "-q", "2", "-v", "-C", "4", "-W", "30").redirectErrorStream(true);
            Process sub = subPb.start();
            Thread.sleep(1000);
            for (int qos = 0; qos <= 2; qos++) {
                assertEquals(0, run(new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-i", "m-pub" + qos,
                        "-t", "mosq/q" + qos, "-m", "live" + qos, "-q", Integer.toString(qos)), 20).exit(),
                        "publish at QoS " + qos);
            }
            assertTrue(sub.waitFor(30, TimeUnit.SECONDS), "the subscriber got its four messages and exited");
            String out = new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>(out.lines().toList());
            assertEquals(List.of("mosq/retained kept", "mosq/q0 live0", "mosq/q1 live1", "mosq/q2 live2"), lines,
                    "the retained message first, then the live ones in order");
        }
    }

    private record Run(int exit, String output) {
    }

    private static Run run(ProcessBuilder pb, long seconds) throws Exception {
        pb.redirectErrorStream(true);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        boolean done = p.waitFor(seconds, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        return new Run(done ? p.exitValue() : -1, new String(out, StandardCharsets.UTF_8));
    }

    static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }
}
