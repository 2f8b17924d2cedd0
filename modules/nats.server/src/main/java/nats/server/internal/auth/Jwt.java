package nats.server.internal.auth;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import nats.transport.json.Json;

/**
 * A decoded and signature-checked NATS JWT: {@code header.claims.signature}, each part unpadded URL-safe
 * base64, signed with ed25519 by the nkey named in {@code iss}. Decoding follows the Go jwt library v2.3.0
 * ({@code jwt.Decode}); whether the issuer is trusted, and whether the token has expired, is the caller's
 * question ({@link ClaimsData#isExpired}).
 *
 * <pre>{@code
 * UserClaims user = Jwt.decode(connect.jwt(), UserClaims.class);
 * boolean proven = user.isBearerToken() || NonceSignature.verify(user.data().subject(), nonce, connect.sig());
 * }</pre>
 */
public record Jwt(Header header, Claims claims, String token) {

    /**
     * Deepest JSON nesting accepted. Go allows 10,000 levels, but the recursive {@link Json} parser overflows
     * a thread's stack at a few thousand; real claims nest a handful of levels, so refusing more up front
     * only changes the answer for pathological tokens.
     */
    private static final int MAX_NESTING = 500;

    /** The JOSE header: type "JWT" and algorithm "ed25519-nkey" (v2) or "ed25519" (v1), both case-insensitive. */
    public record Header(String type, String algorithm) {

        public static final String TYPE = "JWT";
        public static final String ALGORITHM = "ed25519-nkey";
        public static final String ALGORITHM_V1 = "ed25519";

        static Header read(String segment) {
            GoJsonFields json = GoJsonFields.of(parse(segment), "");
            Header header = new Header(json.string("typ"), json.string("alg"));
            if (!header.type.toUpperCase(Locale.ROOT).equals(TYPE)) {
                throw new JwtException("not supported type \"" + header.type + "\"");
            }
            String algorithm = header.algorithm.toLowerCase(Locale.ROOT);
            if (!algorithm.equals(ALGORITHM) && !algorithm.equals(ALGORITHM_V1)) {
                throw new JwtException("unexpected \"" + header.algorithm + "\" algorithm");
            }
            return header;
        }
    }

    /** Decodes {@code token} and verifies its signature against its issuer; any defect is a {@link JwtException}. */
    public static Jwt decode(String token) {
        return decode(token, false);
    }

    /**
     * Go's {@code DecodeGeneric}, as the server uses it for requests such as claims deletion: any kind, with
     * the signature checked as the header's algorithm says ({@code ed25519-nkey}: header and claims).
     */
    public static GenericClaims decodeGeneric(String token) {
        Claims claims = decode(token, true).claims();
        if (claims instanceof GenericClaims generic) {
            return generic;
        }
        throw new JwtException("not a generic JWT (got " + claims.getClass().getSimpleName() + ")");
    }

    private static Jwt decode(String token, boolean byHeader) {
        String[] chunks = token.split("\\.", -1);
        if (chunks.length != 3) {
            throw new JwtException("expected 3 chunks");
        }
        Header header = Header.read(chunks[0]);
        ClaimsReader.Decoded decoded = ClaimsReader.read(parse(chunks[1]));
        byte[] signature = bytes(chunks[2]);
        boolean v2 = byHeader ? header.algorithm().toLowerCase(Locale.ROOT).equals(Header.ALGORITHM)
                : decoded.signatureVersion() > 1;
        String signed = v2 ? chunks[0] + "." + chunks[1] : chunks[1];
        String issuer = decoded.claims().data().issuer();
        if (!NKey.verify(issuer, signed.getBytes(StandardCharsets.UTF_8), signature)) {
            throw new JwtException("claim failed V" + (v2 ? 2 : 1) + " signature verification");
        }
        List<NKey.Type> issuerTypes = decoded.issuerTypes();
        if (!issuerTypes.isEmpty() && issuerTypes.stream().noneMatch(type -> NKey.isValidPublicKey(issuer, type))) {
            throw new JwtException("unable to validate expected prefixes - " + issuerTypes.stream()
                    .map(type -> type.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(" ", "[", "]")));
        }
        return new Jwt(header, decoded.claims(), token);
    }

    /** {@link #decode(String)} for a token that must be of one kind, as Go's {@code DecodeUserClaims} and kin. */
    public static <T extends Claims> T decode(String token, Class<T> kind) {
        Claims claims = decode(token).claims();
        if (!kind.isInstance(claims)) {
            throw new JwtException("not " + kind.getSimpleName() + " (got " + claims.getClass().getSimpleName() + ")");
        }
        return kind.cast(claims);
    }

    private static byte[] bytes(String segment) {
        try {
            return GoBase64.decodeRawUrl(segment);
        } catch (IllegalArgumentException e) {
            throw new JwtException("illegal base64 data: " + e.getMessage());
        }
    }

    private static Object parse(String segment) {
        String text = new String(bytes(segment), StandardCharsets.UTF_8);
        requireNestingWithinLimit(text);
        try {
            return Json.parse(text);
        } catch (Json.JsonException e) {
            throw new JwtException(e.getMessage());
        }
    }

    private static void requireNestingWithinLimit(String text) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                if (++depth > MAX_NESTING) {
                    throw new JwtException("exceeded max depth");
                }
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
    }
}
