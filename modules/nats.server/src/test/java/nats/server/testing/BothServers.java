package nats.server.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import nats.testing.GoServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import nats.server.ConfigFiles;
import nats.server.NatsServer;
import nats.server.options.ServerOptions;
import org.junit.jupiter.api.Assumptions;

/**
 * The Go reference server and this one, started from the same config template (one {@code %d} for the
 * client port; this server gets a free port), for differential tests. Skips the test without the Go binary.
 */
public record BothServers(GoServer go, NatsServer ours) implements AutoCloseable {

    public static BothServers start(Path dir, String configTemplate) throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server not installed");
        Path ourConf = Files.writeString(dir.resolve("ours.conf"), configTemplate.formatted(-1));
        ServerOptions options = new ServerOptions();
        assertEquals(List.of(), ConfigFiles.load(ourConf, options, true), "the config loads cleanly");
        GoServer go = GoServer.start(dir, configTemplate);
        try {
            return new BothServers(go, NatsServer.start(options));
        } catch (Exception | Error e) {
            go.close();
            throw e;
        }
    }

    @Override
    public void close() throws Exception {
        try {
            ours.close();
        } finally {
            go.close();
        }
    }
}
