package nats.api.net;

/** A listener the kernel opened for a plugin; closed by the plugin or when the server stops. */
public interface BoundListener extends AutoCloseable {

    /** The host bound. */
    String host();

    /** The port bound (the chosen one when the spec asked for a free port). */
    int port();

    /** Stops accepting; connections already accepted stay up until their owner closes them. */
    @Override
    void close();
}
