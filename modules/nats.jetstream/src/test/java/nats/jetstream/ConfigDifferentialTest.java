package nats.jetstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import nats.jetstream.testing.GoServer;
import nats.server.ConfigFiles;
import nats.server.NatsServer;
import nats.server.options.ServerOptions;
import nats.server.options.ServerStartException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code nats-server -t} on jetstream blocks: the same verdict and the same positioned message as Go. Not
 * compared: {@code sync_interval}, which Go 2.9 does not know (it is 2.10's and this server's durability
 * switch), and a bad plain value ({@code jetstream: foo}), which gets Go's text but no position.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConfigDifferentialTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {
        "jetstream {\n  store_dir: \"/tmp/x\"\n  foo: 1\n}\n",
        "jetstream {\n cipher: xyz\n key: abc\n}\n",
        "jetstream {\n max_mem: \"12Q\"\n}\n",
        "jetstream {\n max_file: 1G\n max_mem: 256M\n store_dir: \"/tmp/y\"\n}\n",
        "jetstream: enabled\n",
        "jetstream: disabled\n",
        "jetstream {\n limits {\n  max_ack_pending: 10\n  bogus: 1\n }\n}\n",
        "jetstream {\n max_memory_store: 1073741824\n domain: hub\n unique_tag: az\n}\n",
    })
    void sameVerdictAsGo(String config) throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server not installed");
        Path file = Files.writeString(dir.resolve("js.conf"), config);
        Process go = new ProcessBuilder(GoServer.BINARY.toString(), "-c", file.toString(), "-t")
                .redirectErrorStream(true).start();
        String goOut = new String(go.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        go.waitFor(10, TimeUnit.SECONDS);
        String ours;
        try {
            ServerOptions options = new ServerOptions();
            ConfigFiles.load(file, options, false);
            NatsServer.check(options);
            ours = "configuration file " + file.getFileName() + " is valid";
        } catch (ServerStartException e) {
            ours = e.getMessage();
        }
        assertEquals(goOut.replace("nats-server: ", "").replace(file.toString(), "js.conf").strip(),
                ours.replace(file.toString(), "js.conf").strip(), "same verdict as Go for:\n" + config);
    }
}
