package nats.server.internal.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import nats.server.options.ServerOptions;
import nats.server.internal.ServerCore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The monitoring port bound before the client port: requests wait for the monitor, an unused port is released. */
@Timeout(20)
class EarlyMonitorPortTest {

    @Test
    void aRequestSentBeforeTheMonitorServesIsAnsweredOnceItStarts() throws Exception {
        int port = freePort();
        ServerCore core = new ServerCore(new ServerOptions().host("127.0.0.1").port(ServerOptions.RANDOM_PORT));
        MonitorServer monitor = new MonitorServer(core);
        try (EarlyMonitorPort early = EarlyMonitorPort.bind("127.0.0.1", port, false)) {
            // The port takes connections before anything serves it (a harness polling for it sees it up).
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            }
            CompletableFuture<Http.Response> varz = CompletableFuture.supplyAsync(() -> {
                try {
                    return Http.get(port, "/varz");
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(200);
            assertTrue(!varz.isDone(), "nothing answers before the monitor starts");
            core.start();
            assertEquals(port, monitor.start("127.0.0.1", port, early));
            Http.Response response = varz.get(10, TimeUnit.SECONDS);
            assertEquals(200, response.status());
            assertTrue(response.body().contains("\"server_id\""), response.body());
        } finally {
            monitor.stop();
            core.shutdown();
        }
    }

    @Test
    void aPortNoStartTookIsReleased() throws Exception {
        int port = freePort();
        EarlyMonitorPort early = EarlyMonitorPort.bind("127.0.0.1", port, false);
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        }
        early.close();
        assertThrows(ConnectException.class, () -> {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            }
        });
    }

    @Test
    void aStartOnAnotherPortReleasesTheEarlyOneAndBindsItsOwn() throws Exception {
        int early = freePort();
        ServerCore core = new ServerCore(new ServerOptions().host("127.0.0.1").port(ServerOptions.RANDOM_PORT));
        MonitorServer monitor = new MonitorServer(core);
        try (EarlyMonitorPort bound = EarlyMonitorPort.bind("127.0.0.1", early, true)) {
            // An HTTPS port bound early does not serve a plain HTTP start.
            int port = monitor.start("127.0.0.1", 0, bound);
            assertTrue(port != early);
            assertThrows(ConnectException.class, () -> {
                try (Socket probe = new Socket()) {
                    probe.connect(new InetSocketAddress("127.0.0.1", early), 2000);
                }
            });
        } finally {
            monitor.stop();
            core.shutdown();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
