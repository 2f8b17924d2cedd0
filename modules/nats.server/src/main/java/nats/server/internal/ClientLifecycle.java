package nats.server.internal;

import nats.server.internal.account.Account;
import nats.server.internal.client.Client;

/**
 * Told when clients come and go, for the system account's events ({@code $SYS.ACCOUNT.<acc>.CONNECT} ...).
 * Called on the client's own threads: implementations hand the work off rather than block.
 */
public interface ClientLifecycle {

    /** Nobody listens: a server without a system account. */
    ClientLifecycle NONE = new ClientLifecycle() {
        @Override
        public void accepted(Client client) {
        }

        @Override
        public void connected(Client client) {
        }

        @Override
        public void disconnected(Client client) {
        }

        @Override
        public void authenticationFailed(Client client) {
        }
    };

    /** A connection was accepted; until CONNECT names another, it is in the global account. */
    void accepted(Client client);

    /** CONNECT was accepted; the client is in its account. */
    void connected(Client client);

    /** A client that had connected is closed; {@link Client#closeReason()} says why. */
    void disconnected(Client client);

    /** CONNECT's credentials were refused. */
    void authenticationFailed(Client client);

    /** A leaf connection bound to {@code account} came or went (ServerCore#leafCount says how many now). */
    default void leafConnectionsChanged(Account account) {
    }
}
