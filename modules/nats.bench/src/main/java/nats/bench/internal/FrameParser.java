package nats.bench.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Incremental parser for what a NATS server sends to a client.
 *
 * <p>It parses just enough to count messages: control lines ({@code MSG}, {@code HMSG},
 * {@code PING}, {@code PONG}, {@code +OK}, {@code -ERR}, {@code INFO}) are collected, while
 * message payloads are skipped by length (or, for request/reply clients, copied up to a limit),
 * so a frame may be split anywhere across reads. A counting subscriber can announce the exact
 * {@code MSG} frame it expects ({@link #expectMsg}); whole frames of that shape are then counted
 * by comparing eight bytes at a time and jumping over the payload, without building anything.
 * Not thread-safe: one parser belongs to one reading thread.
 */
public final class FrameParser {

  /** Receives each complete message; the view is reused and only valid during the call. */
  @FunctionalInterface
  public interface MsgListener {
    /**
     * Called once per complete {@code MSG} or {@code HMSG} frame.
     *
     * @param m the frame's subject, reply, header length and (if captured) payload
     */
    void onMsg(MsgView m);
  }

  /** Raised when the byte stream is not valid server protocol. */
  public static final class ProtocolException extends java.io.IOException {
    ProtocolException(String message) {
      super(message);
    }
  }

  // A control line longer than this is a protocol error (INFO can be large with many URLs).
  private static final int MAX_LINE = 64 * 1024;
  private static final short CRLF = ('\r' << 8) | '\n';

  private final MsgListener listener;
  private final int captureLimit;
  private final MsgView msg = new MsgView();
  // Token boundaries of the current line: at most 7 tokens matter (HMSG subj sid reply hdr tot).
  private final int[] tokStarts = new int[7];
  private final int[] tokEnds = new int[7];
  private byte[] line = new byte[512];
  private int lineLen;
  private long skip; // payload bytes still to skip
  private int trailer; // CRLF bytes still expected after a payload

  // The expected MSG frame of the fast path: header bytes as big-endian words with masks (a '?'
  // in the subject matches any byte), frame length.
  private byte[] fastHeader;
  private byte[] fastMask;
  private long[] fastWords;
  private long[] fastMasks;
  private int fastLen;

  private long msgs;
  private long hmsgs;
  private long fastMsgs;
  private long pings;
  private long pongs;
  private long infos;
  private long oks;
  private long errs;
  private String lastError;

  /** Creates a parser that only counts. */
  public FrameParser() {
    this(null, 0);
  }

  /**
   * Creates a parser that also reports each message.
   *
   * @param listener called per message, or {@code null}
   * @param captureLimit payload bytes (headers included) copied for the listener; 0 for none
   */
  public FrameParser(MsgListener listener, int captureLimit) {
    this.listener = listener;
    this.captureLimit = captureLimit;
  }

  /**
   * Announces the frame a counting subscriber expects, {@code MSG <subject> <sid> <size>}, so
   * runs of such frames are counted without parsing their control lines; a {@code '?'} in the
   * subject stands for any one byte (for subjects of equal length, {@code c.x.p00} to
   * {@code c.x.p99}). Anything else still goes through the full parser, so a server that formats
   * frames differently is only slower to count, never miscounted.
   */
  public void expectMsg(String subject, int sid, int size) {
    byte[] header = ("MSG " + subject + " " + sid + " " + size + "\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    byte[] mask = new byte[header.length];
    for (int i = 0; i < header.length; i++) {
      boolean any = i >= 4 && i < 4 + subject.length() && header[i] == '?';
      mask[i] = any ? 0 : (byte) 0xFF;
      header[i] = any ? 0 : header[i];
    }
    fastHeader = header;
    fastMask = mask;
    fastWords = new long[header.length / 8];
    fastMasks = new long[fastWords.length];
    ByteBuffer h = ByteBuffer.wrap(header); // big-endian, like the read buffers
    ByteBuffer k = ByteBuffer.wrap(mask);
    for (int i = 0; i < fastWords.length; i++) {
      fastWords[i] = h.getLong(i * 8);
      fastMasks[i] = k.getLong(i * 8);
    }
    fastLen = header.length + size + 2;
  }

  /**
   * Consumes all remaining bytes of {@code buf}.
   *
   * @param buf bytes read from the server; its position is advanced to its limit
   * @throws ProtocolException if the bytes are not server protocol
   */
  public void feed(ByteBuffer buf) throws ProtocolException {
    int pos = buf.position();
    int lim = buf.limit();
    boolean fast = fastLen > 0 && listener == null && buf.order() == ByteOrder.BIG_ENDIAN;
    while (pos < lim) {
      if (skip > 0) {
        int n = (int) Math.min(skip, lim - pos);
        capture(buf, pos, n);
        pos += n;
        skip -= n;
      } else if (trailer > 0) {
        byte b = buf.get(pos++);
        if (b != (trailer == 2 ? '\r' : '\n')) {
          throw new ProtocolException("payload not followed by CRLF (payload length mismatch)");
        }
        if (--trailer == 0) {
          msgDone();
        }
      } else if (fast && lineLen == 0 && (pos = countExpected(buf, pos, lim)) == lim) {
        break;
      } else {
        pos = scanLine(buf, pos, lim);
      }
    }
    buf.position(pos);
  }

  /** Counts whole expected frames from a frame boundary; returns where they stop matching. */
  private int countExpected(ByteBuffer buf, int pos, int lim) {
    long[] words = fastWords;
    long[] masks = fastMasks;
    byte[] header = fastHeader;
    byte[] mask = fastMask;
    int tail = words.length * 8;
    int frame = fastLen;
    long n = 0;
    frames:
    while (lim - pos >= frame) {
      for (int i = 0; i < words.length; i++) {
        if ((buf.getLong(pos + i * 8) & masks[i]) != words[i]) {
          break frames;
        }
      }
      for (int i = tail; i < header.length; i++) {
        if ((buf.get(pos + i) & mask[i]) != header[i]) {
          break frames;
        }
      }
      if (buf.getShort(pos + frame - 2) != CRLF) {
        break;
      }
      n++;
      pos += frame;
    }
    msgs += n;
    fastMsgs += n;
    return pos;
  }

  /** Collects control-line bytes up to and including the next LF. */
  private int scanLine(ByteBuffer buf, int pos, int lim) throws ProtocolException {
    int end = pos;
    while (end < lim && buf.get(end) != '\n') {
      end++;
    }
    append(buf, pos, end - pos);
    if (end == lim) {
      return lim;
    }
    if (lineLen > 0 && line[lineLen - 1] == '\r') {
      lineLen--;
    }
    processLine();
    lineLen = 0;
    return end + 1;
  }

  private void append(ByteBuffer buf, int from, int n) throws ProtocolException {
    if (lineLen + n > line.length) {
      if (lineLen + n > MAX_LINE) {
        throw new ProtocolException("control line longer than " + MAX_LINE + " bytes");
      }
      line = Arrays.copyOf(line, Math.min(MAX_LINE, Math.max(line.length * 2, lineLen + n)));
    }
    buf.get(from, line, lineLen, n);
    lineLen += n;
  }

  private void capture(ByteBuffer buf, int pos, int n) {
    if (captureLimit <= 0) {
      return;
    }
    int room = msg.payload.length - msg.captured;
    int k = Math.min(n, room);
    if (k > 0) {
      buf.get(pos, msg.payload, msg.captured, k);
      msg.captured += k;
    }
  }

  private void msgDone() {
    msgs++;
    if (msg.hmsg) {
      hmsgs++;
    }
    if (listener != null) {
      listener.onMsg(msg);
    }
  }

  private void processLine() throws ProtocolException {
    int[] starts = tokStarts;
    int[] ends = tokEnds;
    int n = 0;
    int i = 0;
    while (i < lineLen && n < starts.length) {
      while (i < lineLen && isSpace(line[i])) {
        i++;
      }
      if (i == lineLen) {
        break;
      }
      starts[n] = i;
      while (i < lineLen && !isSpace(line[i])) {
        i++;
      }
      ends[n++] = i;
    }
    if (n == 0) {
      return; // tolerate empty lines
    }
    int opLen = ends[0] - starts[0];
    if (opIs("MSG", opLen)) {
      startPayload(n == 4 || n == 5, n == 5, false, n);
    } else if (opIs("HMSG", opLen)) {
      startPayload(n == 5 || n == 6, n == 6, true, n);
    } else if (opIs("PING", opLen)) {
      pings++;
    } else if (opIs("PONG", opLen)) {
      pongs++;
    } else if (opIs("+OK", opLen)) {
      oks++;
    } else if (opIs("-ERR", opLen)) {
      errs++;
      lastError = new String(line, 0, lineLen, StandardCharsets.UTF_8);
    } else if (opIs("INFO", opLen)) {
      infos++;
    } else {
      throw new ProtocolException("unknown server operation: " + preview());
    }
  }

  private void startPayload(boolean arity, boolean hasReply, boolean hmsg, int tokens)
      throws ProtocolException {
    if (!arity) {
      throw new ProtocolException("malformed " + (hmsg ? "HMSG" : "MSG") + " line: " + preview());
    }
    MsgView m = msg;
    m.line = line;
    m.hmsg = hmsg;
    m.subjOff = tokStarts[1];
    m.subjLen = tokEnds[1] - m.subjOff;
    m.replyOff = hasReply ? tokStarts[3] : 0;
    m.replyLen = hasReply ? tokEnds[3] - m.replyOff : 0;
    long size = parseSize(tokStarts[tokens - 1], tokEnds[tokens - 1]);
    long hdr = hmsg ? parseSize(tokStarts[tokens - 2], tokEnds[tokens - 2]) : 0;
    if (hdr > size) {
      throw new ProtocolException("header size larger than total size: " + preview());
    }
    m.hdrLen = (int) hdr;
    m.size = size;
    m.captured = 0;
    if (captureLimit > 0 && m.payload.length < Math.min(size, captureLimit)) {
      // Grows once to the largest payload seen (bounded by the limit), then is reused.
      m.payload = new byte[(int) Math.min(captureLimit, Math.max(size, 2L * m.payload.length))];
    }
    skip = size;
    trailer = 2;
  }

  private long parseSize(int from, int to) throws ProtocolException {
    if (to - from > 12) {
      throw new ProtocolException("payload size too large: " + preview());
    }
    long v = 0;
    for (int i = from; i < to; i++) {
      int d = line[i] - '0';
      if (d < 0 || d > 9) {
        throw new ProtocolException("bad payload size: " + preview());
      }
      v = v * 10 + d;
    }
    return v;
  }

  private boolean opIs(String op, int opLen) {
    if (opLen != op.length()) {
      return false;
    }
    int s = tokStarts[0];
    for (int i = 0; i < opLen; i++) {
      if ((line[s + i] & 0xDF) != (op.charAt(i) & 0xDF)) { // ASCII case-insensitive
        return false;
      }
    }
    return true;
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\t';
  }

  private String preview() {
    return new String(line, 0, Math.min(lineLen, 200), StandardCharsets.UTF_8);
  }

  /** @return complete messages ({@code MSG} and {@code HMSG}) seen so far */
  public long msgs() {
    return msgs;
  }

  /** @return how many of {@link #msgs()} were {@code HMSG} frames */
  public long hmsgs() {
    return hmsgs;
  }

  /** @return how many of {@link #msgs()} the fast path of {@link #expectMsg} counted */
  public long fastMsgs() {
    return fastMsgs;
  }

  /** @return {@code PING}s received so far */
  public long pings() {
    return pings;
  }

  /** @return {@code PONG}s received so far */
  public long pongs() {
    return pongs;
  }

  /** @return {@code INFO} lines received so far */
  public long infos() {
    return infos;
  }

  /** @return {@code +OK} lines received so far */
  public long oks() {
    return oks;
  }

  /** @return {@code -ERR} lines received so far */
  public long errors() {
    return errs;
  }

  /** @return the last {@code -ERR} line, or {@code null} */
  public String lastError() {
    return lastError;
  }

  /** @return true if the parser is between frames (nothing partially read) */
  public boolean atFrameBoundary() {
    return lineLen == 0 && skip == 0 && trailer == 0;
  }
}
