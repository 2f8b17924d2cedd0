package nats.server.internal.auth;

import java.util.Base64;

/**
 * Go's base64 decoding rules on top of the JDK's codecs: Go skips CR and LF anywhere, its raw URL encoding
 * rejects '=' (the JDK would accept padding), and its standard encoding insists on padding (the JDK would
 * not). Trailing bits are unchecked in both.
 */
final class GoBase64 {

    private static final Base64.Encoder RAW_URL_ENCODER = Base64.getUrlEncoder().withoutPadding();

    private GoBase64() {
    }

    static String encodeRawUrl(byte[] data) {
        return RAW_URL_ENCODER.encodeToString(data);
    }

    /** As Go's {@code base64.RawURLEncoding.DecodeString}; malformed input is an IllegalArgumentException. */
    static byte[] decodeRawUrl(String text) {
        String stripped = withoutLineBreaks(text);
        if (stripped.indexOf('=') >= 0) {
            throw new IllegalArgumentException("illegal base64 data: padding in raw encoding");
        }
        return Base64.getUrlDecoder().decode(stripped);
    }

    /** As Go's {@code base64.StdEncoding.DecodeString}; malformed input is an IllegalArgumentException. */
    static byte[] decodeStd(String text) {
        String stripped = withoutLineBreaks(text);
        if (stripped.length() % 4 != 0) {
            throw new IllegalArgumentException("illegal base64 data: missing padding");
        }
        return Base64.getDecoder().decode(stripped);
    }

    private static String withoutLineBreaks(String text) {
        if (text.indexOf('\r') < 0 && text.indexOf('\n') < 0) {
            return text;
        }
        StringBuilder kept = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\r' && c != '\n') {
                kept.append(c);
            }
        }
        return kept.toString();
    }
}
