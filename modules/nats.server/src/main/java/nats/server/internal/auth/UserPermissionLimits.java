package nats.server.internal.auth;

import java.util.List;

/**
 * What a user may do and from where (Go's {@code jwt.UserPermissionLimits}): permissions, source networks,
 * connect-time windows in {@code locale}, limits, bearer-token use and allowed connection types.
 *
 * @param isGoZeroValue whether Go's {@code reflect.DeepEqual} with the zero value would hold: nothing set,
 *     where an empty but present list ({@code "allow":[]}) counts as set, as it does in Go
 */
public record UserPermissionLimits(
        JwtPermissions permissions,
        List<String> src,
        List<TimeRange> times,
        String locale,
        NatsLimits limits,
        boolean bearerToken,
        List<String> allowedConnectionTypes,
        boolean isGoZeroValue) {

    /** A daily window, "HH:MM:SS" to "HH:MM:SS". */
    public record TimeRange(String start, String end) {
    }
}
