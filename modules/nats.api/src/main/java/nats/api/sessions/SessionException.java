package nats.api.sessions;

/** A session's request refused by the kernel, with the text Go's {@code -ERR} would carry. */
public class SessionException extends Exception {

    private static final long serialVersionUID = 1L;

    public SessionException(String message) {
        super(message);
    }
}
