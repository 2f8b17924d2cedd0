package nats.cluster.testing;

import java.io.IOException;

/** Free loopback ports for servers whose addresses other servers must know before they start. */
public final class Ports {

    private Ports() {
    }

    /** {@link nats.testing.Ports#free()} (never one handed out recently), unchecked for test set-up code. */
    public static int free() {
        try {
            return nats.testing.Ports.free();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
