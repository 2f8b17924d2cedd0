package nats.bench.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads process facts from Linux {@code /proc}. */
final class ProcFs {
  /**
   * Clock ticks per second of the CPU times in {@code /proc/<pid>/stat}: Linux reports them in
   * USER_HZ, which is 100 on every architecture the kernel exports to user space.
   */
  static final long TICKS_PER_SECOND = 100;

  private ProcFs() {}

  /** @return the resident set size of one process in KiB, or -1 if unavailable */
  static long rssKb(long pid) {
    return statusKb(pid, "VmRSS:");
  }

  /** @return the peak resident set size ({@code VmHWM}) of one process in KiB, or -1 */
  static long hwmKb(long pid) {
    return statusKb(pid, "VmHWM:");
  }

  private static long statusKb(long pid, String field) {
    for (String line : lines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith(field)) {
        return parseKb(line);
      }
    }
    return -1;
  }

  /**
   * The RSS of a process plus its descendants, so a server started through a wrapper (a shell
   * script, {@code mvn exec}) is still measured.
   *
   * @return KiB, or -1 if the process is gone
   */
  static long rssKbTree(long pid) {
    return sumTree(pid, ProcFs::rssKb);
  }

  /** @return the summed {@code VmHWM} of a process and its descendants in KiB, or -1 */
  static long hwmKbTree(long pid) {
    return sumTree(pid, ProcFs::hwmKb);
  }

  /**
   * User plus system CPU time of a process and its descendants, including threads that have
   * already exited (the kernel adds those to the process's totals).
   *
   * @return nanoseconds, or -1 if the process is gone
   */
  static long cpuNanosTree(long pid) {
    long ticks = sumTree(pid, p -> cpuTicks(Long.toString(p)));
    return ticks < 0 ? -1 : ticks * (1_000_000_000L / TICKS_PER_SECOND);
  }

  /** @return user plus system CPU time of this JVM in nanoseconds, or -1 if unreadable */
  static long selfCpuNanos() {
    long ticks = cpuTicks("self");
    return ticks < 0 ? -1 : ticks * (1_000_000_000L / TICKS_PER_SECOND);
  }

  /** @return utime + stime of {@code /proc/<pid>/stat} in clock ticks, or -1 */
  static long cpuTicks(String pid) {
    List<String> lines = lines(Path.of("/proc", pid, "stat"));
    return lines.isEmpty() ? -1 : parseStatTicks(lines.getFirst());
  }

  /**
   * Parses utime (field 14) and stime (field 15) of a {@code stat} line. The command name (field
   * 2) is in parentheses and may contain spaces, so fields are counted after the last ')'.
   */
  static long parseStatTicks(String stat) {
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      return -1;
    }
    String[] f = stat.substring(close + 1).trim().split("\\s+");
    // f[0] is field 3 (state), so field n is f[n - 3].
    if (f.length < 13) {
      return -1;
    }
    try {
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static long sumTree(long pid, java.util.function.LongUnaryOperator metric) {
    long own = metric.applyAsLong(pid);
    if (own < 0) {
      return -1;
    }
    long sum = own;
    for (ProcessHandle h : ProcessHandle.of(pid).map(p -> p.descendants().toList())
        .orElse(List.of())) {
      sum += Math.max(0, metric.applyAsLong(h.pid()));
    }
    return sum;
  }

  static long parseKb(String statusLine) {
    String[] parts = statusLine.trim().split("\\s+");
    if (parts.length < 2) {
      return -1;
    }
    try {
      return Long.parseLong(parts[1]);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Finds the process listening on a loopback TCP port, so a scenario run against an already
   * running server can still read its CPU time without {@code --pid}.
   *
   * @return the pid, or 0 if it cannot be found (another user's process, no such listener)
   */
  static long listenerPid(int port) {
    List<String> inodes = new ArrayList<>();
    for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
      for (String line : lines(Path.of(table))) {
        String inode = listeningInode(line, port);
        if (inode != null) {
          inodes.add("socket:[" + inode + "]");
        }
      }
    }
    if (inodes.isEmpty()) {
      return 0;
    }
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        if (ownsSocket(proc, inodes)) {
          return Long.parseLong(proc.getFileName().toString());
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }

  /** @return the socket inode of a {@code /proc/net/tcp} line listening on the port, or null */
  static String listeningInode(String line, int port) {
    String[] f = line.trim().split("\\s+");
    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
    if (f.length < 10 || !f[3].equals("0A")) {
      return null;
    }
    int colon = f[1].lastIndexOf(':');
    if (colon < 0) {
      return null;
    }
    try {
      return Integer.parseInt(f[1].substring(colon + 1), 16) == port ? f[9] : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static boolean ownsSocket(Path proc, List<String> inodes) {
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
      for (Path fd : fds) {
        try {
          if (inodes.contains(Files.readSymbolicLink(fd).toString())) {
            return true;
          }
        } catch (IOException | RuntimeException e) {
          // The descriptor closed while we looked: not the one we want.
        }
      }
    } catch (IOException | RuntimeException e) {
      return false; // another user's process, or it exited
    }
    return false;
  }

  /**
   * The soft limit on open files ({@code ulimit -n}) of a process.
   *
   * @param pid a process id, or "self"
   * @return the limit, {@link Long#MAX_VALUE} if unlimited, -1 if unknown
   */
  static long maxOpenFiles(String pid) {
    for (String line : lines(Path.of("/proc", pid, "limits"))) {
      if (line.startsWith("Max open files")) {
        String[] parts = line.substring("Max open files".length()).trim().split("\\s+");
        if (parts.length > 0) {
          if (parts[0].toLowerCase(Locale.ROOT).equals("unlimited")) {
            return Long.MAX_VALUE;
          }
          try {
            return Long.parseLong(parts[0]);
          } catch (NumberFormatException e) {
            return -1;
          }
        }
      }
    }
    return -1;
  }

  private static List<String> lines(Path p) {
    try {
      return Files.readAllLines(p);
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }
}
