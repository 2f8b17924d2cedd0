package nats.bench.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Reads process facts from Linux {@code /proc}. */
final class ProcFs {
  private ProcFs() {}

  /** @return the resident set size of one process in KiB, or -1 if unavailable */
  static long rssKb(long pid) {
    for (String line : lines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
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
    long own = rssKb(pid);
    if (own < 0) {
      return -1;
    }
    long sum = own;
    for (ProcessHandle h : ProcessHandle.of(pid).map(p -> p.descendants().toList())
        .orElse(List.of())) {
      sum += Math.max(0, rssKb(h.pid()));
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
