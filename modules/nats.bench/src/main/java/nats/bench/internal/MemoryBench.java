package nats.bench.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code memory} scenario: opens C idle client connections (each completes CONNECT and a
 * PING/PONG round trip), then reads the server's resident memory from {@code /proc}.
 *
 * <p>Plain blocking sockets keep this at one file descriptor per connection; a selector per
 * connection would double that.
 */
final class MemoryBench {
  // Descriptors the JVM and the rest of the tool need besides the test connections.
  private static final int FD_HEADROOM = 256;

  private MemoryBench() {}

  /** @return an error message if {@code ulimit -n} is too low for {@code conns}, else null */
  static String checkFileLimit(int conns, long serverPid) {
    long self = ProcFs.maxOpenFiles("self");
    if (self >= 0 && self < conns + FD_HEADROOM) {
      return "ulimit -n is " + self + " but --conns " + conns + " needs at least "
          + (conns + FD_HEADROOM) + " open files: raise it (e.g. `ulimit -n 65536`)"
          + " or lower --conns";
    }
    if (serverPid > 0) {
      long server = ProcFs.maxOpenFiles(Long.toString(serverPid));
      if (server >= 0 && server < conns + 64) {
        return "the server process " + serverPid + " may open only " + server
            + " files but --conns is " + conns + ": raise its ulimit -n or lower --conns";
      }
    }
    return null;
  }

  static Result run(BenchConfig cfg) throws Exception {
    String limitError = checkFileLimit(cfg.conns(), cfg.pid());
    if (limitError != null) {
      return Result.failed("memory", 0, limitError);
    }
    RunControl control = new RunControl(cfg.durationLimitSeconds());
    long before = cfg.pid() > 0 ? ProcFs.rssKbTree(cfg.pid()) : -1;
    List<Socket> sockets = new ArrayList<>(cfg.conns());
    ByteBuffer buf = ByteBuffer.allocate(8192);
    long start = System.nanoTime();
    try {
      for (int i = 0; i < cfg.conns() && !control.shouldStop(); i++) {
        Socket s = new Socket();
        sockets.add(s);
        handshake(s, cfg.address(), buf, control);
      }
      long connectNanos = System.nanoTime() - start;
      // Let the server finish any lazy per-connection allocation before sampling.
      Thread.sleep(Math.min(500, control.remainingMillis()));
      long after = cfg.pid() > 0 ? ProcFs.rssKbTree(cfg.pid()) : -1;
      int opened = sockets.size();
      boolean measured = cfg.pid() <= 0 || (before >= 0 && after >= 0);
      boolean complete = opened == cfg.conns() && !control.expired() && measured;
      Map<String, Number> m = new LinkedHashMap<>();
      m.put("conns", opened);
      m.put("connect_ms", connectNanos / 1_000_000);
      m.put("rss_before_kb", before);
      m.put("rss_after_kb", after);
      if (before >= 0 && after >= 0 && opened > 0) {
        m.put("rss_per_conn_bytes", (after - before) * 1024 / opened);
      }
      String note = opened < cfg.conns() ? "opened " + opened + " of " + cfg.conns()
          + " connections within the duration limit"
          : !measured ? "cannot read VmRSS of process " + cfg.pid() + " from /proc"
          : cfg.pid() <= 0 ? "no --pid given: server memory not measured" : null;
      return new Result("memory", 0, complete, note, m);
    } catch (IOException e) {
      return Result.failed("memory", 0, "connection " + sockets.size() + ": " + e.getMessage());
    } finally {
      for (Socket s : sockets) {
        try {
          s.close();
        } catch (IOException ignored) {
          // Best effort: the process is about to drop them anyway.
        }
      }
    }
  }

  private static void handshake(Socket s, NatsAddress address, ByteBuffer buf, RunControl control)
      throws IOException {
    int timeout = (int) Math.min(10_000, control.remainingMillis());
    s.connect(new InetSocketAddress(address.host(), address.port()), timeout);
    s.setSoTimeout(timeout);
    FrameParser parser = new FrameParser();
    InputStream in = s.getInputStream();
    readUntil(in, buf, parser, control, () -> parser.infos() > 0);
    s.getOutputStream().write(Protocol.CONNECT);
    s.getOutputStream().write(Protocol.PING);
    readUntil(in, buf, parser, control, () -> parser.pongs() > 0);
  }

  private static void readUntil(InputStream in, ByteBuffer buf, FrameParser parser,
      RunControl control, java.util.function.BooleanSupplier done) throws IOException {
    while (!done.getAsBoolean()) {
      control.check("memory handshake");
      int n = in.read(buf.array());
      if (n < 0) {
        throw new IOException("closed by server" + (parser.lastError() == null ? ""
            : " (" + parser.lastError() + ")"));
      }
      parser.feed(buf.clear().limit(n));
      if (parser.errors() > 0) {
        throw new IOException("server error: " + parser.lastError());
      }
    }
  }
}
