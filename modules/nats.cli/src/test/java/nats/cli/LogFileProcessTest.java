package nats.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log file of a real {@code nats-server} process (this module's launcher in a child JVM): {@code -l} with
 * {@code --log_size_limit} rotates as Go does (compared with the Go server when it is installed), and
 * {@code --signal reopen} (SIGUSR1) makes the server open its log file again after logrotate moved it.
 */
@Timeout(90)
class LogFileProcessTest {

    private static final Pattern BACKUP = Pattern.compile("\\d{4}\\.\\d{2}\\.\\d{2}\\.\\d{2}\\.\\d{2}\\.\\d{2}\\.\\d{9}");
    private static final Path GO = Path.of("/usr/sbin/nats-server");

    @TempDir
    Path dir;

    @Test
    void signalReopenStartsANewFileAfterLogrotateMovedIt() throws Exception {
        Path log = dir.resolve("nats.log");
        Path pidFile = dir.resolve("nats.pid");
        Process server = jnatsd("-a", "127.0.0.1", "-p", "-1", "-l", log.toString(), "-P", pidFile.toString());
        try {
            awaitContains(log, "Server is ready");
            assertTrue(Files.readString(log).contains("Enabled modules: nats.server "),
                    "the start-up line lists the enabled modules: " + Files.readString(log));
            Path moved = dir.resolve("nats.log.1");
            Files.move(log, moved);
            awaitTrue(() -> Files.exists(pidFile), "the pid file");
            assertEquals(0, Main.run("--signal", "reopen", "-P", pidFile.toString()), "--signal reopen sends USR1");
            awaitContains(log, "File log re-opened");
            assertTrue(Files.readString(moved).contains("[INF] Trapped \"user defined signal 1\" signal"),
                    "the signal is noted in the file still open when it came, as Go notes it");
            assertTrue(Files.readString(log).matches("(?s)\\[\\d+\\] [0-9/]+ [0-9:.]+ \\[INF\\] File log re-opened\n"),
                    "the new file starts with Go's note: " + Files.readString(log));
        } finally {
            stop(server);
        }
    }

    @Test
    void rotatesBySizeAsTheGoServerDoes() throws Exception {
        List<Path> logs = new ArrayList<>();
        List<Process> servers = new ArrayList<>();
        try {
            Path ours = Files.createDirectories(dir.resolve("jnatsd")).resolve("nats.log");
            servers.add(jnatsd("-a", "127.0.0.1", "-p", "-1", "-ports_file_dir", ours.getParent().toString(),
                    "-l", ours.toString(), "--log_size_limit", "2000", "-DV"));
            logs.add(ours);
            if (Files.isExecutable(GO)) {
                Path go = Files.createDirectories(dir.resolve("go")).resolve("nats.log");
                servers.add(new ProcessBuilder(GO.toString(), "-a", "127.0.0.1", "-p", "-1", "-ports_file_dir",
                        go.getParent().toString(), "-l", go.toString(), "--log_size_limit", "2000", "-DV")
                        .redirectErrorStream(true).redirectOutput(dir.resolve("go.out").toFile()).start());
                logs.add(go);
            }
            for (Path log : logs) {
                awaitContains(log, "Server is ready");
                int port = clientPort(log.getParent());
                // Traced protocol lines fill the log past the limit a few times.
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.setSoTimeout(5000);
                    OutputStream out = s.getOutputStream();
                    InputStream in = s.getInputStream();
                    out.write("CONNECT {\"verbose\":false}\r\n".getBytes(StandardCharsets.US_ASCII));
                    for (int i = 0; i < 60; i++) {
                        out.write(("PUB rotation.test 5\r\nhello\r\nPING\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        readPong(in);
                    }
                }
                awaitTrue(() -> backups(log).size() >= 2, "two rotations of " + log);
                String current = Files.readString(log);
                List<Path> backups = backups(log);
                Path newest = backups.get(backups.size() - 1);
                assertTrue(Files.size(newest) > 2000 && Files.size(newest) < 2000 + 400,
                        "a backup holds the file up to the write that passed the limit: " + Files.size(newest));
                assertTrue(Pattern.compile("\\[\\d+\\] [0-9/]+ [0-9:.]+ \\[INF\\] Rotated log, backup saved as \""
                        + Pattern.quote(log.getParent().toString()) + "/nats\\.log\\."
                        + BACKUP.pattern() + "\"\r\n").matcher(current).lookingAt() || hasRotationNote(log),
                        "a new file begins with the rotation note ending in CR LF (" + log + ")");
            }
        } finally {
            for (Process p : servers) {
                stop(p);
            }
        }
    }

    /** Some backup (or the current file) begins with the rotation note: the newest may have rotated again. */
    private static boolean hasRotationNote(Path log) throws IOException {
        for (Path p : backups(log)) {
            if (Files.readString(p).contains("[INF] Rotated log, backup saved as \"" + log + ".")
                    && Files.readString(p).contains("\"\r\n")) {
                return true;
            }
        }
        return false;
    }

    private static List<Path> backups(Path log) throws IOException {
        try (Stream<Path> files = Files.list(log.getParent())) {
            String prefix = log.getFileName() + ".";
            return files.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && BACKUP.matcher(p.getFileName().toString().substring(prefix.length())).matches())
                    .sorted().toList();
        }
    }

    /** The client port from the ports file the server wrote into {@code dir}. */
    private static int clientPort(Path dir) throws Exception {
        awaitTrue(() -> portsFile(dir) != null, "a ports file in " + dir);
        String json = Files.readString(portsFile(dir));
        java.util.regex.Matcher m = Pattern.compile("nats://[^:]+:(\\d+)").matcher(json);
        assertTrue(m.find(), "the client URL in " + json);
        return Integer.parseInt(m.group(1));
    }

    private static Path portsFile(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".ports")).findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static void readPong(InputStream in) throws IOException {
        StringBuilder seen = new StringBuilder();
        while (!seen.toString().contains("PONG\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + seen);
            }
            seen.append((char) b);
        }
    }

    private Process jnatsd(String... args) throws IOException {
        return JnatsdProcess.start(dir.resolve("jnatsd-" + System.nanoTime() + ".out"), args);
    }

    private static void stop(Process p) throws InterruptedException {
        JnatsdProcess.stop(p);
    }

    private static void awaitContains(Path file, String text) throws Exception {
        awaitTrue(() -> Files.exists(file) && Files.readString(file).contains(text), "\"" + text + "\" in " + file);
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void awaitTrue(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
