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
      for (Scenario s : new Scenario[] {Scenario.PUB, Scenario.PUBSUB, Scenario.REQREP,
          Scenario.CHURN, Scenario.JS_PUB}) {
        long t0 = System.nanoTime();
        Result r = Benchmarks.run(BenchConfig.defaults(s, addr).withMsgs(1000)
            .withCounts(1, 1, 1).withDurationLimit(1).withFlow(100, 1, 4096));
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
      Result r = Benchmarks.run(BenchConfig.defaults(Scenario.PUB,
          new NatsAddress("127.0.0.1", ss.getLocalPort())).withMsgs(100_000_000).withSize(1024)
          .withDurationLimit(1));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertFalse(r.complete(), r::toText);
      assertTrue(ms < 4_000, "took " + ms + " ms");
      server.interrupt();
    }
  }

  @Test
  @Timeout(20)
  void blockedRequestersAreReleasedAtTheDeadline() throws Exception {
    // Answers every PING with a PONG (so connections and subscriptions complete) but delivers
    // nothing: the requesters block in their reads until the watchdog closes them.
    try (ServerSocket ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread.ofPlatform().daemon(true).start(() -> {
        try {
          while (true) {
            Socket s = ss.accept();
            Thread.ofPlatform().daemon(true).start(() -> answerPings(s));
          }
        } catch (IOException e) {
          // closed at the end of the test
        }
      });
      NatsAddress addr = new NatsAddress("127.0.0.1", ss.getLocalPort());
      long t0 = System.nanoTime();
      Result r = Benchmarks.run(BenchConfig.defaults(Scenario.REQREP, addr).withMsgs(1000)
          .withCounts(1, 1, 2).withDurationLimit(1));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertFalse(r.complete(), r::toText);
      assertTrue(r.note().contains("duration limit"), r::toText);
      assertTrue(ms < 4_000, "took " + ms + " ms");
    }
  }

  private static void answerPings(Socket s) {
    try (s) {
      OutputStream out = s.getOutputStream();
      out.write("INFO {}\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      int matched = 0; // how much of "PING" was seen, across reads
      byte[] buf = new byte[4096];
      for (int n; (n = in.read(buf)) > 0; ) {
        for (int i = 0; i < n; i++) {
          matched = buf[i] == "PING".charAt(matched) ? matched + 1 : buf[i] == 'P' ? 1 : 0;
          if (matched == 4) {
            out.write("PONG\r\n".getBytes(StandardCharsets.US_ASCII));
            matched = 0;
          }
        }
      }
    } catch (IOException e) {
      // the tool closed the connection
    }
  }
}
