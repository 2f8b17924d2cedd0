package nats.server.options;

import java.util.List;
import java.util.Optional;

/**
 * What a user may publish and subscribe to, as in the Go server's {@code permissions} block. An absent
 * allow list allows everything; the deny list then takes subjects away.
 *
 * @param publish   rules for PUB subjects
 * @param subscribe rules for SUB subjects; entries may name a queue as {@code "subject queue"}
 */
public record Permissions(Rules publish, Rules subscribe) {

    /** No restrictions. */
    public static final Permissions UNRESTRICTED = new Permissions(Rules.ANY, Rules.ANY);

    /**
     * Allow and deny lists of subject filters.
     *
     * @param allow the allowed filters, or empty when everything is allowed
     * @param deny  filters taken away from what is allowed
     */
    public record Rules(Optional<List<String>> allow, List<String> deny) {

        /** Everything allowed. */
        public static final Rules ANY = new Rules(Optional.empty(), List.of());

        public Rules {
            allow = allow.map(List::copyOf);
            deny = List.copyOf(deny);
        }

        public boolean restricts() {
            return allow.isPresent() || !deny.isEmpty();
        }
    }

    public boolean restricts() {
        return publish.restricts() || subscribe.restricts();
    }
}
