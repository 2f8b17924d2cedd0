package nats.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * Logging to syslog as the Go server does it with Go's {@code log/syslog}: {@code syslog: true} writes to the
 * local daemon (facility daemon, {@code <pri>Jan _2 15:04:05 nats-server[pid]: message}); {@code remote_syslog}
 * writes to {@code udp://host:port}, {@code tcp://host:port} or {@code unix:///path} (facility kern, as Go's
 * {@code syslog.Dial(..., LOG_DEBUG, ...)} leaves it: {@code <pri>2006-01-02T15:04:05Z07:00 hostname
 * nats-server[pid]: message}). Severities as Go's logger maps them: notice for info and trace, warning, err,
 * debug. Every message ends in a newline; a write that fails reconnects once and is retried, then dropped.
 *
 * <p>The local daemon is reached through a stream socket at {@code /dev/log}, {@code /var/run/syslog} or
 * {@code /var/run/log}: Go tries datagram sockets there first, which Java cannot open, so a daemon that only
 * listens for datagrams (journald, rsyslog's default) is reachable only through {@code remote_syslog}.
 */
final class SyslogSink implements LogSink {

    /** Go's local syslog paths, tried in order. */
    static final List<String> LOCAL_PATHS = List.of("/dev/log", "/var/run/syslog", "/var/run/log");
    /** Go's tag: the program's name. */
    static final String TAG = "nats-server";
    private static final int FACILITY_DAEMON = 3 << 3;
    private static final int FACILITY_KERN = 0;
    /** Go's {@code time.Stamp}: {@code Jan _2 15:04:05}. */
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.US);
    /** Go's {@code time.RFC3339}. */
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX",
            Locale.US);

    /** How to reach the daemon again after a failed write. */
    private interface Connector {
        ByteChannel connect() throws IOException;
    }

    private final Connector connector;
    private final boolean local;
    private final int facility;
    private final String hostname;
    private final long pid = ProcessHandle.current().pid();
    private ByteChannel channel;
    private boolean closed;

    private SyslogSink(Connector connector, boolean local, int facility) throws IOException {
        this.connector = connector;
        this.local = local;
        this.facility = facility;
        this.hostname = hostname();
        this.channel = connector.connect();
    }

    /** The local daemon ({@code syslog: true}). */
    static SyslogSink local() throws IOException {
        return local(LOCAL_PATHS);
    }

    /** The local daemon at the first of {@code paths} that takes a stream connection. */
    static SyslogSink local(List<String> paths) throws IOException {
        IOException last = null;
        for (String path : paths) {
            Connector c = () -> unix(path);
            try {
                return new SyslogSink(c, true, FACILITY_DAEMON);
            } catch (IOException e) {
                last = e;
            }
        }
        throw new IOException("Unix syslog delivery error" + (last == null ? "" : " (" + last.getMessage() + ")"));
    }

    /**
     * A syslog server ({@code remote_syslog}): {@code udp://host:port}, {@code tcp://host:port} or
     * {@code unix:///path}, as Go's {@code getNetworkAndAddr} reads it.
     *
     * @throws IOException              when it cannot be reached
     * @throws IllegalArgumentException with Go's text when the address is not one of those
     */
    static SyslogSink remote(String address) throws IOException {
        URI uri;
        try {
            uri = new URI(address);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        Connector connector = switch (scheme) {
            case "udp" -> () -> {
                DatagramChannel d = DatagramChannel.open();
                d.connect(inet(uri));
                return d;
            };
            case "tcp" -> () -> SocketChannel.open(inet(uri));
            case "unix" -> () -> unix(uri.getPath());
            default -> throw new IllegalArgumentException("error invalid network type: " + LogFormat.quote(scheme));
        };
        return new SyslogSink(connector, false, FACILITY_KERN);
    }

    private static InetSocketAddress inet(URI uri) throws IOException {
        if (uri.getHost() == null || uri.getPort() < 0) {
            throw new IOException("missing host or port in " + uri);
        }
        return new InetSocketAddress(uri.getHost(), uri.getPort());
    }

    private static SocketChannel unix(String path) throws IOException {
        SocketChannel s = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            s.connect(UnixDomainSocketAddress.of(path));
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    /** Go's {@code os.Hostname()}: the kernel's host name. */
    private static String hostname() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (IOException unknown) {
                return "";
            }
        }
    }

    /** Go's severities for its log calls: info and trace are notices. */
    static int severity(System.Logger.Level level) {
        return switch (level) {
            case ERROR -> 3;
            case WARNING -> 4;
            case DEBUG -> 7;
            default -> 5;
        };
    }

    /** One message as Go's {@code log/syslog} writes it. */
    String format(System.Logger.Level level, String message, ZonedDateTime now) {
        int priority = facility | severity(level);
        String nl = message.endsWith("\n") ? "" : "\n";
        if (local) {
            return "<" + priority + ">" + STAMP.format(now) + " " + TAG + "[" + pid + "]: " + message + nl;
        }
        return "<" + priority + ">" + RFC3339.format(now.truncatedTo(ChronoUnit.SECONDS)) + " " + hostname + " "
                + TAG + "[" + pid + "]: " + message + nl;
    }

    @Override
    public synchronized void log(System.Logger.Level level, String message) {
        if (closed) {
            return;
        }
        byte[] bytes = format(level, message, ZonedDateTime.now()).getBytes(StandardCharsets.UTF_8);
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                if (channel == null) {
                    channel = connector.connect();
                }
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                return;
            } catch (IOException e) {
                closeChannel();
            }
        }
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // reconnecting anyway
            }
            channel = null;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        closeChannel();
    }
}
