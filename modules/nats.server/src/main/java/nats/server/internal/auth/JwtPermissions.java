package nats.server.internal.auth;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Publish and subscribe permissions as JWTs state them (Go's {@code jwt.Permissions}). */
public record JwtPermissions(Permission pub, Permission sub, Optional<ResponsePermission> resp) {

    static final JwtPermissions NONE = new JwtPermissions(Permission.NONE, Permission.NONE, Optional.empty());

    /** Subjects allowed and denied; a subscribe entry may name a queue after a space. */
    public record Permission(List<String> allow, List<String> deny) {

        static final Permission NONE = new Permission(List.of(), List.of());

        public boolean isEmpty() {
            return allow.isEmpty() && deny.isEmpty();
        }
    }

    /** Allows publishing to reply subjects of received requests: up to {@code maxMsgs} within {@code expires}. */
    public record ResponsePermission(long maxMsgs, Duration expires) {
    }
}
