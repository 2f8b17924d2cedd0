package nats.transport.protocol;

/**
 * A protocol violation. It carries the text to send as {@code -ERR '...'} (empty when the Go server sends
 * nothing) and whether the connection must be closed afterwards.
 */
public final class ProtocolException extends Exception {

    private final String clientError;
    private final boolean closeConnection;

    private ProtocolException(String logMessage, String clientError, boolean closeConnection) {
        super(logMessage, null, false, false);
        this.clientError = clientError;
        this.closeConnection = closeConnection;
    }

    /** Sends {@code -ERR 'clientError'} and closes the connection. */
    public static ProtocolException fatal(String clientError, String logMessage) {
        return new ProtocolException(logMessage, clientError, true);
    }

    /**
     * Closes the connection without a further {@code -ERR}: for malformed arguments (the Go server sends
     * nothing) and for errors the handler already reported.
     */
    public static ProtocolException closeSilently(String logMessage) {
        return new ProtocolException(logMessage, "", true);
    }

    /** The {@code -ERR} text for the client, or empty. */
    public String clientError() {
        return clientError;
    }

    public boolean closeConnection() {
        return closeConnection;
    }
}
