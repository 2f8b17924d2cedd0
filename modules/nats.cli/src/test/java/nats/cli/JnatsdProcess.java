package nats.cli;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code nats-server} (this module's launcher) in a child JVM on the module path, as the image runs it: the
 * Go-style log output is a {@code System.LoggerFinder} the module provides, which the class path would not
 * find. The module path is built from where the modules' classes were loaded.
 */
final class JnatsdProcess {

    private JnatsdProcess() {
    }

    static Process start(Path output, String... args) throws IOException {
        List<String> path = new ArrayList<>();
        for (Class<?> c : List.of(Main.class, nats.server.NatsServer.class, nats.api.ServerPlugin.class,
                nats.transport.json.Json.class, nats.jetstream.store.StreamStore.class, picocli.CommandLine.class,
                org.bouncycastle.jce.provider.BouncyCastleProvider.class, org.xerial.snappy.Snappy.class)) {
            try {
                path.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (URISyntaxException e) {
                throw new IOException(e);
            }
        }
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-p", String.join(java.io.File.pathSeparator, path), "-m", "nats.cli/" + Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
