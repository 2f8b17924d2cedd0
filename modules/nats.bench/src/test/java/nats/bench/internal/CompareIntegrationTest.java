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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * {@code compare} of the Go server with itself over every scenario, small counts, one round
 * (about half a minute: tagged {@code bench}, outside the default test run).
 */
@Tag("bench")
class CompareIntegrationTest {

  @Test
  @Timeout(180)
  void compareGoWithItself() {
    Assumptions.assumeTrue(Files.isExecutable(Path.of(GoServerIntegrationTest.GO_SERVER)));
    String go = GoServerIntegrationTest.GO_CMD;
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = NatsBench.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute("compare", "--server-a", go, "--server-b", go,
        "--scenarios", "pub,pubsub,fanout,fanout:64,queue,reqrep,reqrep:4,churn,slowsub,memory,"
            + "js-pub,js-pub:4,js-pub-sync,js-fetch,js-kv-put,js-kv-get",
        "--sizes", "16", "--rounds", "1", "--msgs", "5000", "--warmup", "500", "--subs", "2",
        "--conns", "100", "--stall-bytes", "1m", "--duration-limit", "20");
    String text = out.toString();
    assertEquals(0, code, text + err);
    assertTrue(text.contains("ratio (A/B)"), text);
    for (String s : new String[] {"pub ", "pubsub", "fanout:64", "queue", "reqrep:4", "churn",
        "slowsub", "memory", "js-pub:4", "js-fetch", "js-kv-get", "server_ns_per_msg",
        "fsync-probe"}) {
      assertTrue(text.contains(s), s + " missing in\n" + text);
    }
    assertFalse(text.contains("INCOMPLETE"), text);
  }
}
