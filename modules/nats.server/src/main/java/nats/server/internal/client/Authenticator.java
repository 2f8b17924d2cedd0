package nats.server.internal.client;

import java.util.Optional;

/** Checks the credentials a client presents, for one set of credentials (the server's or a listener's own). */
public interface Authenticator {

    /** Whether clients must authenticate at all. */
    boolean required();

    /**
     * Checks CONNECT's credentials (passwords in constant time or with bcrypt).
     *
     * @param clientType Go's client type, checked against the user's {@code allowed_connection_types}
     * @return the user's account and permissions, or empty when authentication fails
     */
    Optional<Authenticated> authenticate(ConnectOptions connect, String nonce, String clientIp, String clientType);
}
