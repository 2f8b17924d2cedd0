package nats.bench.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A server under test, started as a child process on a free loopback port.
 *
 * <p>The command is split on spaces and every {@code {port}} is replaced by the chosen port.
 * Output goes to a temporary log file, shown when the server fails to start and deleted after a
 * clean stop. A shutdown hook kills servers still running if the tool itself is interrupted.
 */
public final class ServerProcess implements AutoCloseable {
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(p -> {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }), "nats-bench-server-reaper"));
  }

  private final String label;
  private final Process process;
  private final int port;
  private final Path log;

  private ServerProcess(String label, Process process, int port, Path log) {
    this.label = label;
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Splits a command template on spaces and substitutes {@code {port}}.
   *
   * @param template e.g. {@code nats-server -a 127.0.0.1 -p {port}}
   * @param port the port to substitute
   * @return the argument list
   */
  public static List<String> command(String template, int port) {
    List<String> cmd = new ArrayList<>();
    for (String part : template.trim().split(" +")) {
      if (!part.isEmpty()) {
        cmd.add(part.replace("{port}", Integer.toString(port)));
      }
    }
    if (cmd.isEmpty()) {
      throw new IllegalArgumentException("empty server command");
    }
    return cmd;
  }

  /** @return a loopback port that was free a moment ago */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * Starts the server and waits until its port accepts a connection that receives INFO.
   *
   * @param label name used in messages, e.g. "A"
   * @param template command template containing {@code {port}}
   * @param startTimeout how long to wait for readiness
   * @return the running server
   * @throws IOException if it exits early or is not ready in time (its log tail is included)
   */
  public static ServerProcess start(String label, String template, Duration startTimeout)
      throws IOException {
    int port = freePort();
    List<String> cmd = command(template, port);
    Path log = Files.createTempFile("nats-bench-server-" + label + "-", ".log");
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      Files.deleteIfExists(log);
      throw new IOException("server " + label + ": cannot run " + cmd + ": " + e.getMessage(), e);
    }
    LIVE.add(p);
    ServerProcess sp = new ServerProcess(label, p, port, log);
    try {
      sp.awaitReady(startTimeout);
      return sp;
    } catch (IOException e) {
      sp.stop();
      throw e;
    }
  }

  private void awaitReady(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() - deadline < 0) {
      if (!process.isAlive()) {
        throw new IOException("server " + label + " exited with code " + process.exitValue()
            + " before accepting connections; log " + log + ":\n" + logTail(20));
      }
      if (receivesInfo()) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for server " + label, e);
      }
    }
    throw new IOException("server " + label + " did not accept connections with INFO on port "
        + port + " within " + timeout.toSeconds() + " s; log " + log + ":\n" + logTail(20));
  }

  private boolean receivesInfo() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      s.setSoTimeout(2000);
      InputStream in = s.getInputStream();
      byte[] head = in.readNBytes(4);
      return new String(head, StandardCharsets.US_ASCII).equalsIgnoreCase("INFO");
    } catch (IOException e) {
      return false;
    }
  }

  /** @return the last lines of the server's output */
  public String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | RuntimeException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  /** @return the client address of this server */
  public NatsAddress address() {
    return new NatsAddress("127.0.0.1", port);
  }

  /** @return the child's process id */
  public long pid() {
    return process.pid();
  }

  /** @return true while the child runs */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Terminates the server (SIGTERM, then SIGKILL after 10 s) and its descendants. */
  public void stop() {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    LIVE.remove(process);
  }

  @Override
  public void close() {
    stop();
    try {
      Files.deleteIfExists(log);
    } catch (IOException ignored) {
      // A leftover temp file is harmless.
    }
  }

  @Override
  public String toString() {
    return "server " + label + " (port " + port + ", pid " + process.pid() + ")";
  }
}
