package nats.websocket.internal;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of Go's {@code net/url} and {@code net} the WebSocket options and origin checks use, with Go's
 * error texts: {@code url.Parse} (does an allowed origin parse?), {@code url.ParseRequestURI} (an
 * {@code Origin} header), {@code net.SplitHostPort}, and how Go's {@code %T} names config values.
 */
final class GoUrl {

    /**
     * A parsed URL's scheme and authority.
     *
     * @param scheme the scheme as written ({@code http}, {@code https})
     * @param host   the authority: host and optional port, empty when the URL has none
     */
    record Parsed(String scheme, String host) {
    }

    private GoUrl() {
    }

    /** Why Go's {@code url.Parse} refuses {@code raw}, as {@code parse "raw": reason}; empty when it parses. */
    static Optional<String> parseProblem(String raw) {
        int hash = raw.indexOf('#');
        String u = hash < 0 ? raw : raw.substring(0, hash);
        return parse(u, false).problem().map(reason -> "parse \"" + u + "\": " + reason);
    }

    /** Go's {@code url.ParseRequestURI}: the URL, or the error text Go gives. */
    static Result parseRequestUri(String raw) {
        Result r = parse(raw, true);
        return r.problem().isPresent() ? new Result(null, Optional.of("parse \"" + raw + "\": " + r.problem().get()))
                : r;
    }

    /**
     * The outcome of a parse.
     *
     * @param url     the URL when it parsed
     * @param problem Go's reason when it did not
     */
    record Result(Parsed url, Optional<String> problem) {
    }

    private static Result parse(String raw, boolean viaRequest) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return failed("net/url: invalid control character in URL");
            }
        }
        if (raw.isEmpty() && viaRequest) {
            return failed("empty url");
        }
        if (raw.equals("*")) {
            return new Result(new Parsed("", ""), Optional.empty());
        }
        String scheme = "";
        String rest = raw;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (Character.isLetter(c) && c < 0x80) {
                continue;
            }
            if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
                if (i == 0) {
                    break;
                }
                continue;
            }
            if (c == ':') {
                if (i == 0) {
                    return failed("missing protocol scheme");
                }
                scheme = raw.substring(0, i);
                rest = raw.substring(i + 1);
            }
            break;
        }
        int q = rest.indexOf('?');
        if (q >= 0) {
            rest = rest.substring(0, q);
        }
        if (!rest.startsWith("/")) {
            if (!scheme.isEmpty()) {
                return new Result(new Parsed(scheme, ""), Optional.empty()); // opaque, e.g. mailto:x
            }
            if (viaRequest) {
                return failed("invalid URI for request");
            }
            int colon = rest.indexOf(':');
            int slash = rest.indexOf('/');
            if (colon >= 0 && (slash < 0 || colon < slash)) {
                return failed("first path segment in URL cannot contain colon");
            }
        }
        String host = "";
        if ((!scheme.isEmpty() || !viaRequest && !rest.startsWith("///")) && rest.startsWith("//")) {
            String authority = rest.substring(2);
            int slash = authority.indexOf('/');
            if (slash >= 0) {
                authority = authority.substring(0, slash);
            }
            int at = authority.lastIndexOf('@');
            host = at < 0 ? authority : authority.substring(at + 1);
            Optional<String> hostProblem = hostProblem(host);
            if (hostProblem.isPresent()) {
                return failed(hostProblem.get());
            }
        }
        return new Result(new Parsed(scheme, host), Optional.empty());
    }

    /** Go's parseHost: an IPv6 literal in brackets, else a host with an optional numeric port. */
    private static Optional<String> hostProblem(String host) {
        String port;
        if (host.startsWith("[")) {
            int end = host.lastIndexOf(']');
            if (end < 0) {
                return Optional.of("missing ']' in host");
            }
            port = host.substring(end + 1);
            if (!port.isEmpty() && !port.startsWith(":")) {
                return Optional.of("invalid port \"" + port + "\" after host");
            }
        } else {
            int colon = host.lastIndexOf(':');
            port = colon < 0 ? "" : host.substring(colon);
            String name = colon < 0 ? host : host.substring(0, colon);
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                boolean ok = Character.isLetterOrDigit(c) || "-._~!$&'()*+,;=%\"".indexOf(c) >= 0 || c >= 0x80;
                if (!ok) {
                    return Optional.of("invalid character \"" + c + "\" in host name");
                }
            }
        }
        for (int i = 1; i < port.length(); i++) {
            if (!Character.isDigit(port.charAt(i))) {
                return Optional.of("invalid port \"" + port + "\" after host");
            }
        }
        return Optional.empty();
    }

    private static Result failed(String reason) {
        return new Result(null, Optional.of(reason));
    }

    /**
     * Go's {@code net.SplitHostPort}: {@code [host, port]}, or empty when the text is not {@code host:port}
     * (a missing port, too many colons, misplaced brackets).
     */
    static Optional<String[]> splitHostPort(String hostPort) {
        try {
            return Optional.of(split(hostPort));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Go's wsGetHostAndPort: the lower-cased host and the port, the scheme's default when none is given. */
    static String[] hostAndPort(boolean tls, String hostPort) {
        try {
            String[] hp = split(hostPort);
            return new String[] {hp[0].toLowerCase(Locale.ROOT), hp[1]};
        } catch (MissingPort e) {
            return new String[] {hostPort.toLowerCase(Locale.ROOT), tls ? "443" : "80"};
        }
    }

    private static final class MissingPort extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        MissingPort(String address) {
            super("address " + address + ": missing port in address");
        }
    }

    /** @throws IllegalArgumentException with Go's text ({@link MissingPort} for a missing port) */
    private static String[] split(String hostPort) {
        int i = hostPort.lastIndexOf(':');
        if (i < 0) {
            throw new MissingPort(hostPort);
        }
        String host;
        int j = 0;
        int k = 0;
        if (hostPort.startsWith("[")) {
            int end = hostPort.indexOf(']');
            if (end < 0) {
                throw new IllegalArgumentException("address " + hostPort + ": missing ']' in address");
            }
            if (end + 1 == hostPort.length()) {
                throw new MissingPort(hostPort);
            }
            if (end + 1 != i) {
                if (hostPort.charAt(end + 1) == ':') {
                    throw new IllegalArgumentException("address " + hostPort + ": too many colons in address");
                }
                throw new MissingPort(hostPort);
            }
            host = hostPort.substring(1, end);
            j = 1;
            k = end + 1;
        } else {
            host = hostPort.substring(0, i);
            if (host.indexOf(':') >= 0) {
                throw new IllegalArgumentException("address " + hostPort + ": too many colons in address");
            }
        }
        if (hostPort.indexOf('[', j) >= 0) {
            throw new IllegalArgumentException("address " + hostPort + ": unexpected '[' in address");
        }
        if (hostPort.indexOf(']', k) >= 0) {
            throw new IllegalArgumentException("address " + hostPort + ": unexpected ']' in address");
        }
        return new String[] {host, hostPort.substring(i + 1)};
    }

    /** How Go's {@code %T} names a config value's type. */
    static String goType(Object value) {
        return switch (value) {
            case null -> "<nil>";
            case Long l -> "int64";
            case Double d -> "float64";
            case Boolean b -> "bool";
            case String s -> "string";
            case List<?> l -> "[]interface {}";
            case Map<?, ?> m -> "map[string]interface {}";
            case Instant i -> "time.Time";
            default -> value.getClass().getSimpleName();
        };
    }
}
