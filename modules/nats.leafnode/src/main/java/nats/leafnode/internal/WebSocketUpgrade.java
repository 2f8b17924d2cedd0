package nats.leafnode.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;

import nats.api.net.Connection;

/**
 * The HTTP upgrade a WebSocket leaf remote makes, as Go's leafNodeSolicitWSConnection: {@code GET /leafnode} with
 * the RFC 6455 headers, and what the remote asks for: permessage-deflate with both no-context-takeover parameters
 * ({@code ws_compression}) and Go's {@code Nats-No-Masking} ({@code ws_no_masking}). The answer decides: compression
 * when the server accepted the extension (Go's {@code compression negotiation error} when it accepted it with context
 * takeover), unmasked frames only when the server answered the no-masking header.
 */
final class WebSocketUpgrade {

    /** RFC 6455 section 1.3: appended to the key before hashing. */
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    /** Go's wsPMCReqHeaderValue: what a compressing leaf offers. */
    private static final String PMC_OFFER = "permessage-deflate; server_no_context_takeover; client_no_context_takeover";
    /** Go's wsNoMaskingHeader and wsNoMaskingValue. */
    private static final String NO_MASKING_HEADER = "Nats-No-Masking";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a remote asks for on its WebSocket connection ({@code ws_compression}, {@code ws_no_masking}). */
    record Options(boolean compression, boolean noMasking) {
        static final Options DEFAULT = new Options(false, false);
    }

    private WebSocketUpgrade() {
    }

    /**
     * Upgrades {@code under} (plain or TLS) to a WebSocket connection to {@code host:port}, or throws with Go's
     * {@code invalid websocket connection} when the answer is not a valid 101 (and Go's
     * {@code compression negotiation error} when the server accepts compression with context takeover).
     */
    static WebSocketClient upgrade(Connection under, String host, int port, boolean tls, Options options)
            throws IOException {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        boolean defaultPort = port == (tls ? 443 : 80);
        String request = "GET /leafnode HTTP/1.1\r\nHost: " + host + (defaultPort ? "" : ":" + port) + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + (options.compression() ? "Sec-WebSocket-Extensions: " + PMC_OFFER + "\r\n" : "")
                + (options.noMasking() ? NO_MASKING_HEADER + ": true\r\n" : "") + "\r\n";
        under.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1)));
        ByteBuffer buf = ByteBuffer.allocate(8192);
        int end;
        while ((end = headersEnd(buf)) < 0) {
            if (!buf.hasRemaining() || under.read(buf) < 0) {
                throw new IOException("invalid websocket connection: no HTTP response");
            }
        }
        String head = new String(buf.array(), 0, end, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r\n");
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[1].equals("101")
                || !header(lines, "upgrade").equalsIgnoreCase("websocket")
                || !header(lines, "connection").equalsIgnoreCase("upgrade")
                || !header(lines, "sec-websocket-accept").equals(accept(key))) {
            throw new IOException("invalid websocket connection: " + lines[0]);
        }
        boolean compress = false;
        if (options.compression()) {
            // Go's wsPMCExtensionSupport: a server without the extension means no compression; one that accepts
            // it must also accept both no-context-takeover parameters.
            Boolean pmc = permessageDeflate(lines);
            if (pmc == Boolean.FALSE) {
                throw new IOException("compression negotiation error");
            }
            compress = pmc != null;
        }
        boolean maskWrites = !(options.noMasking() && header(lines, NO_MASKING_HEADER.toLowerCase(Locale.ROOT))
                .equals("true"));
        ByteBuffer leftover = ByteBuffer.wrap(buf.array(), end + 4, buf.position() - end - 4);
        return new WebSocketClient(under, leftover, compress, maskWrites);
    }

    /**
     * The server's answer to the permessage-deflate offer: null without the extension, true with both
     * no-context-takeover parameters, false with the extension but not both.
     */
    private static Boolean permessageDeflate(String[] lines) {
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0 || !lines[i].substring(0, colon).trim().equalsIgnoreCase("sec-websocket-extensions")) {
                continue;
            }
            for (String extension : lines[i].substring(colon + 1).split(",")) {
                String[] params = extension.split(";");
                for (int p = 0; p < params.length; p++) {
                    if (!params[p].strip().equalsIgnoreCase("permessage-deflate")) {
                        continue;
                    }
                    boolean server = false;
                    boolean client = false;
                    for (int q = p + 1; q < params.length; q++) {
                        server |= params[q].strip().equalsIgnoreCase("server_no_context_takeover");
                        client |= params[q].strip().equalsIgnoreCase("client_no_context_takeover");
                    }
                    return server && client;
                }
            }
        }
        return null;
    }

    /** Sec-WebSocket-Accept for a key (RFC 6455 section 4.2.2). */
    static String accept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }

    private static int headersEnd(ByteBuffer buf) {
        byte[] b = buf.array();
        for (int i = 3; i < buf.position(); i++) {
            if (b[i - 3] == '\r' && b[i - 2] == '\n' && b[i - 1] == '\r' && b[i] == '\n') {
                return i - 3;
            }
        }
        return -1;
    }

    private static String header(String[] lines, String name) {
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                return lines[i].substring(colon + 1).trim();
            }
        }
        return "";
    }
}
