package nats.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client port a start binds as soon as the config file is parsed: a config refused afterwards (its tls block)
 * leaves the port free again.
 */
class EarlyClientPortTest {

    @TempDir
    Path dir;

    private static int freePort() throws Exception {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    private static void assertBindable(int port, String why) throws Exception {
        try (ServerSocket again = new ServerSocket()) {
            again.setReuseAddress(true);
            again.bind(new InetSocketAddress("127.0.0.1", port));
            assertTrue(again.isBound(), why);
        }
    }

    @Test
    void aConfigRefusedAfterTheEarlyBindReleasesThePort() throws Exception {
        int port = freePort();
        Path conf = Files.writeString(dir.resolve("bad-tls.conf"), """
                host: 127.0.0.1
                port: %d
                tls { cert_file: "%s", key_file: "%s" }
                """.formatted(port, dir.resolve("missing-cert.pem"), dir.resolve("missing-key.pem")));
        assertEquals(Main.EXIT_FAILURE, Main.run("-c", conf.toString()), "the tls block's files are missing");
        assertBindable(port, "the port bound while the config was checked was released");
    }
}
