package nats.websocket.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Predicate;

import nats.transport.http.HttpRequest;

/**
 * Go's wsUpgrade decisions on one upgrade request (RFC 6455 section 4.2), in Go's order and with its status
 * codes and reasons: the endpoint (a path ending in {@code /mqtt} or {@code /leafnode}), the method, host,
 * {@code Upgrade}, {@code Connection}, key and version headers, the origin, then what the connection
 * negotiates (permessage-deflate, Go's {@code Nats-No-Masking}, a browser's frame size, the JWT cookie) and
 * the {@code 101} response.
 */
final class Handshake {

    /** RFC 6455 section 1.3. */
    private static final byte[] GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11".getBytes(StandardCharsets.US_ASCII);
    private static final String EXTENSION_RESPONSE = "Sec-WebSocket-Extensions: permessage-deflate; "
            + "server_no_context_takeover; client_no_context_takeover\r\n";

    /** What the client connects to. */
    enum Kind {
        /** A NATS client. */
        CLIENT,
        /** An MQTT client (Go's {@code /mqtt} endpoint). */
        MQTT,
        /** A leaf node (Go's {@code /leafnode} endpoint). */
        LEAF;

        /** The protocol name a {@link nats.api.net.StreamProtocol} serves it under. */
        String protocol() {
            return this == LEAF ? "leafnode" : name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The outcome for one request. */
    sealed interface Decision {
    }

    /**
     * The upgrade is refused.
     *
     * @param status the HTTP status
     * @param reason what Go logs after {@code websocket handshake error:}
     */
    record Refused(int status, String reason) implements Decision {
    }

    /**
     * The upgrade goes ahead.
     *
     * @param kind       what the client connects to
     * @param negotiated the framing settled
     * @param cookieJwt  the user JWT from the configured cookie, when present
     * @param response   the {@code 101 Switching Protocols} response
     */
    record Accepted(Kind kind, WebSocketConnection.Negotiated negotiated, Optional<String> cookieJwt,
                    byte[] response) implements Decision {
    }

    private final boolean compression;
    private final boolean tls;
    private final String jwtCookie;
    private final OriginPolicy origins;
    private final Predicate<String> protocolServed;

    /**
     * @param protocolServed whether a plugin serves a protocol (e.g. {@code mqtt}) over WebSocket now
     */
    Handshake(WebSocketConfig config, OriginPolicy origins, Predicate<String> protocolServed) {
        this.compression = config.compression();
        this.tls = config.tls().isPresent();
        this.jwtCookie = config.jwtCookie();
        this.origins = origins;
        this.protocolServed = protocolServed;
    }

    Decision decide(HttpRequest r) {
        Kind kind = kind(r);
        if (kind == Kind.MQTT && !protocolServed.test(kind.protocol())) {
            // Go 2.10+: MQTT over WebSocket needs MQTT.
            return new Refused(404, "mqtt websocket endpoint not enabled");
        }
        if (!r.method().equals("GET")) {
            return new Refused(405, "request method must be GET");
        }
        if (r.host().isEmpty()) {
            return new Refused(400, "'Host' missing in request");
        }
        if (!r.headerHasToken("Upgrade", "websocket")) {
            return new Refused(400, "invalid value for header 'Upgrade'");
        }
        if (!r.headerHasToken("Connection", "Upgrade")) {
            return new Refused(400, "invalid value for header 'Connection'");
        }
        String key = r.header("Sec-Websocket-Key").orElse("");
        if (key.isEmpty()) {
            return new Refused(400, "key missing");
        }
        if (!validKey(key)) {
            // Go 2.10+ (RFC 6455 section 4.1: a base64-encoded 16-byte nonce).
            return new Refused(400, "invalid websocket key");
        }
        if (!r.headerHasToken("Sec-Websocket-Version", "13")) {
            return new Refused(400, "invalid version");
        }
        Optional<String> originProblem = origins.check(r, tls);
        if (originProblem.isPresent()) {
            return new Refused(403, "origin not allowed: " + originProblem.get());
        }
        boolean compress = compression && offersDeflate(r);
        boolean noMasking = r.header("Nats-No-Masking").orElse("").equals("true");
        String userAgent = kind == Kind.LEAF ? "" : r.header("User-Agent").orElse("");
        boolean browser = userAgent.startsWith("Mozilla/");
        boolean safari = browser && compress && userAgent.contains("Version/") && userAgent.contains("Safari/");
        Optional<String> cookieJwt = kind == Kind.LEAF || jwtCookie.isEmpty() ? Optional.empty()
                : r.cookie(jwtCookie);
        StringBuilder response = new StringBuilder(256)
                .append("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n")
                .append("Sec-WebSocket-Accept: ").append(acceptKey(key)).append("\r\n");
        if (compress) {
            response.append(EXTENSION_RESPONSE);
        }
        if (noMasking) {
            response.append("Nats-No-Masking: true\r\n");
        }
        if (kind == Kind.MQTT) {
            response.append("Sec-Websocket-Protocol: mqtt\r\n");
        }
        response.append("\r\n");
        return new Accepted(kind, new WebSocketConnection.Negotiated(compress, !noMasking, browser, safari),
                cookieJwt, response.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Go decides by the path's end ({@code /leafnode}, {@code /mqtt}); a client that offers the {@code mqtt}
     * subprotocol elsewhere is an MQTT client too (Go would serve it NATS, which it cannot speak).
     */
    static Kind kind(HttpRequest r) {
        String path = r.path();
        if (path.endsWith("/leafnode")) {
            return Kind.LEAF;
        }
        if (path.endsWith("/mqtt") || r.headerHasToken("Sec-WebSocket-Protocol", "mqtt")) {
            return Kind.MQTT;
        }
        return Kind.CLIENT;
    }

    /** Go's wsPMCExtensionSupport: any parameter of any offered extension reads permessage-deflate. */
    private static boolean offersDeflate(HttpRequest r) {
        for (String list : r.headerValues("Sec-Websocket-Extensions")) {
            for (String extension : list.split(",", -1)) {
                for (String param : extension.split(";", -1)) {
                    if (param.strip().equalsIgnoreCase("permessage-deflate")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** A base64 (with padding, as Go's StdEncoding wants it) 16-byte value is 24 characters long. */
    private static boolean validKey(String key) {
        if (key.length() != 24) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** RFC 6455 section 4.2.2: base64 of SHA-1 over the key and the GUID. */
    static String acceptKey(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(key.getBytes(StandardCharsets.ISO_8859_1));
            sha1.update(GUID);
            return Base64.getEncoder().encodeToString(sha1.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every Java runtime", e);
        }
    }
}
