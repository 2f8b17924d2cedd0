package nats.bench.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A view of one received {@code MSG}/{@code HMSG}, filled in and reused by its
 * {@link FrameParser}: valid only during the listener call, so nothing is allocated per message.
 * Requesters check replies with it, responders and pull consumers copy reply subjects from it.
 */
public final class MsgView {
  byte[] line;
  int subjOff;
  int subjLen;
  int replyOff;
  int replyLen;
  boolean hmsg;
  int hdrLen;
  long size;
  byte[] payload = new byte[0];
  int captured;

  MsgView() {}

  /** @return the subject */
  public String subject() {
    return new String(line, subjOff, subjLen, StandardCharsets.US_ASCII);
  }

  /** @return the reply subject, or {@code null} */
  public String reply() {
    return replyLen == 0 ? null : new String(line, replyOff, replyLen, StandardCharsets.US_ASCII);
  }

  /** @return true if the subject equals {@code expected} (ASCII bytes), without allocating */
  public boolean subjectIs(byte[] expected, int len) {
    return Arrays.equals(line, subjOff, subjOff + subjLen, expected, 0, len);
  }

  /** @return true if the reply subject starts with {@code prefix} */
  public boolean replyStartsWith(byte[] prefix) {
    return replyLen >= prefix.length
        && Arrays.equals(line, replyOff, replyOff + prefix.length, prefix, 0, prefix.length);
  }

  /** @return the buffer holding the control line (for copying the reply subject) */
  byte[] line() {
    return line;
  }

  int replyOff() {
    return replyOff;
  }

  int replyLen() {
    return replyLen;
  }

  /** @return true for an {@code HMSG} frame */
  public boolean hmsg() {
    return hmsg;
  }

  /** @return the header block's length (0 for {@code MSG}) */
  public int headerLength() {
    return hdrLen;
  }

  /** @return the total payload length, headers included */
  public long size() {
    return size;
  }

  /** @return the captured payload bytes (headers included) */
  byte[] payload() {
    return payload;
  }

  /** @return how many payload bytes were captured */
  int captured() {
    return captured;
  }

  /**
   * The status code of a header block that starts with {@code NATS/1.0 <code>} (503 no
   * responders, 404 not found, 408 request timeout), or 0 if there is none or it was not
   * captured.
   */
  public int status() {
    int n = Math.min(captured, hdrLen);
    int p = "NATS/1.0".length();
    if (!hmsg || n < p + 4 || payload[p] != ' ') {
      return 0;
    }
    int code = 0;
    for (int i = p + 1; i < p + 4; i++) {
      int d = payload[i] - '0';
      if (d < 0 || d > 9) {
        return 0;
      }
      code = code * 10 + d;
    }
    return code;
  }

  /** @return the value of header {@code name} as a number, or -1 if absent or not captured */
  public long headerLong(String name) {
    String headers = new String(payload, 0, Math.min(hdrLen, captured),
        StandardCharsets.US_ASCII);
    for (String h : headers.split("\r\n")) {
      int colon = h.indexOf(':');
      if (colon > 0 && h.substring(0, colon).trim().equalsIgnoreCase(name)) {
        try {
          return Long.parseLong(h.substring(colon + 1).trim());
        } catch (NumberFormatException e) {
          return -1;
        }
      }
    }
    return -1;
  }

  /** @return the captured body (after the headers) as text, for JSON replies */
  public String body() {
    int from = Math.min(hdrLen, captured);
    return new String(payload, from, captured - from, StandardCharsets.UTF_8);
  }

  /** @return true if the captured body contains the ASCII {@code needle} */
  public boolean bodyContains(byte[] needle) {
    int from = Math.min(hdrLen, captured);
    outer:
    for (int i = from; i + needle.length <= captured; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (payload[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
