package nats.gateway.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

import nats.api.net.Connection;
import nats.transport.net.PlainConnection;
import nats.transport.tls.TlsHandshake;

/**
 * Dials remote gateways as Go's solicitGateway does: rounds over the remote's URLs in random order, a second
 * apart; a configured remote is tried for ever, an implicit one once plus {@code connect_retries} rounds and
 * then forgotten (unless it connected to this server meanwhile). A remote that has never answered logs its
 * failures rarely (Go's connect error reports).
 */
final class Dialer {

    /** Go's gatewayConnectDelay and DEFAULT_ROUTE_DIAL. */
    private static final long CONNECT_DELAY_MILLIS = 1000;
    private static final int DIAL_TIMEOUT_MILLIS = 1000;
    /** Go's DEFAULT_CONNECT_ERROR_REPORTS and DEFAULT_RECONNECT_ERROR_REPORTS. */
    private static final int CONNECT_ERROR_REPORTS = 3600;
    private static final int RECONNECT_ERROR_REPORTS = 1;

    private final Gateways gateways;

    Dialer(Gateways gateways) {
        this.gateways = gateways;
    }

    void solicit(RemoteGateway remote, boolean firstConnect) {
        Thread.ofVirtual().name("nats-gateway-dial").start(() -> dial(remote, firstConnect));
    }

    private void dial(RemoteGateway remote, boolean firstConnect) {
        String type = remote.implicit ? "implicit" : "explicit";
        int attempts = 0;
        while (gateways.running()) {
            var urls = remote.shuffledUrls();
            if (urls.isEmpty()) {
                return;
            }
            attempts++;
            int every = firstConnect ? CONNECT_ERROR_REPORTS : RECONNECT_ERROR_REPORTS;
            boolean report = attempts == 1 || attempts % every == 0;
            for (GatewayUrl url : urls) {
                gateways.log().log(report ? System.Logger.Level.INFO : System.Logger.Level.DEBUG,
                        "Connecting to {0} gateway \"{1}\" ({2}) at {3} (attempt {4})", type, remote.name,
                        url.hostPort(), url.hostPort(), attempts);
                try {
                    Connection c = open(remote, url);
                    remote.bumpAttempts();
                    gateways.solicited(c, remote, url);
                    return;
                } catch (IOException | TlsHandshake.Refused e) {
                    gateways.log().log(report ? System.Logger.Level.ERROR : System.Logger.Level.DEBUG,
                            "Error connecting to {0} gateway \"{1}\" ({2}) at {3} (attempt {4}): {5}", type,
                            remote.name, url.hostPort(), url.hostPort(), attempts,
                            e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                }
                if (!gateways.running()) {
                    return;
                }
            }
            int retries = gateways.config().connectRetries();
            if (remote.implicit && (retries == 0 || attempts > retries) && gateways.forgetImplicit(remote)) {
                return;
            }
            try {
                Thread.sleep(CONNECT_DELAY_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static Connection open(RemoteGateway remote, GatewayUrl url) throws IOException, TlsHandshake.Refused {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.socket().connect(new InetSocketAddress(url.host(), url.port()), DIAL_TIMEOUT_MILLIS);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (remote.tls().isPresent()) {
            return TlsHandshake.connect(channel, remote.tls().get(), url.host(), url.port());
        }
        return new PlainConnection(channel);
    }
}
