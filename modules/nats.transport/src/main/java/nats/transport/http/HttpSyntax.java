package nats.transport.http;

import java.util.Optional;

/** The character classes of HTTP/1.1 (RFC 9110) as Go's net/http checks them. */
final class HttpSyntax {

    private HttpSyntax() {
    }

    /** A token character: visible ASCII except separators. */
    static boolean isTokenChar(int c) {
        if (c <= 0x20 || c >= 0x7f) {
            return false;
        }
        return "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }

    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Go's httpguts.ValidHeaderFieldValue: no control characters other than horizontal tab. */
    static boolean isFieldValue(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    /**
     * Go's httpguts.ValidHostHeader: the characters a host (reg-name, IP literal, port) may use; deliberately
     * lenient about structure, as Go is.
     */
    static boolean isHost(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!$%&'()*+,-.:;=[]_~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Trims spaces and tabs, as Go's textproto.TrimString. */
    static String trimBlanks(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isBlank(s.charAt(start))) {
            start++;
        }
        while (end > start && isBlank(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    /**
     * Go's parseCookieValue: optional surrounding quotes, then printable ASCII (space included) except
     * {@code " ; \\}.
     */
    static Optional<String> cookieValue(String raw) {
        String v = raw;
        if (v.length() > 1 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"') {
            v = v.substring(1, v.length() - 1);
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < 0x20 || c >= 0x7f || c == '"' || c == ';' || c == '\\') {
                return Optional.empty();
            }
        }
        return Optional.of(v);
    }
}
