package nats.jetstream.internal.model;

/** Ends the handling of an API request with a JetStream error response. */
public final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ApiError error;

    public ApiException(ApiError error) {
        super(error.description(), null, false, false);
        this.error = error;
    }

    public ApiException(JsErrors error, Object... values) {
        this(ApiError.of(error, values));
    }

    public ApiError error() {
        return error;
    }
}
