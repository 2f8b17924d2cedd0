package nats.server.internal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.nats.client.support.JwtUtils;
import org.junit.jupiter.api.Test;

/** Decoding and verifying JWTs as the Go jwt library v2.3.0 does, with user JWTs issued by jnats. */
class JwtTest {

    private static final long ISSUED_AT = 1_700_000_000L;

    private final NKeyPair account = NKeyPair.generate(NKey.Type.ACCOUNT);
    private final NKeyPair user = NKeyPair.generate(NKey.Type.USER);

    private io.nats.client.NKey jnatsAccount() {
        return io.nats.client.NKey.fromSeed(account.seed().toCharArray());
    }

    /** A v2 user claims body signed by {@code issuer}, with {@code nats} as the nats object's members. */
    private String userToken(NKeyPair issuer, String nats) {
        return TestJwts.sign(issuer, """
                {"jti":"J1","iat":%d,"iss":"%s","sub":"%s","name":"u","nats":{"type":"user","version":2%s}}"""
                .formatted(ISSUED_AT, issuer.publicKey(), user.publicKey(), nats));
    }

    @Test
    void aJnatsUserJwtDecodesWithEveryField() throws Exception {
        JwtUtils.UserClaim claim = new JwtUtils.UserClaim(account.publicKey())
                .pub(new JwtUtils.Permission().allow("a.>").deny("a.b"))
                .sub(new JwtUtils.Permission().allow("_INBOX.>"))
                .resp(new JwtUtils.ResponsePermission().maxMsgs(5).expires(Duration.ofSeconds(2)))
                .src("192.168.0.0/16", "10.0.0.1/32")
                .times(List.of(new JwtUtils.TimeRange("08:00:00", "17:00:00")))
                .locale("Europe/Berlin")
                .subs(10).data(2000).payload(300)
                .bearerToken(true)
                .allowedConnectionTypes("STANDARD", "WEBSOCKET")
                .tags("t1", "t2");
        String token = JwtUtils.issueUserJWT(jnatsAccount(), user.publicKey(), "bob", Duration.ofHours(1), ISSUED_AT, claim);

        Jwt jwt = Jwt.decode(token);
        assertEquals(new Jwt.Header("JWT", "ed25519-nkey"), jwt.header(), "jnats writes the v2 header");
        assertEquals(token, jwt.token(), "the raw token is kept");
        UserClaims decoded = assertInstanceOf(UserClaims.class, jwt.claims(), "a user JWT gives user claims");
        ClaimsData data = decoded.data();
        assertEquals(account.publicKey(), data.issuer(), "iss is the account");
        assertEquals(user.publicKey(), data.subject(), "sub is the user");
        assertEquals("bob", data.name(), "name");
        assertEquals(ISSUED_AT, data.issuedAt(), "iat");
        assertEquals(ISSUED_AT + 3600, data.expires(), "exp is iat plus the expiration");
        assertEquals(52, data.id().length(), "jti is a base32 SHA-512/256 hash");
        assertEquals(new GenericFields("user", List.of("t1", "t2"), 2), decoded.fields(), "type, tags and version");
        assertEquals(account.publicKey(), decoded.issuerAccount(), "issuer_account");

        UserPermissionLimits p = decoded.permissions();
        assertEquals(new JwtPermissions.Permission(List.of("a.>"), List.of("a.b")), p.permissions().pub(), "pub");
        assertEquals(new JwtPermissions.Permission(List.of("_INBOX.>"), List.of()), p.permissions().sub(), "sub");
        assertEquals(Optional.of(new JwtPermissions.ResponsePermission(5, Duration.ofSeconds(2))), p.permissions().resp(),
                "resp: max and a ttl in nanoseconds");
        assertEquals(List.of("192.168.0.0/16", "10.0.0.1/32"), p.src(), "src, with jnats's escaped slashes undone");
        assertEquals(List.of(new UserPermissionLimits.TimeRange("08:00:00", "17:00:00")), p.times(), "times");
        assertEquals("Europe/Berlin", p.locale(), "times_location");
        assertEquals(new NatsLimits(10, 2000, 300), p.limits(), "subs, data and payload");
        assertTrue(decoded.isBearerToken(), "bearer_token");
        assertEquals(List.of("STANDARD", "WEBSOCKET"), p.allowedConnectionTypes(), "allowed_connection_types");
        assertFalse(decoded.hasEmptyPermissions(), "such a user could not be signed by a scoped key");
    }

    @Test
    void aPlainJnatsUserJwtIsUnlimitedAndNeverExpires() throws Exception {
        String token = JwtUtils.issueUserJWT(jnatsAccount(), account.publicKey(), user.publicKey(), "alice");
        UserClaims decoded = Jwt.decode(token, UserClaims.class);
        assertEquals(NatsLimits.UNLIMITED, decoded.permissions().limits(), "jnats writes -1 limits");
        assertEquals(JwtPermissions.NONE, decoded.permissions().permissions(), "and no permissions");
        assertEquals(0, decoded.data().expires(), "no exp");
        assertFalse(decoded.data().isExpired(Instant.now().plus(Duration.ofDays(36500))), "so it never expires");
    }

    @Test
    void expiryAndNotBeforeFollowGoComparisons() throws Exception {
        long now = Instant.now().getEpochSecond();
        String token = JwtUtils.issueUserJWT(jnatsAccount(), user.publicKey(), "late", Duration.ofSeconds(1), now - 10,
                new JwtUtils.UserClaim(account.publicKey()));
        ClaimsData data = Jwt.decode(token).claims().data();
        assertTrue(data.isExpired(Instant.now()), "issued ten seconds ago for one second: expired");
        assertFalse(data.isExpired(Instant.ofEpochSecond(data.expires())), "at exp itself it is still valid (now > exp)");
        assertTrue(data.isExpired(Instant.ofEpochSecond(data.expires() + 1)), "one second later it is not");

        String future = TestJwts.sign(account, """
                {"iss":"%s","sub":"%s","nbf":%d,"nats":{"type":"user","version":2}}"""
                .formatted(account.publicKey(), user.publicKey(), now + 3600));
        ClaimsData early = Jwt.decode(future).claims().data();
        assertTrue(early.isNotYetValid(Instant.now()), "nbf in an hour: not yet valid");
        assertFalse(early.isNotYetValid(Instant.ofEpochSecond(now + 3600)), "valid from nbf on");
    }

    @Test
    void aTamperedSignatureOrClaimsSegmentFails() {
        String token = userToken(account, "");
        String[] parts = token.split("\\.");
        char last = parts[2].charAt(5);
        String badSignature = parts[0] + "." + parts[1] + "." + parts[2].substring(0, 5)
                + (last == 'A' ? 'B' : 'A') + parts[2].substring(6);
        JwtException e = assertThrows(JwtException.class, () -> Jwt.decode(badSignature), "a changed signature fails");
        assertEquals("claim failed V2 signature verification", e.getMessage(), "with Go's message");

        String otherClaims = userToken(account, ",\"bearer_token\":true").split("\\.")[1];
        assertThrows(JwtException.class, () -> Jwt.decode(parts[0] + "." + otherClaims + "." + parts[2]),
                "claims swapped under an old signature fail");
        String otherHeader = TestJwts.segment("{\"alg\":\"ed25519-nkey\",\"typ\":\"JWT\"}");
        assertThrows(JwtException.class, () -> Jwt.decode(otherHeader + "." + parts[1] + "." + parts[2]),
                "v2 signatures cover the header too");
    }

    @Test
    void theIssuerMustHaveSignedAndBeOfTheRightType() {
        NKeyPair other = NKeyPair.generate(NKey.Type.ACCOUNT);
        String forged = TestJwts.sign(other, """
                {"iss":"%s","sub":"%s","nats":{"type":"user","version":2}}""".formatted(account.publicKey(), user.publicKey()));
        assertThrows(JwtException.class, () -> Jwt.decode(forged), "signed by a key other than iss");

        NKeyPair operator = NKeyPair.generate(NKey.Type.OPERATOR);
        JwtException e = assertThrows(JwtException.class, () -> Jwt.decode(userToken(operator, "")),
                "users are issued by accounts only");
        assertEquals("unable to validate expected prefixes - [account]", e.getMessage(), "Go's message");
    }

    @Test
    void headerTypeAndAlgorithmAreCheckedCaseInsensitively() {
        String claims = """
                {"iss":"%s","sub":"%s","nats":{"type":"user","version":2}}""".formatted(account.publicKey(), user.publicKey());
        for (String header : List.of(TestJwts.HEADER, TestJwts.HEADER_V1, "{\"typ\":\"jwt\",\"alg\":\"ED25519-NKEY\"}",
                "{\"TYP\":\"JWT\",\"Alg\":\"ed25519\",\"kid\":\"ignored\"}")) {
            assertInstanceOf(UserClaims.class, Jwt.decode(TestJwts.sign(account, header, claims, true)).claims(),
                    "accepted header " + header);
        }
        JwtException alg = assertThrows(JwtException.class,
                () -> Jwt.decode(TestJwts.sign(account, "{\"typ\":\"JWT\",\"alg\":\"HS256\"}", claims, true)), "HS256");
        assertEquals("unexpected \"HS256\" algorithm", alg.getMessage(), "Go's message for a foreign algorithm");
        JwtException typ = assertThrows(JwtException.class,
                () -> Jwt.decode(TestJwts.sign(account, "{\"alg\":\"ed25519-nkey\"}", claims, true)), "no typ");
        assertEquals("not supported type \"\"", typ.getMessage(), "Go's message for a missing type");
    }

    @Test
    void version1TokensSignTheClaimsAloneAndKeepTypeAndIssuerAccountAtTheTop() {
        String claims = """
                {"iss":"%s","sub":"%s","type":"user","tags":["old"],"issuer_account":"%s",
                 "nats":{"pub":{"allow":["x"]},"allowed_connection_types":["MQTT"]}}"""
                .formatted(account.publicKey(), user.publicKey(), account.publicKey());
        UserClaims v1 = assertInstanceOf(UserClaims.class,
                Jwt.decode(TestJwts.sign(account, TestJwts.HEADER_V1, claims, false)).claims(), "a v1 user decodes");
        assertEquals(new GenericFields("user", List.of("old"), 1), v1.fields(), "type and tags from the top, version 1");
        assertEquals(account.publicKey(), v1.issuerAccount(), "issuer_account from the top");
        assertEquals(NatsLimits.UNLIMITED, v1.permissions().limits(), "v1 users start unlimited");
        assertEquals(List.of("x"), v1.permissions().permissions().pub().allow(), "v1 permissions are read");
        assertEquals(List.of(), v1.permissions().allowedConnectionTypes(), "v1 knew no connection types");
        JwtException e = assertThrows(JwtException.class,
                () -> Jwt.decode(TestJwts.sign(account, TestJwts.HEADER_V1, claims, true)), "a v1 token signed as v2");
        assertEquals("claim failed V1 signature verification", e.getMessage(), "fails the v1 check");
    }

    @Test
    void versionsOutsideOneAndTwoAreRefused() {
        JwtException newer = assertThrows(JwtException.class, () -> Jwt.decode(TestJwts.sign(account, """
                {"iss":"%s","sub":"%s","nats":{"type":"user","version":3}}""".formatted(account.publicKey(), user.publicKey()))),
                "version 3");
        assertEquals("JWT was generated by a newer version ", newer.getMessage(), "Go's message, trailing space included");
        JwtException none = assertThrows(JwtException.class, () -> Jwt.decode(TestJwts.sign(account, """
                {"iss":"%s","sub":"%s","nats":{"type":"user"}}""".formatted(account.publicKey(), user.publicKey()))),
                "no version");
        assertEquals("library supports version 2 or less - received 0", none.getMessage(), "Go's message");
    }

    @Test
    void unknownKindsAreGenericAndSignedOverTheClaimsSegment() {
        String claims = """
                {"iss":"%s","sub":"x","nats":{"type":"widget","version":2,"colour":"blue"}}""".formatted(user.publicKey());
        GenericClaims generic = assertInstanceOf(GenericClaims.class,
                Jwt.decode(TestJwts.sign(user, TestJwts.HEADER, claims, false)).claims(), "an unknown kind decodes");
        assertEquals("blue", generic.nats().get("colour"), "its nats object is kept as JSON");
        assertEquals("widget", generic.fields().type(), "with its kind");
        assertThrows(JwtException.class, () -> Jwt.decode(TestJwts.sign(user, claims)),
                "Go checks generic claims over the claims segment only, even under a v2 header");
        JwtException cluster = assertThrows(JwtException.class, () -> Jwt.decode(TestJwts.sign(user,
                "{\"iss\":\"%s\",\"nats\":{\"type\":\"cluster\",\"version\":2}}".formatted(user.publicKey()))), "cluster");
        assertEquals("ClusterClaims are not supported", cluster.getMessage(), "Go's message");
    }

    @Test
    void decodingAsAnotherKindFails() {
        String token = userToken(account, "");
        assertInstanceOf(UserClaims.class, Jwt.decode(token, UserClaims.class), "a user token is user claims");
        assertThrows(JwtException.class, () -> Jwt.decode(token, AccountClaims.class), "but not account claims");
    }

    @Test
    void malformedTokensFailWithJwtException() {
        JwtException chunks = assertThrows(JwtException.class, () -> Jwt.decode("a.b"), "two chunks");
        assertEquals("expected 3 chunks", chunks.getMessage(), "Go's message");
        assertThrows(JwtException.class, () -> Jwt.decode("a.b.c.d"), "four chunks");
        assertThrows(JwtException.class, () -> Jwt.decode(".."), "empty chunks");
        String header = TestJwts.segment(TestJwts.HEADER);
        assertThrows(JwtException.class, () -> Jwt.decode(header + "." + TestJwts.segment("[1,2]") + ".AAAA"),
                "claims that are not an object");
        assertThrows(JwtException.class, () -> Jwt.decode(header + "=." + TestJwts.segment("{}") + ".AAAA"),
                "padding is not raw URL base64");
        String deep = "{\"nats\":" + "[".repeat(600) + "]".repeat(600) + "}";
        JwtException depth = assertThrows(JwtException.class, () -> Jwt.decode(TestJwts.sign(account, deep)), "nesting");
        assertEquals("exceeded max depth", depth.getMessage(), "deep nesting is refused before parsing");
    }

    @Test
    void fieldNamesMatchCaseInsensitivelyAndUnknownFieldsAreIgnoredAsInGo() {
        String token = TestJwts.sign(account, """
                {"ISS":"%s","Sub":"%s","future_field":{"a":[1,2]},"exp":null,
                 "NATS":{"Type":"user","VERSION":2,"bearer_token":null,"pub":{"ALLOW":["p"]},"ſubs":7}}"""
                .formatted(account.publicKey(), user.publicKey()));
        UserClaims decoded = Jwt.decode(token, UserClaims.class);
        assertEquals(user.publicKey(), decoded.data().subject(), "\"Sub\" fills sub");
        assertEquals(0, decoded.data().expires(), "null leaves exp at zero");
        assertEquals(List.of("p"), decoded.permissions().permissions().pub().allow(), "\"ALLOW\" fills allow");
        assertEquals(7, decoded.permissions().limits().subs(), "Go folds U+017F to 's' when matching names");
    }

    @Test
    void valuesOfTheWrongJsonTypeFailTheDecode() {
        for (String bad : List.of(",\"subs\":\"10\"", ",\"subs\":1.5", ",\"bearer_token\":1", ",\"tags\":\"t\"",
                ",\"pub\":[]", ",\"pub\":{\"allow\":[1]}", ",\"times\":[\"08:00\"]", ",\"resp\":{\"ttl\":\"1s\"}")) {
            assertThrows(JwtException.class, () -> Jwt.decode(userToken(account, bad)), "refused: " + bad);
        }
        JwtException exp = assertThrows(JwtException.class, () -> Jwt.decode(TestJwts.sign(account,
                "{\"iss\":\"%s\",\"exp\":\"soon\",\"nats\":{\"type\":\"user\",\"version\":2}}".formatted(account.publicKey()))),
                "a string exp");
        assertTrue(exp.getMessage().startsWith("json: cannot unmarshal string into Go value exp"), exp.getMessage());
    }

    @Test
    void srcAcceptsGosCommaSeparatedForm() {
        UserClaims decoded = Jwt.decode(userToken(account, ",\"src\":\" 10.0.0.0/8, 192.168.1.1/32 ,,10.0.0.0/8\""),
                UserClaims.class);
        assertEquals(List.of("10.0.0.0/8", "192.168.1.1/32"), decoded.permissions().src(),
                "split on commas, trimmed, deduplicated, empties dropped");
    }

    @Test
    void emptyPermissionsFollowGosDeepEqualWithTheZeroValue() {
        Map<String, Boolean> cases = Map.of(
                "", true,
                ",\"pub\":{},\"sub\":null,\"subs\":0,\"bearer_token\":false", true,
                ",\"pub\":{\"allow\":[]}", false,
                ",\"src\":\"\"", false,
                ",\"resp\":{}", false,
                ",\"times\":[]", false,
                ",\"allowed_connection_types\":[]", false,
                ",\"payload\":-1", false);
        cases.forEach((nats, empty) -> assertEquals(empty,
                Jwt.decode(userToken(account, nats), UserClaims.class).hasEmptyPermissions(),
                "empty permissions with nats members '" + nats + "'"));
    }
}
