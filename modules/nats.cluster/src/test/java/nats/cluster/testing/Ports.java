package nats.cluster.testing;

import java.io.IOException;
import java.net.ServerSocket;

/** Free loopback ports for servers whose addresses other servers must know before they start. */
public final class Ports {

    private Ports() {
    }

    public static int free() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
