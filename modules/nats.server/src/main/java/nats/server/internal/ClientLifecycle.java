package nats.server.internal;

import nats.server.internal.client.ClientConnection;

/**
 * Told when clients come and go, for the system account's events ({@code $SYS.ACCOUNT.<acc>.CONNECT} ...).
 * Called on the client's own threads: implementations hand the work off rather than block.
 */
public interface ClientLifecycle {

    /** Nobody listens: a server without a system account. */
    ClientLifecycle NONE = new ClientLifecycle() {
        @Override
        public void accepted(ClientConnection client) {
        }

        @Override
        public void connected(ClientConnection client) {
        }

        @Override
        public void disconnected(ClientConnection client) {
        }

        @Override
        public void authenticationFailed(ClientConnection client) {
        }
    };

    /** A connection was accepted; until CONNECT names another, it is in the global account. */
    void accepted(ClientConnection client);

    /** CONNECT was accepted; the client is in its account. */
    void connected(ClientConnection client);

    /** A client that had connected is closed; {@link ClientConnection#closeReason()} says why. */
    void disconnected(ClientConnection client);

    /** CONNECT's credentials were refused. */
    void authenticationFailed(ClientConnection client);
}
