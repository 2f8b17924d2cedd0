package nats.server.options;

import java.util.List;
import java.util.Optional;

/**
 * What a user may publish and subscribe to, as in the Go server's {@code permissions} block. An absent
 * allow list allows everything; the deny list then takes subjects away.
 *
 * @param publish   rules for PUB subjects
 * @param subscribe rules for SUB subjects; entries may name a queue as {@code "subject queue"}
 * @param responses {@code allow_responses}: publishing to the reply subjects of received requests
 */
public record Permissions(Rules publish, Rules subscribe, Optional<Responses> responses) {

    /** No restrictions. */
    public static final Permissions UNRESTRICTED = new Permissions(Rules.ANY, Rules.ANY);

    public Permissions(Rules publish, Rules subscribe) {
        this(publish, subscribe, Optional.empty());
    }

    /** Go's defaults for {@code allow_responses: true}: one response within two minutes. */
    public static final Responses DEFAULT_RESPONSES = new Responses(1, java.time.Duration.ofMinutes(2));

    /**
     * @param maxMsgs responses allowed per request; 0 or less for no limit
     * @param expires how long after the request responses are allowed; zero for no limit
     */
    public record Responses(int maxMsgs, java.time.Duration expires) {
    }

    /** These permissions with responses allowed; as in Go, a missing publish allow list becomes "nothing". */
    public Permissions withResponses(Responses r) {
        Rules pub = publish.allow().isPresent() ? publish : new Rules(Optional.of(List.of()), publish.deny());
        return new Permissions(pub, subscribe, Optional.of(r));
    }

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
