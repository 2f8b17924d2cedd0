package nats.server.internal.auth;

/** A malformed nkey or seed; the message is the nkeys library's wording where it has one. */
public final class NKeyException extends RuntimeException {

    public NKeyException(String message) {
        super(message);
    }
}
