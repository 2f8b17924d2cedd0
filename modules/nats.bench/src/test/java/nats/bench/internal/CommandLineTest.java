package nats.bench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import nats.bench.NatsBench;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CommandLineTest {

  private static BenchConfig parse(String... args) {
    CommandLine.ParseResult pr = NatsBench.commandLine().parseArgs(args).subcommand();
    if (pr.subcommand() != null) {
      pr = pr.subcommand(); // nats-bench js <scenario>
    }
    return ((ScenarioCommand) pr.commandSpec().userObject()).config();
  }

  @Test
  void defaultsPerScenario() {
    BenchConfig pub = parse("pub");
    assertEquals(Scenario.PUB, pub.scenario());
    assertEquals(new NatsAddress("127.0.0.1", 4222), pub.address());
    assertEquals(5_000_000, pub.msgs());
    assertEquals(500_000, pub.warmup());
    assertEquals(16, pub.size());
    assertEquals(8, pub.subs());
    assertEquals(1, pub.pubs());
    assertEquals(60, pub.durationLimitSeconds());
    assertEquals(10_000, pub.flowInterval());
    assertEquals(10_000, pub.conns());
    BenchConfig reqrep = parse("reqrep");
    assertEquals(20_000, reqrep.msgs());
    assertEquals(2_000, reqrep.warmup());
    assertEquals(80_000, parse("reqrep", "--clients", "4").msgs(), "20,000 per requester");
    assertEquals(1_000_000, parse("fanout").msgs(), "8,000,000 deliveries over 8 subscribers");
    assertEquals(125_000, parse("fanout", "--subs", "64").msgs());
    BenchConfig slow = parse("slowsub");
    assertEquals(100, slow.subs());
    assertEquals(0, slow.warmup(), "no warm-up before a memory measurement");
    long frame = Protocol.msgFrameLength("s.abcde", 16);
    assertEquals((16L << 20) / frame, slow.msgs(), "16 MiB per stalled subscriber");
    BenchConfig js = parse("js", "kv-get");
    assertEquals(Scenario.JS_KV_GET, js.scenario());
    assertEquals(128, js.size(), "JetStream scenarios default to 128 B");
    assertEquals(1000, js.js().keys());
    assertEquals("file", js.js().storage());
    assertEquals("memory", parse("js", "pub", "--storage", "memory").js().storage());
  }

  @Test
  void explicitOptions() {
    BenchConfig c = parse("fanout", "--url", "nats://localhost:5000", "--msgs", "20k",
        "--size", "128", "--subs", "3", "--duration-limit", "5", "--warmup", "0",
        "--flow-interval", "500", "--max-pings", "2", "--window-bytes", "1m");
    assertEquals("localhost", c.address().host());
    assertEquals(5000, c.address().port());
    assertEquals(20_000, c.msgs());
    assertEquals(128, c.size());
    assertEquals(3, c.subs());
    assertEquals(5, c.durationLimitSeconds());
    assertEquals(0, c.warmup());
    assertEquals(500, c.flowInterval());
    assertEquals(2, c.maxPings());
    assertEquals(1_000_000, c.windowBytes());
    assertEquals(1_000_000, parse("pub", "--msgs", "1,000,000").msgs());
    assertEquals(7, parse("pub", "--pubs", "7").pubs());
    assertEquals(1234, parse("memory", "--pid", "1234", "--conns", "50").pid());
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertEquals(2, run("pub", "--size", "-1"));
    assertEquals(2, run("pub", "--msgs", "lots"));
    assertEquals(2, run("pub", "--url", "nats://10.1.2.3:4222")); // not loopback
    assertEquals(2, run("pub", "--url", "http://127.0.0.1:4222"));
    assertEquals(2, run("nosuch"));
    assertEquals(2, run());
    assertEquals(2, run("compare", "--server-b", "x")); // --server-a is required
    assertEquals(2, run("compare", "--server-a", "x", "--server-b", "y", "--scenarios", "bogus"));
    assertEquals(2, run("compare", "--server-a", "x", "--scenarios", "pubsub:4"));
    assertEquals(2, run("compare", "--server-a", "x", "--scenarios", "fanout:0"));
    assertEquals(2, run("js", "pub", "--storage", "tape"));
    assertEquals(2, run("js"));
    assertEquals(0, run("js", "fetch", "--help"));
    assertEquals(0, run("--help"));
    assertEquals(0, run("pubsub", "--help"));
  }

  @Test
  void compareOptions() {
    CommandLine.ParseResult pr = NatsBench.commandLine().parseArgs("compare",
        "--server-a", "java -jar x.jar -p {port}", "--server-b", "nats-server -p {port}",
        "--scenarios", "pub,reqrep,memory", "--sizes", "16,1024", "--rounds", "5");
    CompareCommand cmd = (CompareCommand) pr.subcommand().commandSpec().userObject();
    CompareCommand.Plan plan = cmd.plan();
    assertEquals(List.of(Scenario.PUB, Scenario.REQREP, Scenario.MEMORY), plan.scenarios());
    assertEquals(List.of(16, 1024), plan.sizes());
    assertEquals(5, plan.rounds());

    CompareCommand.Plan defaults = ((CompareCommand) NatsBench.commandLine()
        .parseArgs("compare", "--server-a", "a", "--server-b", "b").subcommand().commandSpec()
        .userObject()).plan();
    assertEquals(List.of("pub", "pubsub", "fanout", "fanout:64", "fanout:256", "queue", "reqrep",
        "reqrep:4", "churn", "slowsub"),
        defaults.specs().stream().map(ScenarioSpec::label).toList());
    assertEquals(List.of(16, 128), defaults.sizes());
    assertEquals(3, defaults.rounds());

    CompareCommand.Plan js = ((CompareCommand) NatsBench.commandLine()
        .parseArgs("compare", "--server-a", "a", "--scenarios", "js-pub:16,memory,pub")
        .subcommand().commandSpec().userObject()).plan();
    ScenarioSpec jsPub = js.specs().getFirst();
    assertEquals(new ScenarioSpec(Scenario.JS_PUB, 16), jsPub);
    assertEquals(List.of(128), js.sizesFor(jsPub), "JetStream scenarios use --js-sizes");
    assertEquals(List.of(0), js.sizesFor(js.specs().get(1)), "memory ignores sizes");
    assertEquals(List.of(16, 128), js.sizesFor(js.specs().get(2)));
  }

  @Test
  void serverCommandTemplate() {
    assertEquals(List.of("/usr/sbin/nats-server", "-a", "127.0.0.1", "-p", "4321"),
        ServerProcess.command("  /usr/sbin/nats-server  -a 127.0.0.1 -p {port} ", 4321));
    assertEquals(List.of("srv", "--listen=127.0.0.1:99"),
        ServerProcess.command("srv --listen=127.0.0.1:{port}", 99));
    assertThrows(IllegalArgumentException.class, () -> ServerProcess.command("   ", 1));
  }

  @Test
  void urlsAndCounts() {
    assertEquals(new NatsAddress("127.0.0.1", 4222), NatsAddress.parse("nats://127.0.0.1"));
    assertEquals(new NatsAddress("localhost", 1), NatsAddress.parse("localhost:1"));
    assertEquals(new NatsAddress("::1", 4222), NatsAddress.parse("nats://[::1]:4222"));
    assertThrows(IllegalArgumentException.class, () -> NatsAddress.parse("nats://h:0"));
    assertThrows(IllegalArgumentException.class, () -> NatsAddress.parse("nats://u:p@h:1"));
    assertEquals(20_000, CountConverter.parse("20K"));
    assertEquals(1_500_000, CountConverter.parse("1_500_000"));
    assertThrows(IllegalArgumentException.class, () -> CountConverter.parse("-5"));
  }

  @Test
  void compareTableMediansAndRatio() {
    assertEquals(2.0, CompareTable.median(new double[] {3, 1, 2}));
    assertEquals(2.5, CompareTable.median(new double[] {4, 1, 2, 3}));
    assertTrue(Double.isNaN(CompareTable.median(new double[0])));
    List<CompareTable.Run> runs = List.of(
        run("A", 1, 100), run("B", 1, 50), run("A", 2, 300), run("B", 2, 150),
        run("A", 3, 200), run("B", 3, 100),
        new CompareTable.Run("B", 4, Result.failed("pub", 16, "boom")));
    List<CompareTable.Row> rows = CompareTable.rows(runs);
    assertEquals(3, rows.size(), "msgs/s, server CPU per message, generator share");
    CompareTable.Row row = rows.getFirst();
    assertEquals(200, row.medianA());
    assertEquals(100, row.medianB());
    assertEquals(2.0, row.ratio());
    assertEquals(3, row.okB());
    assertEquals(4, row.runsB());
    String text = CompareTable.format(rows);
    assertTrue(text.contains("ratio (A/B)"), text);
    assertTrue(row.json().contains("\"ratio_a_b\":2.000"), row.json());
    assertTrue(rows.get(1).metric().equals("server_ns_per_msg"), rows.get(1).metric());
    assertEquals(1.0, rows.get(1).ratio(), 1e-9, "both sides 50 ns per message");
  }

  @Test
  void compareTableMarksSidesWithoutJetStream() {
    List<CompareTable.Run> runs = List.of(
        new CompareTable.Run("A", 1, Result.jsUnavailable("js-pub", 128, "no responders")),
        new CompareTable.Run("B", 1, new Result("js-pub", 128, true, null,
            java.util.Map.of("msgs_per_sec", 250_000.0))));
    List<CompareTable.Row> rows = CompareTable.rows(runs);
    assertEquals("A: JetStream not available", rows.getFirst().availability());
    String text = CompareTable.format(rows);
    assertTrue(text.contains("A: JetStream not available"), text);
    assertTrue(runs.getFirst().result().ok(), "unavailable is reported, not a failure");
  }

  @Test
  void scenarioSpecs() {
    assertEquals(new ScenarioSpec(Scenario.FANOUT, 256), ScenarioSpec.parse(" fanout:256 "));
    assertEquals("reqrep:4", ScenarioSpec.parse("reqrep:4").label());
    assertEquals("js-kv-get", ScenarioSpec.parse("js-kv-get").label());
    assertThrows(IllegalArgumentException.class, () -> ScenarioSpec.parse("churn:3"));
    assertThrows(IllegalArgumentException.class, () -> ScenarioSpec.parse("fanout:x"));
    assertThrows(IllegalArgumentException.class, () -> ScenarioSpec.parse("fanout:1001"));
  }

  private static CompareTable.Run run(String server, int round, double rate) {
    return new CompareTable.Run(server, round, new Result("pub", 16, true, null,
        java.util.Map.of("msgs_per_sec", rate, "server_ns_per_msg", 50.0)));
  }

  private static int run(String... args) {
    CommandLine cl = NatsBench.commandLine();
    cl.setOut(new PrintWriter(new StringWriter()));
    cl.setErr(new PrintWriter(new StringWriter()));
    return cl.execute(args);
  }
}
