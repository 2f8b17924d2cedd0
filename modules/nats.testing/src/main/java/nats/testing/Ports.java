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
    /**
     * Test JVMs running side by side (surefire's forkCount, {@code test.fork} is "fork-1", "fork-2"...) each take their
     * own share of the kernel's ports: one JVM's probe could otherwise be given a port another JVM has handed out
     * but not yet bound, and two servers would then race for it. Halving the port first keeps the shares even
     * whichever parity the kernel favours for {@code bind}.
     */
    private static final int FORKS = Math.max(1, Integer.getInteger("test.forks", 1));
    private static final int FORK = Math.floorMod(forkNumber() - 1, FORKS);

    private Ports() {
    }

    private static int forkNumber() {
        String fork = System.getProperty("test.fork", "fork-1");
        try {
            return Integer.parseInt(fork.substring(fork.lastIndexOf('-') + 1));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /**
     * A port that was free on 127.0.0.1 a moment ago (the caller binds it soon after) and that this JVM has not
     * handed out recently: the kernel may offer a just-closed port again, and a server given the same port for two
     * listeners fails to start. Only ports of this test JVM's share are handed out (see {@link #FORKS}).
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
                boolean ours = (port >>> 1) % FORKS == FORK;
                if ((ours && HANDED_OUT.add(port)) || attempt >= 1000) {
                    HANDED_OUT.add(port);
                    if (HANDED_OUT.size() > REMEMBERED) {
                        HANDED_OUT.remove(HANDED_OUT.iterator().next());
                    }
                    return port;
                }
            }
        }
    }
}
