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
    FrameParser p = new FrameParser(m -> seen.add(new Seen(m.subject(), m.reply())), 0);
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

  // Fast path: the frame a subscriber expects is counted without parsing its control line.
  private static final String FRAME = "MSG f.ab12c 1 16\r\n0123456789abcdef\r\n"; // 18 + 16 + 2

  @ParameterizedTest
  @ValueSource(ints = {1, 5, 17, 18, 35, 36, 37, 100, 4096})
  void expectedFramesAreCountedByTheFastPathSplitAnywhere(int chunk) throws Exception {
    FrameParser p = new FrameParser();
    p.expectMsg("f.ab12c", 1, 16);
    // 200 expected frames with a PING in the middle and an odd frame (reply subject) after it.
    String stream = FRAME.repeat(100) + "PING\r\n" + "MSG f.ab12c 1 r.x 16\r\n0123456789abcdef\r\n"
        + FRAME.repeat(100);
    feed(p, stream, chunk, true);
    assertEquals(201, p.msgs(), "every MSG counted once");
    assertEquals(1, p.pings(), "the PING between the frames is seen");
    assertTrue(p.atFrameBoundary(), "nothing left half-read");
    if (chunk >= 4096) {
      // Only the frame cut by the chunk border goes the slow way.
      assertTrue(p.fastMsgs() >= 198, "whole expected frames take the fast path: " + p.fastMsgs());
    }
  }

  @Test
  void fastPathNeverCountsAFrameOfAnotherShape() throws Exception {
    FrameParser p = new FrameParser();
    p.expectMsg("f.ab12c", 1, 16);
    // Same length as the expected frame but another sid, and a frame whose payload is 15 bytes.
    p.feed(ascii("MSG f.ab12c 2 16\r\n0123456789abcdef\r\n"
        + "MSG f.ab12c 1 15\r\n0123456789abcde\r\n"));
    assertEquals(2, p.msgs(), "both are messages");
    assertEquals(0, p.fastMsgs(), "neither has the announced shape");
    // The announced size but the bytes after the payload are not CRLF: a protocol error.
    FrameParser q = new FrameParser();
    q.expectMsg("f.ab12c", 1, 16);
    assertThrows(FrameParser.ProtocolException.class,
        () -> q.feed(ascii("MSG f.ab12c 1 16\r\n0123456789abcdefXY")));
  }

  @Test
  void questionMarksInTheExpectedSubjectMatchAnyByte() throws Exception {
    FrameParser p = new FrameParser();
    p.expectMsg("c.x.p??", 1, 2);
    p.feed(ascii("MSG c.x.p00 1 2\r\nhi\r\nMSG c.x.p97 1 2\r\nhi\r\nMSG c.x.q97 1 2\r\nhi\r\n"));
    assertEquals(3, p.msgs());
    assertEquals(2, p.fastMsgs(), "p00 and p97 match c.x.p??, q97 does not");
  }

  @Test
  void capturesPayloadHeadersAndStatus() throws Exception {
    List<String> seen = new ArrayList<>();
    FrameParser p = new FrameParser(m -> seen.add(m.status() + "|" + m.body() + "|"
        + m.headerLong("Nats-Pending-Messages") + "|" + m.headerLength() + "|" + m.size()), 64);
    String hdr = "NATS/1.0 408 Request Timeout\r\nNats-Pending-Messages: 7\r\n\r\n";
    p.feed(ascii("HMSG _INBOX.x 1 " + hdr.length() + " " + hdr.length() + "\r\n" + hdr + "\r\n"
        + "MSG _INBOX.y 1 22\r\n{\"stream\":\"S\",\"seq\":1}\r\n"
        + "HMSG i 1 12 12\r\nNATS/1.0 503\r\n"));
    p.feed(ascii("\r\n"));
    assertEquals(List.of("408||7|" + hdr.length() + "|" + hdr.length(),
        "0|{\"stream\":\"S\",\"seq\":1}|-1|0|22", "503||-1|12|12"), seen);
  }

  @Test
  void captureIsBoundedByItsLimit() throws Exception {
    List<String> seen = new ArrayList<>();
    FrameParser p = new FrameParser(m -> seen.add(m.body()), 4);
    p.feed(ascii("MSG a 1 10\r\n0123456789\r\nMSG a 1 2\r\nxy\r\n"));
    assertEquals(List.of("0123", "xy"), seen, "at most 4 bytes kept, the rest skipped");
  }

  private static void feed(FrameParser p, String stream, int chunk, boolean direct)
      throws Exception {
    byte[] bytes = stream.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer buf = direct ? ByteBuffer.allocateDirect(chunk) : ByteBuffer.allocate(chunk);
    for (int off = 0; off < bytes.length; off += chunk) {
      int n = Math.min(chunk, bytes.length - off);
      buf.clear();
      buf.put(bytes, off, n).flip();
      p.feed(buf);
      assertFalse(buf.hasRemaining(), "feed consumes everything");
    }
  }

  private static ByteBuffer ascii(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
  }
}
