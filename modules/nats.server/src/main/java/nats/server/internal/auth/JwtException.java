package nats.server.internal.auth;

/** A JWT that does not decode, does not verify, or whose claims do not fit their Go types. */
public final class JwtException extends RuntimeException {

    public JwtException(String message) {
        super(message);
    }
}
