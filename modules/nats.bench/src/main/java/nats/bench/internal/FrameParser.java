package nats.bench.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Incremental parser for what a NATS server sends to a client.
 *
 * <p>It parses just enough to count messages: control lines ({@code MSG}, {@code HMSG},
 * {@code PING}, {@code PONG}, {@code +OK}, {@code -ERR}, {@code INFO}) are collected byte by
 * byte, while message payloads are skipped by length without being looked at, so a frame may be
 * split anywhere across reads. Not thread-safe: one parser belongs to one reading thread.
 */
public final class FrameParser {

  /** Receives each complete message; the arrays are only valid during the call. */
  @FunctionalInterface
  public interface MsgListener {
    /**
     * Called once per complete {@code MSG} or {@code HMSG} frame.
     *
     * @param line buffer holding the control line
     * @param subjOff offset of the subject in {@code line}
     * @param subjLen length of the subject
     * @param replyOff offset of the reply subject in {@code line}
     * @param replyLen length of the reply subject, 0 if there is none
     */
    void onMsg(byte[] line, int subjOff, int subjLen, int replyOff, int replyLen);
  }

  /** Raised when the byte stream is not valid server protocol. */
  public static final class ProtocolException extends java.io.IOException {
    ProtocolException(String message) {
      super(message);
    }
  }

  // A control line longer than this is a protocol error (INFO can be large with many URLs).
  private static final int MAX_LINE = 64 * 1024;

  private final MsgListener listener;
  // Token boundaries of the current line: at most 7 tokens matter (HMSG subj sid reply hdr tot).
  private final int[] tokStarts = new int[7];
  private final int[] tokEnds = new int[7];
  private byte[] line = new byte[512];
  private int lineLen;
  private long skip; // payload bytes still to skip
  private int trailer; // CRLF bytes still expected after a payload
  // Token positions of the current MSG/HMSG line, kept until its payload has been skipped.
  private int subjOff;
  private int subjLen;
  private int replyOff;
  private int replyLen;

  private long msgs;
  private long hmsgs;
  private boolean currentIsHmsg;
  private long pings;
  private long pongs;
  private long infos;
  private long oks;
  private long errs;
  private String lastError;

  /** Creates a parser that only counts. */
  public FrameParser() {
    this(null);
  }

  /**
   * Creates a parser that also reports each message.
   *
   * @param listener called per message, or {@code null}
   */
  public FrameParser(MsgListener listener) {
    this.listener = listener;
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
    while (pos < lim) {
      if (skip > 0) {
        int n = (int) Math.min(skip, lim - pos);
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
      } else {
        byte b = buf.get(pos++);
        if (b == '\n') {
          processLine();
          lineLen = 0;
        } else if (b != '\r') {
          append(b);
        }
      }
    }
    buf.position(pos);
  }

  private void append(byte b) throws ProtocolException {
    if (lineLen == line.length) {
      if (line.length >= MAX_LINE) {
        throw new ProtocolException("control line longer than " + MAX_LINE + " bytes");
      }
      line = java.util.Arrays.copyOf(line, line.length * 2);
    }
    line[lineLen++] = b;
  }

  private void msgDone() {
    msgs++;
    if (currentIsHmsg) {
      hmsgs++;
    }
    if (listener != null) {
      listener.onMsg(line, subjOff, subjLen, replyOff, replyLen);
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
      startPayload(n == 4 || n == 5, n == 5, n - 1, "MSG");
    } else if (opIs("HMSG", opLen)) {
      startPayload(n == 5 || n == 6, n == 6, n - 1, "HMSG");
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

  private void startPayload(boolean arity, boolean hasReply, int sizeTok, String op)
      throws ProtocolException {
    if (!arity) {
      throw new ProtocolException("malformed " + op + " line: " + preview());
    }
    currentIsHmsg = op.equals("HMSG");
    subjOff = tokStarts[1];
    subjLen = tokEnds[1] - subjOff;
    replyOff = hasReply ? tokStarts[3] : 0;
    replyLen = hasReply ? tokEnds[3] - replyOff : 0;
    skip = parseSize(tokStarts[sizeTok], tokEnds[sizeTok]);
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
