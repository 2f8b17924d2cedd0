package nats.bench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameParserTest {

  // Payloads deliberately contain CRLF and protocol words: they must be skipped by length.
  private static final String STREAM = ""
      + "INFO {\"server_id\":\"x\",\"max_payload\":1048576}\r\n"
      + "MSG foo 1 5\r\nhello\r\n"
      + "PING\r\n"
      + "MSG foo.bar 22 _INBOX.abc.1 13\r\nMSG x 1 2\r\n\r\n\r\n"
      + "+OK\r\n"
      + "HMSG hdr.subj 3 27 32\r\nNATS/1.0\r\nA: bcdefghijk\r\n\r\nhello\r\n"
      + "PONG\r\n"
      + "HMSG hdr.reply 3 reply.to 12 12\r\nNATS/1.0\r\n\r\n\r\n"
      + "msg lower 1 0\r\n\r\n"
      + "PING\r\n"
      + "MSG\tfoo\t1\t3\r\nabc\r\n";

  private record Seen(String subject, String reply) {}

  private static List<Seen> feedInChunks(FrameParser[] holder, int chunk) throws Exception {
    List<Seen> seen = new ArrayList<>();
    FrameParser p = new FrameParser((line, so, sl, ro, rl) -> seen.add(new Seen(
        new String(line, so, sl, StandardCharsets.US_ASCII),
        rl == 0 ? null : new String(line, ro, rl, StandardCharsets.US_ASCII))));
    holder[0] = p;
    byte[] bytes = STREAM.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer direct = ByteBuffer.allocateDirect(64);
    for (int off = 0; off < bytes.length; off += chunk) {
      int n = Math.min(chunk, bytes.length - off);
      direct.clear();
      direct.put(bytes, off, n).flip();
      p.feed(direct);
      assertFalse(direct.hasRemaining(), "feed consumes everything");
    }
    return seen;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 5, 7, 13, 64})
  void countsFramesSplitAnywhere(int chunk) throws Exception {
    FrameParser[] holder = new FrameParser[1];
    List<Seen> seen = feedInChunks(holder, chunk);
    FrameParser p = holder[0];
    assertEquals(6, p.msgs());
    assertEquals(2, p.hmsgs());
    assertEquals(2, p.pings());
    assertEquals(1, p.pongs());
    assertEquals(1, p.infos());
    assertEquals(1, p.oks());
    assertEquals(0, p.errors());
    assertTrue(p.atFrameBoundary());
    assertEquals(List.of(new Seen("foo", null), new Seen("foo.bar", "_INBOX.abc.1"),
        new Seen("hdr.subj", null), new Seen("hdr.reply", "reply.to"), new Seen("lower", null),
        new Seen("foo", null)), seen);
  }

  @Test
  void partialFrameIsNotCountedUntilComplete() throws Exception {
    FrameParser p = new FrameParser();
    p.feed(ascii("MSG a 1 10\r\n01234"));
    assertEquals(0, p.msgs());
    assertFalse(p.atFrameBoundary());
    p.feed(ascii("56789\r"));
    assertEquals(0, p.msgs());
    p.feed(ascii("\n"));
    assertEquals(1, p.msgs());
    assertTrue(p.atFrameBoundary());
  }

  @Test
  void recordsErrors() throws Exception {
    FrameParser p = new FrameParser();
    p.feed(ascii("-ERR 'Slow Consumer'\r\n"));
    assertEquals(1, p.errors());
    assertEquals("-ERR 'Slow Consumer'", p.lastError());
  }

  @Test
  void rejectsMalformedInput() {
    assertThrows(FrameParser.ProtocolException.class,
        () -> new FrameParser().feed(ascii("MSG a 1 x\r\n")));
    assertThrows(FrameParser.ProtocolException.class,
        () -> new FrameParser().feed(ascii("MSG a 1\r\n")));
    assertThrows(FrameParser.ProtocolException.class,
        () -> new FrameParser().feed(ascii("HMSG a 1 2\r\n")));
    assertThrows(FrameParser.ProtocolException.class,
        () -> new FrameParser().feed(ascii("BOGUS\r\n")));
    // Declared length 3 but 5 bytes follow: the byte after the payload is not CR.
    assertThrows(FrameParser.ProtocolException.class,
        () -> new FrameParser().feed(ascii("MSG a 1 3\r\nhello\r\n")));
  }

  @Test
  void largePayloadIsSkippedAcrossManyReads() throws Exception {
    FrameParser p = new FrameParser();
    p.feed(ascii("MSG big 1 1000000\r\n"));
    ByteBuffer chunk = ByteBuffer.allocate(4096);
    long left = 1_000_000;
    while (left > 0) {
      int n = (int) Math.min(left, chunk.capacity());
      chunk.clear().limit(n);
      p.feed(chunk);
      left -= n;
    }
    assertEquals(0, p.msgs());
    p.feed(ascii("\r\nPING\r\n"));
    assertEquals(1, p.msgs());
    assertEquals(1, p.pings());
  }

  private static ByteBuffer ascii(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
  }
}
