package nats.bench.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * A server address given as {@code nats://host:port}, {@code host:port} or {@code host}.
 *
 * @param host host name or IP literal
 * @param port TCP port
 */
public record NatsAddress(String host, int port) {

  /** The NATS default client port. */
  public static final int DEFAULT_PORT = 4222;

  /**
   * Parses a URL.
   *
   * @param url the address text
   * @return the parsed address
   * @throws IllegalArgumentException if it cannot be parsed
   */
  public static NatsAddress parse(String url) {
    String s = url.trim();
    if (s.startsWith("nats://")) {
      s = s.substring("nats://".length());
    } else if (s.startsWith("mqtt://")) { // the mqtt-* scenarios' listener
      s = s.substring("mqtt://".length());
    } else if (s.contains("://")) {
      throw new IllegalArgumentException("only nats:// and mqtt:// URLs are supported: " + url);
    }
    int at = s.lastIndexOf('@');
    if (at >= 0) {
      throw new IllegalArgumentException("credentials in URLs are not supported: " + url);
    }
    if (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    String host = s;
    int port = DEFAULT_PORT;
    int colon = s.lastIndexOf(':');
    if (colon >= 0 && s.indexOf(']') < colon) { // not inside an [IPv6] literal
      host = s.substring(0, colon);
      try {
        port = Integer.parseInt(s.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad port in URL: " + url, e);
      }
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.isEmpty() || port < 1 || port > 65535) {
      throw new IllegalArgumentException("bad URL: " + url);
    }
    return new NatsAddress(host, port);
  }

  /**
   * Refuses addresses that do not resolve to a loopback address: this tool generates heavy load
   * and is meant for servers on the same machine.
   *
   * @throws IllegalArgumentException if the host is not loopback
   */
  public void requireLoopback() {
    boolean loopback;
    try {
      loopback = InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("unknown host: " + host, e);
    }
    if (!loopback) {
      throw new IllegalArgumentException("only loopback servers (127.0.0.0/8, ::1, localhost)"
          + " may be targeted: " + this);
    }
  }

  /** @return a socket address for connecting */
  public InetSocketAddress socketAddress() {
    return new InetSocketAddress(host, port);
  }

  @Override
  public String toString() {
    return "nats://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
