package nats.transport.tls;

/** The TLS configuration cannot be used (a file is missing, unreadable or wrong); the message says why. */
public final class TlsSetupException extends Exception {

    private static final long serialVersionUID = 1L;

    public TlsSetupException(String message) {
        super(message);
    }

    public TlsSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
