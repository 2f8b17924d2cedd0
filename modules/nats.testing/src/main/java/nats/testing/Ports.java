package nats.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.LinkedHashSet;
import java.util.Set;

/** Free loopback ports for servers under test. */
public final class Ports {

    /** How many handed-out ports are remembered; far more than any one test binds at once. */
    private static final int REMEMBERED = 4096;
    private static final Set<Integer> HANDED_OUT = new LinkedHashSet<>();

    private Ports() {
    }

    /**
     * A port that was free on 127.0.0.1 a moment ago (the caller binds it soon after) and that this JVM has not
     * handed out recently: the kernel may offer a just-closed port again, and a server given the same port for two
     * listeners fails to start.
     */
    public static int free() throws IOException {
        for (int attempt = 0; ; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress("127.0.0.1", 0));
                port = s.getLocalPort();
            }
            synchronized (HANDED_OUT) {
                if (HANDED_OUT.add(port) || attempt >= 100) {
                    if (HANDED_OUT.size() > REMEMBERED) {
                        HANDED_OUT.remove(HANDED_OUT.iterator().next());
                    }
                    return port;
                }
            }
        }
    }
}
