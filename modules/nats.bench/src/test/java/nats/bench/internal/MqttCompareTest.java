package nats.bench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import nats.bench.NatsBench;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * The MQTT scenarios through {@code compare} against Go's MQTT listener (its configuration file
 * written by the tool), small counts, one round: every message arrives once, the round trip
 * has percentiles, the server's CPU is measured (a few seconds).
 */
class MqttCompareTest {

  @Test
  @Timeout(120)
  void mqttScenariosAgainstGo() {
    Assumptions.assumeTrue(Files.isExecutable(Path.of(GoServerIntegrationTest.GO_SERVER)));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = NatsBench.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute("compare", "--server-a", GoServerIntegrationTest.GO_CMD,
        "--scenarios", "mqtt-pubsub,mqtt-pubsub1,mqtt-rtt", "--sizes", "16", "--rounds", "1",
        "--msgs", "2000", "--warmup", "200", "--duration-limit", "20");
    String text = out.toString();
    assertEquals(0, code, text + err);
    assertFalse(text.contains("INCOMPLETE"), text);
    for (String s : new String[] {"mqtt-pubsub size=16B", "mqtt-pubsub1 size=16B",
        "delivered=2,000  duplicates=0", "mqtt-rtt size=16B", "p99_ns", "server_ns_per_msg"}) {
      assertTrue(text.contains(s), s + " missing in\n" + text);
    }
  }
}
