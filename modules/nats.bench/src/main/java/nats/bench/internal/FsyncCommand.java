package nats.bench.internal;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code nats-bench js fsync}: the disk's rate of 128-byte appends made durable with fsync. */
@Command(name = "fsync", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Append 128 bytes and fsync, in a loop, in a temp file: the physical limit of a"
        + " store that syncs before it acknowledges.")
public final class FsyncCommand implements Callable<Integer> {
  /** Creates the command (instantiated by picocli). */
  public FsyncCommand() {}

  @Spec
  CommandSpec spec;

  @Option(names = "--dir", paramLabel = "DIR",
      description = "Directory on the disk to probe (default: the system temp directory).")
  Path dir;

  @Option(names = "--seconds", paramLabel = "S", defaultValue = "2",
      description = "How long to probe (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (seconds <= 0 || seconds > 60) {
      throw new ParameterException(spec.commandLine(), "--seconds must be in (0, 60]");
    }
    Path d = dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir"));
    FsyncProbe.Probe p = FsyncProbe.measure(d, (long) (seconds * 1e9));
    Result r = new Result("fsync-probe", 128, true, null, p.metrics());
    PrintWriter out = spec.commandLine().getOut();
    out.println(json ? r.toJson(Map.of("dir", d.toString())) : r.toText() + "  dir=" + d);
    out.flush();
    return 0;
  }
}
