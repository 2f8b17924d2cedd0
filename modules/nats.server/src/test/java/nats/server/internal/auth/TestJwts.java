package nats.server.internal.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Builds signed JWTs from literal JSON, so tests can state exactly what a token holds. */
final class TestJwts {

    static final String HEADER = "{\"typ\":\"JWT\",\"alg\":\"ed25519-nkey\"}";
    static final String HEADER_V1 = "{\"typ\":\"JWT\",\"alg\":\"ed25519\"}";

    private TestJwts() {
    }

    /** A v2 token: the signature covers "header.claims". */
    static String sign(NKeyPair issuer, String claimsJson) {
        return sign(issuer, HEADER, claimsJson, true);
    }

    /** {@code coverHeader} false signs the claims segment alone, as v1 tokens are signed. */
    static String sign(NKeyPair issuer, String headerJson, String claimsJson, boolean coverHeader) {
        String header = segment(headerJson);
        String claims = segment(claimsJson);
        String signed = coverHeader ? header + "." + claims : claims;
        byte[] signature = issuer.sign(signed.getBytes(StandardCharsets.US_ASCII));
        return header + "." + claims + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    }

    static String segment(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
