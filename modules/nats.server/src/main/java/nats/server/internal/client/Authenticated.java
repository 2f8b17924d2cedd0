package nats.server.internal.client;

import nats.server.internal.account.Account;
import nats.server.options.Permissions;

/**
 * What a successful CONNECT grants: the account the client joins and what it may do there.
 *
 * @param user the authenticated user name, empty for token or no authentication
 */
public record Authenticated(Account account, Permissions permissions, String user) {
}
