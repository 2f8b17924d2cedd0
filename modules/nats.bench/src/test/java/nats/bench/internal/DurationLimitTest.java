package nats.bench.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A server that accepts but never answers must not hang the tool past its duration limit. */
class DurationLimitTest {

  @Test
  @Timeout(20)
  void silentServerEndsWithinTheLimit() throws Exception {
    try (ServerSocket ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      List<Socket> accepted = new ArrayList<>();
      Thread.ofPlatform().daemon(true).start(() -> {
        try {
          while (true) {
            accepted.add(ss.accept()); // never writes INFO
          }
        } catch (IOException e) {
          // closed at the end of the test
        }
      });
      NatsAddress addr = new NatsAddress("127.0.0.1", ss.getLocalPort());
      for (Scenario s : new Scenario[] {Scenario.PUB, Scenario.PUBSUB, Scenario.REQREP}) {
        long t0 = System.nanoTime();
        Result r = Benchmarks.run(new BenchConfig(s, addr, 1000, 16, 1, 1, 1, 0, 100, 1, 4096,
            1, 0));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertFalse(r.complete(), r::toText);
        assertTrue(ms < 4_000, s + " took " + ms + " ms");
      }
      for (Socket s : accepted) {
        s.close();
      }
    }
    // Closing the listener ended the acceptor.
  }

  @Test
  @Timeout(20)
  void serverThatStopsReadingIsBounded() throws Exception {
    // Sends INFO and answers the handshake PING, then never reads again: the publisher fills the
    // socket buffers and must give up at the deadline.
    try (ServerSocket ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread server = Thread.ofPlatform().daemon(true).start(() -> {
        try (Socket s = ss.accept()) {
          OutputStream out = s.getOutputStream();
          out.write("INFO {}\r\n".getBytes(StandardCharsets.US_ASCII));
          InputStream in = s.getInputStream();
          byte[] buf = new byte[256];
          StringBuilder seen = new StringBuilder();
          while (!seen.toString().contains("PING\r\n")) {
            int n = in.read(buf);
            if (n < 0) {
              return;
            }
            seen.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
          }
          out.write("PONG\r\n".getBytes(StandardCharsets.US_ASCII));
          Thread.sleep(10_000);
        } catch (IOException | InterruptedException e) {
          // test over
        }
      });
      long t0 = System.nanoTime();
      Result r = Benchmarks.run(new BenchConfig(Scenario.PUB,
          new NatsAddress("127.0.0.1", ss.getLocalPort()), 100_000_000, 1024, 1, 1, 1, 0,
          10_000, 4, 4096, 1, 0));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertFalse(r.complete(), r::toText);
      assertTrue(ms < 4_000, "took " + ms + " ms");
      server.interrupt();
    }
  }
}
