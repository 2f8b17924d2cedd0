package nats.bench.internal;

import java.util.Arrays;

/**
 * Builds protocol frames in one reused byte array, so a client that needs a different frame per
 * request (a unique reply inbox, a key) encodes it without allocating.
 */
final class FrameBuilder {
  private byte[] buf;
  private int len;

  FrameBuilder(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  FrameBuilder reset() {
    len = 0;
    return this;
  }

  FrameBuilder bytes(byte[] b) {
    return bytes(b, 0, b.length);
  }

  FrameBuilder bytes(byte[] b, int off, int n) {
    ensure(n);
    System.arraycopy(b, off, buf, len, n);
    len += n;
    return this;
  }

  FrameBuilder ascii(char c) {
    ensure(1);
    buf[len++] = (byte) c;
    return this;
  }

  /** Appends a non-negative number in decimal. */
  FrameBuilder decimal(long v) {
    if (v < 0) {
      throw new IllegalArgumentException("negative: " + v);
    }
    int digits = 1;
    for (long t = v; t >= 10; t /= 10) {
      digits++;
    }
    ensure(digits);
    for (int i = len + digits - 1; i >= len; i--) {
      buf[i] = (byte) ('0' + v % 10);
      v /= 10;
    }
    len += digits;
    return this;
  }

  FrameBuilder crlf() {
    ensure(2);
    buf[len++] = '\r';
    buf[len++] = '\n';
    return this;
  }

  /** @return the internal array; valid up to {@link #length()} until the next change */
  byte[] array() {
    return buf;
  }

  int length() {
    return len;
  }

  /** @return a copy of the built bytes */
  byte[] toBytes() {
    return Arrays.copyOf(buf, len);
  }

  private void ensure(int n) {
    if (len + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }
  }
}
