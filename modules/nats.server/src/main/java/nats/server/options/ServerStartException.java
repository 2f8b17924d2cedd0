package nats.server.options;

/** The server could not start; the message says why in operator terms. */
public final class ServerStartException extends Exception {

    public ServerStartException(String message) {
        super(message);
    }

    public ServerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
