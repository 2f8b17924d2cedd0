package nats.bench.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Client-side frames of the NATS text protocol, pre-encoded once. */
final class Protocol {
  private Protocol() {}

  static final byte[] CONNECT = ascii(
      "CONNECT {\"verbose\":false,\"pedantic\":false,\"headers\":true,\"no_responders\":true,"
          + "\"protocol\":1,\"name\":\"nats-bench\",\"lang\":\"java-raw\",\"version\":\"0.1.0\"}\r\n");
  /** CONNECT as {@link #CONNECT}, with a user whose password is its name (fanin's accounts). */
  static byte[] connectAs(String user) {
    String plain = new String(CONNECT, java.nio.charset.StandardCharsets.US_ASCII);
    return ascii(plain.replace("{\"verbose\"", "{\"user\":\"" + user + "\",\"pass\":\"" + user + "\",\"verbose\""));
  }

  static final byte[] PING = ascii("PING\r\n");
  static final byte[] PONG = ascii("PONG\r\n");

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** {@code SUB subject [queue] sid}. */
  static byte[] sub(String subject, String queue, int sid) {
    return ascii("SUB " + subject + (queue == null ? "" : " " + queue) + " " + sid + "\r\n");
  }

  /** {@code UNSUB sid}. */
  static byte[] unsub(int sid) {
    return ascii("UNSUB " + sid + "\r\n");
  }

  /** {@code PUB subject [reply] n} followed by the payload and CRLF. */
  static byte[] pub(String subject, String reply, byte[] payload) {
    byte[] head = ascii("PUB " + subject + (reply == null ? "" : " " + reply) + " "
        + payload.length + "\r\n");
    byte[] frame = Arrays.copyOf(head, head.length + payload.length + 2);
    System.arraycopy(payload, 0, frame, head.length, payload.length);
    frame[frame.length - 2] = '\r';
    frame[frame.length - 1] = '\n';
    return frame;
  }

  /** {@code PUB subject [reply] n} with a text body (JSON API requests). */
  static byte[] pub(String subject, String reply, String body) {
    return pub(subject, reply, body.getBytes(StandardCharsets.UTF_8));
  }

  /** A payload of printable bytes, so captured traffic stays readable. */
  static byte[] payload(int size) {
    byte[] p = new byte[size];
    for (int i = 0; i < size; i++) {
      p[i] = (byte) ('a' + i % 26);
    }
    return p;
  }

  /** The {@code MSG} frame length a subscriber receives for one message, for window sizing. */
  static int msgFrameLength(String subject, int size) {
    return ("MSG " + subject + " 99 " + size + "\r\n").length() + size + 2;
  }
}
