package nats.transport.http;

/**
 * A request that cannot be read (malformed, too large, an HTTP version or transfer coding the server does not
 * take), with the response Go's net/http server writes for it; the connection closes after it.
 */
public final class HttpException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient HttpResponse response;

    HttpException(int status, String detail, String logText) {
        super(logText);
        this.status = status;
        this.response = HttpResponse.unreadable(status, detail);
    }

    /** The HTTP status of the answer. */
    public int status() {
        return status;
    }

    /** The answer to write before closing the connection. */
    public HttpResponse response() {
        return response;
    }
}
