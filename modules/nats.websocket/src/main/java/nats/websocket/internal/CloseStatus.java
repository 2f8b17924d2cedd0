package nats.websocket.internal;

import java.nio.charset.StandardCharsets;

/** RFC 6455 section 7.4 close status codes, and the close frames Go's server sends. */
final class CloseStatus {

    static final int NORMAL = 1000;
    static final int GOING_AWAY = 1001;
    static final int PROTOCOL_ERROR = 1002;
    static final int NO_STATUS = 1005;
    static final int INVALID_PAYLOAD = 1007;
    static final int POLICY_VIOLATION = 1008;
    static final int MESSAGE_TOO_BIG = 1009;
    static final int INTERNAL_ERROR = 1011;
    static final int TLS_HANDSHAKE = 1015;

    /** A control frame's payload is at most 125 bytes. */
    static final int MAX_CONTROL_PAYLOAD = 125;

    private CloseStatus() {
    }

    /**
     * The status Go's wsEnqueueCloseMessage sends for a close reason (Go's ClosedState texts); a read or write
     * error, a stale connection and a shutdown are "going away", as in Go 2.10 and later (1006 may not be sent).
     */
    static int forReason(String reason) {
        return switch (reason) {
            case "Client Closed" -> NORMAL;
            case "Authentication Timeout", "Authentication Failure", "Slow Consumer (Pending Bytes)",
                 "Slow Consumer (Write Deadline)", "Maximum Account Connections Exceeded",
                 "Maximum Connections Exceeded", "Maximum Control Line Exceeded", "Maximum Subscriptions Exceeded",
                 "Missing Account", "Authentication Expired", "Credentials Revoked", "Authentication Revoked" ->
                    POLICY_VIOLATION;
            case "TLS Handshake Failure", "TLS Handshake Error" -> TLS_HANDSHAKE;
            case "Parse Error", "Protocol Violation", "Bad Client Protocol Version" -> PROTOCOL_ERROR;
            case "Maximum Message Payload Exceeded" -> MESSAGE_TOO_BIG;
            case "Write Error", "Read Error", "Stale Connection", "Server Shutdown" -> GOING_AWAY;
            default -> INTERNAL_ERROR;
        };
    }

    /** Go's markConnAsClosed: closes for which nothing more is written (skipFlushOnClose). */
    static boolean skipsFlush(String reason) {
        return switch (reason) {
            case "Read Error", "Write Error", "Slow Consumer (Pending Bytes)", "Slow Consumer (Write Deadline)",
                 "TLS Handshake Failure", "TLS Handshake Error" -> true;
            default -> false;
        };
    }

    /**
     * Go's wsIsValidCloseStatus: what a peer may send (RFC 6455 section 7.4.1): 1000-1015 except the reserved
     * 1004 and the never-sent 1005, 1006 and 1015, and 3000-4999.
     */
    static boolean isValid(int code) {
        if (code == NO_STATUS || code == 1004 || code == 1006 || code == TLS_HANDSHAKE) {
            return false;
        }
        if (code < 1000 || code >= 5000) {
            return false;
        }
        return code < 1016 || code > 2999;
    }

    /**
     * A close frame's payload: the status, then the reason cut to fit a control frame with {@code ...} at
     * the end when too long (Go's wsCreateCloseMessage).
     */
    static byte[] payload(int status, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        int room = MAX_CONTROL_PAYLOAD - 2;
        if (text.length > room) {
            byte[] cut = new byte[room];
            System.arraycopy(text, 0, cut, 0, room - 3);
            cut[room - 3] = '.';
            cut[room - 2] = '.';
            cut[room - 1] = '.';
            text = cut;
        }
        byte[] payload = new byte[2 + text.length];
        payload[0] = (byte) (status >>> 8);
        payload[1] = (byte) status;
        System.arraycopy(text, 0, payload, 2, text.length);
        return payload;
    }
}
