package nats.bench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import nats.bench.NatsBench;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * Tiny runs of the scenarios against the Go {@code nats-server} with JetStream (skipped if it is
 * not installed): exact counts, the fast counting path, CPU figures, the JetStream API. Each run
 * is a few thousand messages, so the class takes seconds.
 */
class GoServerIntegrationTest {
  static final String GO_SERVER = "/usr/sbin/nats-server";
  static final String GO_CMD = GO_SERVER + " -a 127.0.0.1 -p {port}";
  private static ServerProcess server;
  private static Path storeDir;

  @BeforeAll
  @Timeout(40)
  static void startServer() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of(GO_SERVER)), GO_SERVER + " not installed");
    storeDir = Files.createTempDirectory("nats-bench-test-js-");
    server = ServerProcess.start("go", GO_CMD + " -js -sd " + storeDir, Duration.ofSeconds(30));
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
    if (storeDir != null) {
      try (Stream<Path> paths = Files.walk(storeDir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static BenchConfig config(Scenario s, long msgs, int size) {
    return BenchConfig.defaults(s, server.address()).withMsgs(msgs).withSize(size)
        .withCounts(4, 2, 2).withDurationLimit(20).withConns(200, server.pid());
  }

  private static Result run(BenchConfig cfg) {
    Result r = Benchmarks.run(cfg);
    assertTrue(r.complete(), r::toText);
    return r;
  }

  @Test
  @Timeout(30)
  void pubReportsServerAndGeneratorCpu() {
    Result r = run(config(Scenario.PUB, 20_000, 16));
    assertEquals(20_000L, r.metrics().get("msgs").longValue());
    assertTrue(r.metric("msgs_per_sec") > 0, r::toText);
    assertTrue(r.metric("server_ns_per_msg") >= 0, "server CPU read from /proc: " + r.toText());
    assertTrue(r.metric("client_ns_per_msg") >= 0, r::toText);
  }

  @Test
  @Timeout(30)
  void fanoutCountsEveryDeliveryExactly() {
    Result r = run(config(Scenario.FANOUT, 20_000, 128));
    assertEquals(80_000L, r.metrics().get("delivered").longValue());
    assertEquals(20_000L, r.metrics().get("min_sub_msgs").longValue());
    assertEquals(20_000L, r.metrics().get("max_sub_msgs").longValue());
    assertTrue(r.note() == null, "the Go server's frames take the fast path: " + r.toText());
    assertTrue(r.metric("server_ns_per_delivery") * 4 <= r.metric("server_ns_per_msg") + 1e-6,
        r::toText);
  }

  @Test
  @Timeout(30)
  void queueDeliversEachMessageOnce() {
    Result r = run(config(Scenario.QUEUE, 20_000, 16));
    assertEquals(20_000L, r.metrics().get("delivered").longValue());
  }

  @Test
  @Timeout(30)
  void concurrentRequesters() {
    Result r = run(config(Scenario.REQREP, 1_000, 16));
    assertEquals(1_000L, r.metrics().get("requests").longValue());
    long p50 = r.metrics().get("p50_ns").longValue();
    long p99 = r.metrics().get("p99_ns").longValue();
    assertTrue(p50 > 0 && p50 <= p99 && p99 <= r.metrics().get("max_ns").longValue(), r::toText);
  }

  @Test
  @Timeout(30)
  void churnUnderPublishLoad() {
    Result r = run(config(Scenario.CHURN, 20_000, 16));
    assertEquals(20_000L, r.metrics().get("delivered").longValue());
    assertTrue(r.metric("churn_pairs") > 0, r::toText);
  }

  @Test
  @Timeout(30)
  void stalledSubscribersRaiseTheServersMemory() {
    Result r = run(config(Scenario.SLOWSUB, 1, 128).withCounts(5, 1, 1)
        .withStallBytes(2 << 20).withMsgs(2L * 1024 * 1024 / 150));
    // 2 MiB each fits in the kernel's socket buffers, so only check that memory was read.
    assertTrue(r.metric("vm_hwm_kb") > 0 && r.metric("rss_peak_kb") > 0, r::toText);
    assertEquals(0L, r.metrics().get("subs_closed").longValue(), r::toText);
  }

  @Test
  @Timeout(60)
  void jetStreamScenarios() {
    Result pub = run(config(Scenario.JS_PUB, 2_000, 128));
    assertEquals(2_000L, pub.metrics().get("msgs").longValue(), pub::toText);
    Result fetch = run(config(Scenario.JS_FETCH, 2_000, 128));
    assertEquals(0L, fetch.metrics().get("ack_pending_after").longValue(), fetch::toText);
    for (Scenario s : new Scenario[] {Scenario.JS_PUB_SYNC, Scenario.JS_KV_PUT,
        Scenario.JS_KV_GET}) {
      Result r = run(config(s, 200, 128));
      assertEquals(200L, r.metrics().get("requests").longValue(), r::toText);
    }
  }

  @Test
  @Timeout(30)
  void withoutJetStreamTheRowSaysSo() throws Exception {
    try (ServerProcess plain = ServerProcess.start("go-plain", GO_CMD, Duration.ofSeconds(20))) {
      Result r = Benchmarks.run(BenchConfig.defaults(Scenario.JS_KV_GET, plain.address())
          .withMsgs(100).withDurationLimit(10));
      assertTrue(r.unavailable() && r.note().startsWith("JetStream not available"), r::toText);
    }
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
    assertTrue(lines[0].contains("\"server_ns_per_msg\":"), "pid found from the port: " + lines[0]);
  }
}
