package nats.image;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the image's {@code bin/nats-server} as a user would: a separate process whose environment holds no
 * JDK (no JAVA_HOME, a PATH without java), so a passing test proves the image is self-contained.
 */
final class ImageProcess implements AutoCloseable {

    static final Path IMAGE = Path.of(System.getProperty("image.dir", "target/image"));

    private final Process process;
    private final Path log;

    private ImageProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static ProcessBuilder command(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(IMAGE.resolve("bin/nats-server").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.remove("JAVA_HOME");
        env.remove("JDK_HOME");
        env.remove("JAVA_TOOL_OPTIONS");
        env.put("PATH", "/usr/bin:/bin");
        return pb;
    }

    /** Starts the server on a free port and waits until it accepts a client. */
    static ImageProcess start(int port, String... extraArgs) throws IOException, InterruptedException {
        return start(Map.of(), port, extraArgs);
    }

    /** As {@link #start(int, String...)}, with more environment variables (e.g. NATS_SERVER_JAVA_OPTS). */
    static ImageProcess start(Map<String, String> env, int port, String... extraArgs)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("-a", "127.0.0.1", "-p", Integer.toString(port)));
        args.addAll(List.of(extraArgs));
        Path log = Files.createTempFile("nats-server-", ".log");
        ProcessBuilder pb = command(args.toArray(String[]::new));
        pb.environment().putAll(env);
        Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ImageProcess server = new ImageProcess(p, log);
        server.awaitPort(port, Duration.ofSeconds(20));
        return server;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private void awaitPort(int port, Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("server exited with " + process.exitValue() + ":\n" + output());
            }
            // Bound early, the port takes connections before the server is ready: wait for INFO.
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout((int) Math.max(1, Math.min(5000, (deadline - System.nanoTime()) / 1_000_000)));
                if (s.getInputStream().read() == 'I') {
                    return;
                }
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new IOException("server did not accept on " + port + " within " + timeout + ":\n" + output());
    }

    String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    long pid() {
        return process.pid();
    }

    /** Sends a signal (e.g. INT, TERM) and waits for the process to exit; returns the exit code. */
    int signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-s", name, Long.toString(process.pid())).start().waitFor();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    /** SIGKILL: the process gets no chance to flush or close anything. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(15, TimeUnit.SECONDS);
    }

    /** Waits for the process to end by itself; returns the exit code, or -1 after the timeout. */
    int awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /** SIGKILL: the process ends without a goodbye to anyone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Sends SIGTERM and waits for a graceful exit; returns the exit code. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            terminate();
        }
    }

    /** Runs a short command (e.g. plugins, -v) to completion and returns exit code and output. */
    static Result run(String... args) throws IOException, InterruptedException {
        Process p = command(args).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("command did not finish: " + List.of(args));
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    record Result(int exitCode, String output) {
    }
}
