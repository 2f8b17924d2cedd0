package nats.bench.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A minimal MQTT 3.1.1 client on a blocking socket, for the {@code mqtt-*} scenarios: CONNECT
 * (clean session), SUBSCRIBE, PUBLISH at QoS 0 or 1, PUBACK. Frames are written into one buffer
 * and flushed in batches; packets are parsed in place from a read buffer, so counting deliveries
 * allocates nothing. One thread reads and one thread writes a client at a time.
 */
final class MqttClient implements AutoCloseable {
  static final int CONNACK = 0x20;
  static final int PUBLISH = 0x30;
  static final int PUBACK = 0x40;
  static final int SUBACK = 0x90;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private byte[] rbuf = new byte[64 * 1024];
  private int rpos;
  private int rlim;
  private final byte[] wbuf = new byte[64 * 1024];
  private int wlen;

  /** The last packet read: its type (high nibble of the first byte), its flags, its id. */
  int type;
  int flags;
  int packetId;
  /** Where the last PUBLISH's payload lies in {@link #payloadBuffer()}. */
  int payloadOff;
  int payloadLen;

  private MqttClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /**
   * Connects with a clean session and waits for a CONNACK that accepts it.
   *
   * @param address the server's MQTT listener
   * @param clientId the MQTT client identifier
   * @param control closes the socket when the run stops, to end a blocked read
   */
  static MqttClient connect(NatsAddress address, String clientId, RunControl control)
      throws IOException {
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.setReceiveBufferSize(1 << 20);
    s.setSendBufferSize(1 << 20);
    s.connect(new InetSocketAddress(address.host(), address.port()), 5000);
    MqttClient c = new MqttClient(s);
    control.closeOnStop(c);
    byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
    // Protocol name "MQTT", level 4, flags: clean session; keep-alive 60 s; the client id.
    byte[] body = new byte[10 + 2 + id.length];
    byte[] head = {0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 60};
    System.arraycopy(head, 0, body, 0, head.length);
    putString(body, 10, id);
    c.packet(0x10, body);
    c.flush();
    c.read();
    if (c.type != CONNACK || c.payloadLen != 2 || c.rbuf[c.payloadOff + 1] != 0) {
      c.close();
      throw new IOException("MQTT CONNECT of " + clientId + " not accepted (packet type 0x"
          + Integer.toHexString(c.type) + ")");
    }
    return c;
  }

  /** Subscribes to one filter and waits for its SUBACK; fails if the server refused it. */
  void subscribe(String filter, int qos) throws IOException {
    byte[] f = filter.getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[2 + 2 + f.length + 1];
    body[1] = 1; // packet id 1
    putString(body, 2, f);
    body[body.length - 1] = (byte) qos;
    packet(0x82, body);
    flush();
    read();
    if (type != SUBACK || (rbuf[payloadOff + payloadLen - 1] & 0x80) != 0) {
      throw new IOException("MQTT SUBSCRIBE to " + filter + " refused");
    }
  }

  /**
   * A PUBLISH frame to copy and patch per message: see {@link #idOffset} and
   * {@link #payloadOffset}.
   */
  static byte[] publishFrame(String topic, int qos, byte[] payload) {
    byte[] t = topic.getBytes(StandardCharsets.UTF_8);
    int remaining = 2 + t.length + (qos > 0 ? 2 : 0) + payload.length;
    byte[] len = remainingLength(remaining);
    byte[] frame = new byte[1 + len.length + remaining];
    frame[0] = (byte) (PUBLISH | qos << 1);
    System.arraycopy(len, 0, frame, 1, len.length);
    int at = putString(frame, 1 + len.length, t);
    at += qos > 0 ? 2 : 0;
    System.arraycopy(payload, 0, frame, at, payload.length);
    return frame;
  }

  /** Where a QoS 1 frame from {@link #publishFrame} holds its packet id. */
  static int idOffset(byte[] frame, int payloadLen) {
    return frame.length - payloadLen - 2;
  }

  /** Where a frame from {@link #publishFrame} starts its payload. */
  static int payloadOffset(byte[] frame, int payloadLen) {
    return frame.length - payloadLen;
  }

  /** Appends a whole frame to the write buffer, flushing first when it does not fit. */
  void write(byte[] frame) throws IOException {
    if (wlen + frame.length > wbuf.length) {
      flush();
      if (frame.length > wbuf.length) {
        out.write(frame);
        return;
      }
    }
    System.arraycopy(frame, 0, wbuf, wlen, frame.length);
    wlen += frame.length;
  }

  /** Appends a PUBACK for {@code id}. */
  void puback(int id) throws IOException {
    if (wlen + 4 > wbuf.length) {
      flush();
    }
    wbuf[wlen] = PUBACK;
    wbuf[wlen + 1] = 2;
    wbuf[wlen + 2] = (byte) (id >>> 8);
    wbuf[wlen + 3] = (byte) id;
    wlen += 4;
  }

  /** @return bytes waiting in the write buffer */
  int buffered() {
    return wlen;
  }

  void flush() throws IOException {
    if (wlen > 0) {
      out.write(wbuf, 0, wlen);
      wlen = 0;
    }
  }

  /** @return true if a packet's bytes are already here (read would not block on an empty socket) */
  boolean hasInput() throws IOException {
    return rlim > rpos || in.available() > 0;
  }

  /** @return the buffer the last PUBLISH's payload lies in (valid until the next read) */
  byte[] payloadBuffer() {
    return rbuf;
  }

  /**
   * Reads the next packet and sets {@link #type}, {@link #flags}, {@link #packetId} (PUBACK,
   * SUBACK and QoS 1 PUBLISH) and the payload's place (the whole body for other packets).
   */
  void read() throws IOException {
    fill(2);
    int first = rbuf[rpos] & 0xff;
    int length = 0;
    int shift = 0;
    int headerLen = 1; // relative to rpos: fill may move the unread bytes to the buffer's start
    while (true) {
      fill(headerLen + 1);
      int b = rbuf[rpos + headerLen++] & 0xff;
      length |= (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        break;
      }
      shift += 7;
      if (shift > 21) {
        throw new IOException("malformed MQTT remaining length");
      }
    }
    fill(headerLen + length);
    int body = rpos + headerLen;
    type = first & 0xf0;
    flags = first & 0x0f;
    packetId = 0;
    payloadOff = body;
    payloadLen = length;
    if (type == PUBLISH) {
      int topicLen = (rbuf[body] & 0xff) << 8 | rbuf[body + 1] & 0xff;
      int skip = 2 + topicLen;
      if ((flags & 0x06) != 0) {
        packetId = (rbuf[body + skip] & 0xff) << 8 | rbuf[body + skip + 1] & 0xff;
        skip += 2;
      }
      payloadOff = body + skip;
      payloadLen = length - skip;
    } else if (length >= 2 && (type == PUBACK || type == SUBACK)) {
      packetId = (rbuf[body] & 0xff) << 8 | rbuf[body + 1] & 0xff;
    }
    rpos = body + length;
  }

  /** Makes at least {@code n} unread bytes available from {@code rpos}, growing the buffer if needed. */
  private void fill(int n) throws IOException {
    if (rlim - rpos >= n) {
      return;
    }
    if (n > rbuf.length) {
      rbuf = Arrays.copyOf(rbuf, Math.max(n, rbuf.length * 2));
    }
    if (rpos + n > rbuf.length) {
      System.arraycopy(rbuf, rpos, rbuf, 0, rlim - rpos);
      rlim -= rpos;
      rpos = 0;
    }
    while (rlim - rpos < n) {
      int r = in.read(rbuf, rlim, rbuf.length - rlim);
      if (r < 0) {
        throw new IOException("MQTT server closed the connection");
      }
      rlim += r;
    }
  }

  private void packet(int header, byte[] body) throws IOException {
    byte[] len = remainingLength(body.length);
    byte[] frame = new byte[1 + len.length + body.length];
    frame[0] = (byte) header;
    System.arraycopy(len, 0, frame, 1, len.length);
    System.arraycopy(body, 0, frame, 1 + len.length, body.length);
    write(frame);
  }

  private static int putString(byte[] dst, int at, byte[] s) {
    dst[at] = (byte) (s.length >>> 8);
    dst[at + 1] = (byte) s.length;
    System.arraycopy(s, 0, dst, at + 2, s.length);
    return at + 2 + s.length;
  }

  private static byte[] remainingLength(int n) {
    byte[] tmp = new byte[4];
    int i = 0;
    do {
      int b = n & 0x7f;
      n >>>= 7;
      tmp[i++] = (byte) (n > 0 ? b | 0x80 : b);
    } while (n > 0);
    return Arrays.copyOf(tmp, i);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
