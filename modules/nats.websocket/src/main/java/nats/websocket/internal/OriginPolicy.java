package nats.websocket.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import nats.transport.http.HttpRequest;

/**
 * Go's origin checks for the WebSocket upgrade ({@code same_origin}, {@code allowed_origins}): with neither
 * configured every origin is accepted, as is a request without an {@code Origin} header (a non-browser client
 * can send anything there anyway, RFC 6455 section 1.6). Allowed origins are keyed by lower-cased host, each
 * with its scheme and port (the scheme's default when none is written).
 */
final class OriginPolicy {

    private record Allowed(String scheme, String port) {
    }

    private final boolean sameOrigin;
    private final Map<String, List<Allowed>> allowed;

    /**
     * @param invalid told each configured origin Go's {@code url.ParseRequestURI} refuses (Go logs and skips it)
     */
    OriginPolicy(boolean sameOrigin, List<String> allowedOrigins, java.util.function.Consumer<String> invalid) {
        this.sameOrigin = sameOrigin;
        Map<String, List<Allowed>> map = new HashMap<>();
        for (String origin : allowedOrigins) {
            GoUrl.Result r = GoUrl.parseRequestUri(origin);
            if (r.problem().isPresent()) {
                invalid.accept(r.problem().get());
                continue;
            }
            try {
                String[] hp = GoUrl.hostAndPort(r.url().scheme().equals("https"), r.url().host());
                map.computeIfAbsent(hp[0], h -> new ArrayList<>()).add(new Allowed(r.url().scheme(), hp[1]));
            } catch (IllegalArgumentException e) {
                invalid.accept(e.getMessage());
            }
        }
        this.allowed = Map.copyOf(map);
    }

    /**
     * Checks the request's origin.
     *
     * @param tls whether the request came over TLS (the default port of the request's own host)
     * @return why the origin is refused, in Go's words; empty when it is accepted
     */
    Optional<String> check(HttpRequest request, boolean tls) {
        if (!sameOrigin && allowed.isEmpty()) {
            return Optional.empty();
        }
        String origin = request.header("Origin").filter(o -> !o.isEmpty())
                .or(() -> request.header("Sec-Websocket-Origin")).orElse("");
        if (origin.isEmpty()) {
            return Optional.empty();
        }
        GoUrl.Result parsed = GoUrl.parseRequestUri(origin);
        if (parsed.problem().isPresent()) {
            return parsed.problem();
        }
        String scheme = parsed.url().scheme();
        String[] originHostPort;
        try {
            originHostPort = GoUrl.hostAndPort(scheme.equals("https"), parsed.url().host());
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        if (sameOrigin) {
            String[] requestHostPort;
            try {
                requestHostPort = GoUrl.hostAndPort(tls, request.host());
            } catch (IllegalArgumentException e) {
                return Optional.of(e.getMessage());
            }
            if (!originHostPort[0].equals(requestHostPort[0]) || !originHostPort[1].equals(requestHostPort[1])) {
                return Optional.of("not same origin");
            }
        }
        if (!allowed.isEmpty()) {
            boolean listed = allowed.getOrDefault(originHostPort[0], List.of()).stream()
                    .anyMatch(a -> a.scheme().equals(scheme) && a.port().equals(originHostPort[1]));
            if (!listed) {
                return Optional.of("not in the allowed list");
            }
        }
        return Optional.empty();
    }
}
