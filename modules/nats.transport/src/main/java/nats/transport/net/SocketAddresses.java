package nats.transport.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;

/** The addresses of a socket channel, readable after it closed (a closed channel reports the wildcard address). */
final class SocketAddresses {

    private SocketAddresses() {
    }

    static InetSocketAddress remote(SocketChannel channel) {
        try {
            return (InetSocketAddress) channel.getRemoteAddress();
        } catch (IOException e) {
            return new InetSocketAddress(0);
        }
    }

    static InetSocketAddress local(SocketChannel channel) {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            return new InetSocketAddress(0);
        }
    }
}
