package nats.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code remote_syslog} over UDP, TCP and a Unix stream socket, each message as Go's {@code log/syslog} writes
 * it for a dialled connection: {@code <severity>RFC3339-time hostname nats-server[pid]: message\n} (facility 0,
 * as Go's {@code syslog.Dial(..., LOG_DEBUG, ...)} leaves it), and the local form Go uses for {@code /dev/log}.
 */
@Timeout(30)
class SyslogSinkTest {

    private static final long PID = ProcessHandle.current().pid();
    /** A remote message: priority, RFC 3339 time to the second, host, tag and pid, the message, a newline. */
    private static final String REMOTE = "<%d>\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(Z|[+-]\\d{2}:\\d{2}) \\S+ "
            + "nats-server\\[" + PID + "\\]: %s\n";

    @TempDir
    Path dir;

    @Test
    void sendsUdpDatagramsWithGosSeverities() throws Exception {
        try (DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(5000);
            try (SyslogSink sink = SyslogSink.remote("udp://127.0.0.1:" + server.getLocalPort())) {
                sink.log(System.Logger.Level.INFO, "Server is ready");
                sink.log(System.Logger.Level.WARNING, "careful");
                sink.log(System.Logger.Level.ERROR, "broken");
                sink.log(System.Logger.Level.DEBUG, "details");
                sink.log(System.Logger.Level.TRACE, "<<- [PING]");
            }
            assertMatches(5, "Server is ready", receive(server), "info is notice (5)");
            assertMatches(4, "careful", receive(server), "warning (4)");
            assertMatches(3, "broken", receive(server), "err (3)");
            assertMatches(7, "details", receive(server), "debug (7)");
            assertMatches(5, "<<- \\[PING\\]", receive(server), "trace is a notice, as Go's Tracef");
        }
    }

    @Test
    void streamsOverTcpOneLinePerMessage() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            try (SyslogSink sink = SyslogSink.remote("tcp://127.0.0.1:" + server.getLocalPort());
                 Socket accepted = server.accept()) {
                accepted.setSoTimeout(5000);
                sink.log(System.Logger.Level.INFO, "one");
                sink.log(System.Logger.Level.INFO, "two");
                BufferedReader in = new BufferedReader(new InputStreamReader(accepted.getInputStream(),
                        StandardCharsets.UTF_8));
                assertMatches(5, "one", in.readLine() + "\n", "first line");
                assertMatches(5, "two", in.readLine() + "\n", "second line");
            }
        }
    }

    @Test
    void writesToAUnixStreamSocket() throws Exception {
        Path socket = dir.resolve("log.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            try (SyslogSink sink = SyslogSink.remote("unix://" + socket);
                 SocketChannel accepted = server.accept()) {
                sink.log(System.Logger.Level.INFO, "over unix");
                ByteBuffer buffer = ByteBuffer.allocate(512);
                accepted.read(buffer);
                assertMatches(5, "over unix", new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8),
                        "the remote form over a Unix socket");
            }
        }
    }

    @Test
    void refusesOtherNetworksWithGosText() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SyslogSink.remote("http://127.0.0.1:514"));
        assertEquals("error invalid network type: \"http\"", e.getMessage(), "Go's text");
    }

    @Test
    void writesTheLocalFormToTheDaemonsSocket() throws Exception {
        Path socket = dir.resolve("dev-log");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            try (SyslogSink sink = SyslogSink.local(java.util.List.of(dir.resolve("missing").toString(),
                    socket.toString())); SocketChannel accepted = server.accept()) {
                sink.log(System.Logger.Level.WARNING, "local");
                ByteBuffer buffer = ByteBuffer.allocate(512);
                accepted.read(buffer);
                String line = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
                // Facility daemon (3 << 3) plus warning (4); time.Stamp; no host name.
                assertTrue(line.matches("<28>[A-Z][a-z]{2} [ 1-3]\\d \\d{2}:\\d{2}:\\d{2} nats-server\\[" + PID
                        + "\\]: local\n"), "Go's local form: " + line);
            }
        }
        ZonedDateTime t = ZonedDateTime.of(2024, 3, 7, 9, 5, 1, 0, ZoneId.systemDefault());
        try (DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             SyslogSink remote = SyslogSink.remote("udp://127.0.0.1:" + server.getLocalPort())) {
            assertTrue(remote.format(System.Logger.Level.INFO, "x", t).startsWith("<5>2024-03-07T09:05:01"),
                    "the remote form: RFC 3339 to the second");
        }
    }

    @Test
    void noLocalDaemonIsGosDeliveryError() {
        java.io.IOException e = assertThrows(java.io.IOException.class,
                () -> SyslogSink.local(java.util.List.of(dir.resolve("none").toString())));
        assertTrue(e.getMessage().startsWith("Unix syslog delivery error"), e.getMessage());
    }

    private static String receive(DatagramSocket server) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        server.receive(p);
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
    }

    private static void assertMatches(int priority, String message, String actual, String what) {
        assertTrue(Pattern.compile(REMOTE.formatted(priority, message)).matcher(actual).matches(),
                what + ": " + actual);
    }
}
