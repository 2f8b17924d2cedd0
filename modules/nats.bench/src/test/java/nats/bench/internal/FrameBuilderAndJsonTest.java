package nats.bench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The request encoder, the publisher's batch sizing and the JSON look-ups of API replies. */
class FrameBuilderAndJsonTest {

  @Test
  void encodesFramesWithDecimalNumbers() {
    FrameBuilder fb = new FrameBuilder(4); // grows as needed
    for (long v : new long[] {0, 7, 10, 99, 100, 123_456_789_012L, Long.MAX_VALUE}) {
      fb.reset().bytes(Protocol.ascii("PUB a ")).decimal(v).ascii(' ').decimal(2).crlf();
      assertEquals("PUB a " + v + " 2\r\n", text(fb), "decimal " + v);
    }
    assertThrows(IllegalArgumentException.class, () -> fb.decimal(-1));
  }

  @Test
  void batchHoldsWholeCheckpointsAndWholeCycles() {
    byte[] f35 = new byte[35];
    assertEquals(10_000, Publisher.batchFrames(new byte[][] {f35}, 10_000),
        "350 KB of frames fit in the 1 MiB batch");
    assertEquals(1, Publisher.batchFrames(new byte[][] {f35}, 1));
    byte[] big = new byte[300_000];
    assertEquals(3, Publisher.batchFrames(new byte[][] {big}, 10_000), "bounded by 1 MiB");
    byte[][] cycle = new byte[100][];
    java.util.Arrays.fill(cycle, f35);
    assertEquals(0, Publisher.batchFrames(cycle, 10_000) % 100, "whole cycles of subjects");
  }

  @Test
  void readsFieldsOfApiReplies() {
    String err = "{\"type\":\"io.nats.jetstream.api.v1.stream_create_response\",\"error\":"
        + "{\"code\":400,\"err_code\":10058,\"description\":\"stream name \\\"x\\\" in use\"}}";
    assertTrue(Json.hasObject(err, "error"));
    assertEquals("stream name \"x\" in use", Json.stringField(err, "description"));
    assertEquals(10058, Json.longField(err, "err_code", -1));
    String info = "{\"state\": {\"messages\" : 200000, \"bytes\":1}, \"num_ack_pending\":0}";
    assertEquals(200_000, Json.longField(info, "messages", -1));
    assertEquals(0, Json.longField(info, "num_ack_pending", -1));
    assertEquals(-1, Json.longField(info, "missing", -1));
    assertFalse(Json.hasObject(info, "error"));
    assertNull(Json.stringField(info, "messages"), "a number is not a string");
  }

  @Test
  void apiReplyProblems() {
    assertEquals("no responders on $JS.API.X", new JsApi.Reply(503, "").problem("$JS.API.X"));
    assertTrue(new JsApi.Reply(-1, "").problem("s").contains("no answer"));
    assertEquals("s: bad", new JsApi.Reply(0,
        "{\"error\":{\"code\":500,\"description\":\"bad\"}}").problem("s"));
    assertNull(new JsApi.Reply(0, "{\"stream\":\"S\",\"seq\":1}").problem("s"));
  }

  private static String text(FrameBuilder fb) {
    return new String(fb.array(), 0, fb.length(), StandardCharsets.US_ASCII);
  }
}
