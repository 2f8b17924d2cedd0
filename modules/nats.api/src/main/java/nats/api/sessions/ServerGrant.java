package nats.api.sessions;

import java.util.List;
import java.util.Optional;

/**
 * What the server's authentication grants a connection that is not a client (a leaf node's CONNECT), from
 * {@link ClientSessions#authenticate}: the account it binds to, the user, and the user's permissions.
 *
 * @param account   the account's name
 * @param user      the user's name or public key, empty when authentication is off
 * @param publish   the user's publish permissions
 * @param subscribe the user's subscribe permissions
 * @since API 2.2
 */
public record ServerGrant(String account, String user, Rules publish, Rules subscribe) {

    /**
     * Subject rules: an allow list (empty: everything is allowed) and a deny list.
     *
     * @param allow subjects allowed, empty when there is no allow list
     * @param deny  subjects denied
     */
    public record Rules(Optional<List<String>> allow, List<String> deny) {

        /** No restriction. */
        public static final Rules ANY = new Rules(Optional.empty(), List.of());

        public Rules {
            allow = allow.map(List::copyOf);
            deny = List.copyOf(deny);
        }
    }
}
