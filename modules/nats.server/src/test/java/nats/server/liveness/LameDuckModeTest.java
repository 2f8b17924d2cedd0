package nats.server.liveness;

import static org.junit.jupiter.api.Assertions.assertAll;
import nats.testing.RawClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener.Events;
import io.nats.client.Nats;
import io.nats.client.Options;
import nats.server.NatsServer;
import nats.server.options.ServerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lame-duck mode, as the Go server 2.9.10 implements it ({@code Server.lameDuckMode}): close the listener (new
 * connections are refused), send an INFO with {@code "ldm":true} to the clients that take async INFO (protocol
 * 1 and past their first PING/PONG), wait the grace period, close the clients spread over the remaining
 * duration (the last one no later than the lame-duck duration), then shut down right after the last client -
 * or at once when there are no clients.
 */
@Timeout(20)
class LameDuckModeTest {

    private static final Duration DURATION = Duration.ofSeconds(2);
    private static final Duration GRACE = Duration.ofMillis(500);
    /** Slack for thread scheduling and for jnats noticing a close. */
    private static final long SLACK_MILLIS = 500;

    private NatsServer server;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() {
        for (AutoCloseable c : toClose) {
            try {
                c.close();
            } catch (Exception ignored) {
                // Best effort.
            }
        }
        if (server != null) {
            server.shutdown();
        }
    }

    private NatsServer startServer() throws Exception {
        return NatsServer.start(new ServerOptions().host("127.0.0.1").port(ServerOptions.RANDOM_PORT)
                .lameDuckDuration(DURATION)
                .lameDuckGracePeriod(GRACE));
    }

    /** Records when {@link NatsServer#awaitShutdown()} returns, in ms after {@code t0}. */
    private static AtomicLong watchShutdown(NatsServer server, long t0, CountDownLatch done) {
        AtomicLong at = new AtomicLong(-1);
        Thread.ofVirtual().start(() -> {
            try {
                server.awaitShutdown();
                at.set((System.nanoTime() - t0) / 1_000_000L);
                done.countDown();
            } catch (InterruptedException ignored) {
                // Test over.
            }
        });
        return at;
    }

    private static long sinceMillis(long t0) {
        return (System.nanoTime() - t0) / 1_000_000L;
    }

    @Test
    void jnatsClientsAreWarnedThenClosedAndTheServerStops() throws Exception {
        server = startServer();
        int port = server.port();
        String url = "nats://127.0.0.1:" + port;

        // Event name -> ms after entering lame-duck mode, per client.
        List<Map<Events, Long>> events = new ArrayList<>();
        List<Connection> clients = new ArrayList<>();
        AtomicLong t0Holder = new AtomicLong(System.nanoTime());
        for (int i = 0; i < 2; i++) {
            Map<Events, Long> seen = new ConcurrentHashMap<>();
            events.add(seen);
            Connection nc = Nats.connect(new Options.Builder().server(url).noReconnect().maxReconnects(0)
                    .connectionListener((conn, event) -> seen.putIfAbsent(event, sinceMillis(t0Holder.get())))
                    .build());
            toClose.add(nc);
            clients.add(nc);
            nc.flush(Duration.ofSeconds(2));
        }
        assertEquals(2, server.clientCount());

        long t0 = System.nanoTime();
        t0Holder.set(t0);
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicLong stoppedAt = watchShutdown(server, t0, stopped);
        server.enterLameDuckMode();

        // New connections are refused from now on: the listener is closed.
        assertThrows(IOException.class, () -> RawClient.connect(port).close(), "raw connect during lame duck");
        assertThrows(IOException.class, () -> Nats.connect(new Options.Builder().server(url).noReconnect()
                .connectionTimeout(Duration.ofSeconds(1)).build()).close(), "jnats connect during lame duck");

        // Every client hears about it (INFO with "ldm":true -> Events.LAME_DUCK) and is then closed by the server.
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DURATION.toMillis() + SLACK_MILLIS);
        while (System.nanoTime() < deadline
                && !events.stream().allMatch(e -> e.containsKey(Events.CLOSED))) {
            Thread.sleep(10);
        }
        for (int i = 0; i < 2; i++) {
            Map<Events, Long> e = events.get(i);
            assertTrue(e.containsKey(Events.LAME_DUCK), "client " + i + " got no LAME_DUCK event: " + e);
            assertTrue(clients.get(i).getServerInfo().isLameDuckMode(), "client " + i + " INFO has ldm");
            assertTrue(e.get(Events.LAME_DUCK) <= 1_000, "client " + i + " warned promptly: " + e);
            assertTrue(e.containsKey(Events.DISCONNECTED) && e.containsKey(Events.CLOSED), "client " + i
                    + " should be closed by the server within the lame-duck duration (+" + SLACK_MILLIS + " ms): " + e);
            assertTrue(e.get(Events.LAME_DUCK) <= e.get(Events.DISCONNECTED), "warned before closed: " + e);
            assertTrue(e.get(Events.DISCONNECTED) >= GRACE.toMillis(), "client " + i
                    + " closed before the grace period ended: " + e);
        }

        // Then the server shuts itself down: Go does so right after closing the last client, so by the
        // lame-duck duration at the latest.
        boolean down = stopped.await(DURATION.toMillis() + SLACK_MILLIS - sinceMillis(t0), TimeUnit.MILLISECONDS);
        long lastClose = events.stream().mapToLong(e -> e.get(Events.DISCONNECTED)).max().orElse(-1);
        if (!down) {
            stopped.await(3, TimeUnit.SECONDS);
        }
        assertTrue(down, "server should shut itself down right after closing the last client (Go: by the "
                + DURATION.toMillis() + " ms lame-duck duration); last client closed at " + lastClose
                + " ms, server stopped at " + stoppedAt.get() + " ms after entering lame-duck mode");
        assertEquals(0, server.clientCount());
        assertThrows(IOException.class, () -> RawClient.connect(port).close(), "port closed after shutdown");
    }

    @Test
    void onlyRegisteredProtocolOneClientsGetTheLameDuckInfoAndAllAreClosedAfterTheGracePeriod() throws Exception {
        server = startServer();
        int port = server.port();

        // [0] protocol 1, has done PING/PONG: takes async INFO.
        RawClient proto1 = RawClient.connect(port);
        toClose.add(proto1);
        proto1.send("CONNECT {\"verbose\":false,\"protocol\":1}\r\nPING\r\n");
        assertTrue(proto1.readLine(2000).startsWith("INFO "));
        assertEquals("PONG", proto1.readLine(2000));

        // [1] protocol 0 (the default): never sent async INFO.
        RawClient proto0 = RawClient.connect(port);
        toClose.add(proto0);
        proto0.send("CONNECT {\"verbose\":false}\r\nPING\r\n");
        assertTrue(proto0.readLine(2000).startsWith("INFO "));
        assertEquals("PONG", proto0.readLine(2000));

        // [2] protocol 1 but no PING yet: Go sends async INFO only once the first PONG went out.
        RawClient noPing = RawClient.connect(port);
        toClose.add(noPing);
        assertTrue(noPing.readLine(2000).startsWith("INFO "));
        noPing.send("CONNECT {\"verbose\":false,\"protocol\":1}\r\n");
        Thread.sleep(100);
        assertEquals(3, server.clientCount());

        long t0 = System.nanoTime();
        server.enterLameDuckMode();

        RawClient[] raw = {proto1, proto0, noPing};
        RawClient.Drained[] drained = new RawClient.Drained[3];
        long[] closedAt = new long[3];
        Thread[] readers = new Thread[3];
        for (int i = 0; i < 3; i++) {
            int n = i;
            readers[i] = Thread.ofVirtual().start(() -> {
                drained[n] = raw[n].readAllToEnd(DURATION.toMillis() + SLACK_MILLIS);
                closedAt[n] = sinceMillis(t0);
            });
        }
        for (Thread t : readers) {
            t.join();
        }

        for (int i = 0; i < 3; i++) {
            assertTrue(drained[i].closedByServer(), "client " + i + " is closed within the duration, got "
                    + drained[i].end() + " after '" + drained[i].text() + "'");
            assertTrue(closedAt[i] >= GRACE.toMillis(), "client " + i + " closed during the grace period, at "
                    + closedAt[i] + " ms");
        }
        String[] lines = drained[0].text().split("\r\n", -1);
        assertAll(
                () -> assertEquals(2, lines.length, "protocol-1 client gets exactly one INFO: '" + drained[0].text()
                        + "'"),
                () -> assertTrue(lines[0].startsWith("INFO {") && lines[0].contains("\"ldm\":true"), lines[0]),
                () -> assertEquals("", drained[1].text(), "a protocol-0 client does not take async INFO, so it is"
                        + " sent nothing"),
                () -> assertEquals("", drained[2].text(), "a client that has not completed its first PING/PONG is"
                        + " not sent async INFO (Go: firstPongSent), so it is sent nothing"));
        assertFalse(server.clientCount() > 0, "no clients left");
    }

    @Test
    void withoutClientsTheServerShutsDownAtOnce() throws Exception {
        server = startServer();
        int port = server.port();
        long t0 = System.nanoTime();
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicLong stoppedAt = watchShutdown(server, t0, stopped);
        server.enterLameDuckMode();
        assertThrows(IOException.class, () -> RawClient.connect(port).close(), "listener closed");
        boolean down = stopped.await(1_000, TimeUnit.MILLISECONDS);
        if (!down) {
            stopped.await(DURATION.toMillis() + 2_000, TimeUnit.MILLISECONDS);
        }
        assertTrue(down, "with no clients to spread out, Go shuts down immediately on entering lame-duck mode;"
                + " jnatsd stopped " + stoppedAt.get() + " ms after (lame-duck duration " + DURATION.toMillis()
                + " ms)");
    }
}
