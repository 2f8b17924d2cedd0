package nats.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import nats.server.ConfigFiles;
import nats.server.NatsServer;
import nats.server.options.ServerOptions;
import nats.server.options.ServerStartException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A mistake in the cluster block stops the start (and {@code -t}) with Go's text at the key's position. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClusterConfigTest {

    @TempDir
    Path dir;

    @Test
    void aMistakeIsReportedWhereItIs() throws Exception {
        Path conf = Files.writeString(dir.resolve("bad.conf"), "port: -1\ncluster {\n  port: -1\n  bogus: 1\n}\n");
        ServerOptions options = new ServerOptions();
        ConfigFiles.load(conf, options, true);
        ServerStartException check = assertThrows(ServerStartException.class, () -> NatsServer.check(options),
                "nats-server -t refuses it");
        assertEquals(conf + ":4:3: unknown field \"bogus\"", check.getMessage(), "file, line, column and Go's text");
        ServerStartException start = assertThrows(ServerStartException.class, () -> NatsServer.start(options),
                "the server does not start");
        assertTrue(start.getMessage().endsWith("unknown field \"bogus\""), start.getMessage());
    }
}
