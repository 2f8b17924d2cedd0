package nats.bench.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The MQTT listener of a server started by {@code compare}: the configuration file that switches
 * it on (both servers require a server name and JetStream for MQTT), and the wait until it accepts
 * connections, which may come a little after the client port.
 *
 * @param port the listener's loopback port
 * @param conf the configuration file, given to the server with {@code -c}
 */
record MqttListener(int port, Path conf) {

  /** Writes {@code mqtt.conf} in {@code dir}, with the JetStream store below it. */
  static MqttListener configure(Path dir) throws IOException {
    int port = ServerProcess.freePort();
    String store = dir.resolve("store").toString().replace("\\", "\\\\");
    Path conf = Files.writeString(dir.resolve("mqtt.conf"), "server_name: nats_bench\n"
        + "jetstream { store_dir: \"" + store + "\" }\n"
        + "mqtt { host: 127.0.0.1, port: " + port + " }\n");
    return new MqttListener(port, conf);
  }

  /** @return the address the scenarios connect to */
  NatsAddress address() {
    return new NatsAddress("127.0.0.1", port);
  }

  /** Waits until the listener accepts a connection. */
  void awaitListening(ServerProcess server, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() - deadline < 0 && server.isAlive()) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
        return;
      } catch (IOException e) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", ie);
        }
      }
    }
    throw new IOException(server + " does not accept MQTT connections on port " + port
        + "; log:\n" + server.logTail(20));
  }
}
