package nats.transport.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The {@code host:port} URLs a listener is announced with to other servers (Go's getConnectURLs): the listener's
 * address, or every address of the machine that is not a loopback one when it listens on all of them.
 */
public final class ConnectUrls {

    private ConnectUrls() {
    }

    /** The URLs for a listener on {@code host} (empty, {@code 0.0.0.0} or {@code ::} for all) and {@code port}. */
    public static List<String> of(String host, int port) {
        if (port <= 0) {
            return List.of();
        }
        if (!host.equals("0.0.0.0") && !host.equals("::") && !host.isEmpty()) {
            return List.of(join(host, port));
        }
        List<String> urls = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress address : Collections.list(nif.getInetAddresses())) {
                    boolean family = host.equals("::") || address instanceof Inet4Address;
                    if (family && !address.isLoopbackAddress() && !address.isLinkLocalAddress()
                            && !address.isAnyLocalAddress()) {
                        urls.add(join(address.getHostAddress().replaceAll("%.*$", ""), port));
                    }
                }
            }
        } catch (SocketException e) {
            // As Go: no address could be resolved; nothing to announce.
        }
        return urls;
    }

    /** {@code host:port}, an IPv6 address in brackets. */
    public static String join(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
