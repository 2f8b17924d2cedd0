package nats.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@code --signal NAME[=PID]}: sends a signal to a running server, as the Go server's flag does. */
final class SignalCommand {

    private static final Map<String, String> SIGNALS = Map.of(
            "stop", "KILL", "quit", "INT", "term", "TERM", "reopen", "USR1", "reload", "HUP", "ldm", "USR2");

    private SignalCommand() {
    }

    static int send(String spec, Path pidFile) throws IOException, InterruptedException {
        String name = spec;
        String pid = null;
        int eq = spec.indexOf('=');
        if (eq >= 0) {
            name = spec.substring(0, eq);
            pid = spec.substring(eq + 1);
        }
        String signal = SIGNALS.get(name.toLowerCase());
        if (signal == null) {
            System.err.println("nats-server: unknown signal \"" + name + "\"");
            return Main.EXIT_USAGE;
        }
        if (pid == null && pidFile != null) {
            pid = Files.readString(pidFile).trim();
        }
        if (pid == null) {
            System.err.println("nats-server: no pid given: use --signal " + name + "=<pid> or -P <pidfile>");
            return Main.EXIT_USAGE;
        }
        if (!pid.chars().allMatch(Character::isDigit)) {
            System.err.println("nats-server: invalid pid \"" + pid + "\"");
            return Main.EXIT_USAGE;
        }
        Process kill = new ProcessBuilder(List.of("kill", "-s", signal, pid)).inheritIO().start();
        return kill.waitFor() == 0 ? Main.EXIT_OK : Main.EXIT_FAILURE;
    }
}
