package nats.bench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import nats.bench.NatsBench;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** Runs every scenario with small counts against the Go {@code nats-server}, if installed. */
class GoServerIntegrationTest {
  private static final String GO_SERVER = "/usr/sbin/nats-server";
  private static final String GO_CMD = GO_SERVER + " -a 127.0.0.1 -p {port}";
  private static ServerProcess server;

  @BeforeAll
  @Timeout(40)
  static void startServer() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of(GO_SERVER)), GO_SERVER + " not installed");
    server = ServerProcess.start("go", GO_CMD, Duration.ofSeconds(30));
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private static BenchConfig config(Scenario s, long msgs, int size) {
    return new BenchConfig(s, server.address(), msgs, size, 4, 2, 20, 0, 10_000, 4,
        8L << 20, 200, server.pid());
  }

  private static Result run(BenchConfig cfg) {
    Result r = Benchmarks.run(cfg);
    assertTrue(r.complete(), r::toText);
    return r;
  }

  @Test
  @Timeout(30)
  void pub() {
    Result r = run(config(Scenario.PUB, 20_000, 16));
    assertEquals(20_000L, r.metrics().get("msgs").longValue());
    assertTrue(r.metric("msgs_per_sec") > 0);
  }

  @Test
  @Timeout(30)
  void pubsub() {
    Result r = run(config(Scenario.PUBSUB, 20_000, 128));
    assertEquals(20_000L, r.metrics().get("delivered").longValue());
  }

  @Test
  @Timeout(30)
  void fanout() {
    Result r = run(config(Scenario.FANOUT, 20_000, 16));
    assertEquals(80_000L, r.metrics().get("delivered").longValue());
    assertEquals(20_000L, r.metrics().get("min_sub_msgs").longValue());
    assertEquals(20_000L, r.metrics().get("max_sub_msgs").longValue());
  }

  @Test
  @Timeout(30)
  void fanoutWithTinyWindowExercisesFlowControl() {
    BenchConfig c = new BenchConfig(Scenario.FANOUT, server.address(), 20_000, 1024, 3, 1, 20,
        0, 10_000, 1, 16 * 1024, 1, 0);
    Result r = run(c);
    assertEquals(60_000L, r.metrics().get("delivered").longValue());
  }

  @Test
  @Timeout(30)
  void queueDeliversEachMessageOnce() {
    Result r = run(config(Scenario.QUEUE, 20_000, 16));
    assertEquals(20_000L, r.metrics().get("delivered").longValue());
  }

  @Test
  @Timeout(30)
  void reqrep() {
    Result r = run(config(Scenario.REQREP, 2_000, 16));
    assertEquals(2_000L, r.metrics().get("requests").longValue());
    long p50 = r.metrics().get("p50_ns").longValue();
    long p99 = r.metrics().get("p99_ns").longValue();
    assertTrue(p50 > 0 && p50 <= p99 && p99 <= r.metrics().get("max_ns").longValue(), r::toText);
  }

  @Test
  @Timeout(30)
  void memory() {
    Result r = run(config(Scenario.MEMORY, 0, 0));
    assertEquals(200L, r.metrics().get("conns").longValue());
    assertTrue(r.metrics().get("rss_after_kb").longValue() > 0, r::toText);
  }

  @Test
  @Timeout(60)
  void compareGoWithItself() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = NatsBench.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute("compare", "--server-a", GO_CMD, "--server-b", GO_CMD,
        "--scenarios", "pub,pubsub,fanout,queue,reqrep,memory", "--sizes", "16", "--rounds", "1",
        "--msgs", "5000", "--warmup", "500", "--subs", "2", "--conns", "100",
        "--duration-limit", "10");
    String text = out.toString();
    assertEquals(0, code, text + err);
    assertTrue(text.contains("ratio (A/B)"), text);
    for (String s : new String[] {"pub ", "pubsub", "fanout", "queue", "reqrep", "memory"}) {
      assertTrue(text.contains(s), s + " missing in\n" + text);
    }
    assertFalse(text.contains("INCOMPLETE"), text);
  }

  @Test
  @Timeout(30)
  void jsonOutputIsOneObjectPerResult() {
    StringWriter out = new StringWriter();
    CommandLine cl = NatsBench.commandLine();
    cl.setOut(new PrintWriter(out));
    int code = cl.execute("pubsub", "--url", server.address().toString(), "--msgs", "5000",
        "--json");
    String[] lines = out.toString().strip().split("\n");
    assertEquals(0, code, out.toString());
    assertEquals(1, lines.length, out.toString());
    assertTrue(lines[0].startsWith("{\"type\":\"result\",\"scenario\":\"pubsub\""), lines[0]);
    assertTrue(lines[0].contains("\"delivered\":5000"), lines[0]);
  }
}
