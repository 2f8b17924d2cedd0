package nats.bench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import nats.bench.NatsBench;
import org.junit.jupiter.api.Test;

class StreamClusterTest {

  /** A stream info answer as Go 2.9.10 writes it (a placement's cluster string in the config). */
  private static final String INFO = "{\"type\":\"io.nats.jetstream.api.v1.stream_info_response\","
      + "\"config\":{\"name\":\"S\",\"subjects\":[\"js.>\"],\"num_replicas\":3,"
      + "\"placement\":{\"cluster\":\"bench\"}},\"created\":\"2026-12-07T13:00:00Z\","
      + "\"state\":{\"messages\":0,\"first_seq\":0},"
      + "\"cluster\":{\"name\":\"bench\",\"leader\":\"B1\",\"replicas\":["
      + "{\"name\":\"B0\",\"current\":true,\"active\":1234567,\"peer\":\"a{b\"},"
      + "{\"name\":\"B2\",\"current\":false,\"active\":99,\"lag\":3,\"peer\":\"xyz\"}]}}";

  @Test
  void readsLeaderAndReplicas() {
    StreamCluster c = StreamCluster.parse(INFO);
    assertEquals("B1", c.leader(), "the cluster block's leader, not a name of the config");
    assertEquals(List.of(new StreamCluster.Replica("B0", true), new StreamCluster.Replica("B2", false)),
        c.replicas(), "both followers with their current flag (a brace inside a string is skipped)");
    assertFalse(c.ready(3), "B2 is not current");
    assertTrue(StreamCluster.parse(INFO.replace("\"current\":false", "\"current\":true")).ready(3),
        "leader plus two current followers");
    assertFalse(StreamCluster.parse(INFO.replace("\"current\":false", "\"current\":true")).ready(5),
        "two followers are not four");
  }

  @Test
  void noLeaderYet() {
    StreamCluster spaced = StreamCluster.parse(
        "{\"cluster\" : { \"name\" : \"bench\", \"replicas\" : [ { \"name\" : \"A0\", \"leader\" : \"A0\","
            + " \"current\" : true } ] } }");
    assertNull(spaced.leader(), "a leader named inside a replica is not the stream's");
    assertEquals(List.of(new StreamCluster.Replica("A0", true)), spaced.replicas(), "spaced JSON");
    assertFalse(spaced.ready(2), "no leader");
    StreamCluster empty = StreamCluster.parse("{\"cluster\":{\"name\":\"bench\",\"leader\":\"\"}}");
    assertNull(empty.leader(), "an empty leader is none");
    assertFalse(StreamCluster.parse("{\"config\":{\"name\":\"S\"}}").ready(1), "no cluster block at all");
  }

  @Test
  void clusterScenariosOnlyUnderClusterCompare() {
    var js = NatsBench.commandLine().getSubcommands().get("js").getSubcommands();
    assertTrue(js.containsKey("pub"), "js pub stays");
    assertFalse(js.containsKey("pub-r3"), "needs a cluster: not a single-server js scenario");
    assertFalse(js.containsKey("failover"), "needs a cluster: not a single-server js scenario");
    assertTrue(Scenario.parse("js-pub-r3").clusterOnly(), "js-pub-r3");
    assertFalse(Scenario.JS_FAILOVER.warmsUp(), "a failover run kills a node: no warm-up run before it");
    assertEquals("failover_ms", CompareTable.metrics("js-failover").getFirst()[0],
        "the failover table shows the failover time");
    assertEquals("msgs_per_sec", CompareTable.metrics("js-pub-r3:16").getFirst()[0], "js-pub-r3 throughput");
    assertTrue(Scenario.parse("js-wq-r3").clusterOnly(), "js-wq-r3");
    assertFalse(js.containsKey("wq-r3"), "needs a cluster: not a single-server js scenario");
    assertEquals("workqueue", Scenario.JS_WQ_R3.retention(), "js-wq-r3 drains a work queue");
    assertEquals("interest", Scenario.JS_INTEREST_R3.retention(), "js-interest-r3 drains an interest stream");
    assertEquals("limits", Scenario.JS_FETCH_R3.retention(), "js-fetch-r3 keeps what it acks");
    assertEquals("drain_ms", CompareTable.metrics("js-wq-r3").get(2)[0], "the table shows the removal lag");
  }
}
