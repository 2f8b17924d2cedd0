package nats.server.internal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Operator, account and activation JWTs built by hand, field by field as nsc and the Go library write them. */
class AccountJwtTest {

    private final NKeyPair operator = NKeyPair.generate(NKey.Type.OPERATOR);
    private final NKeyPair account = NKeyPair.generate(NKey.Type.ACCOUNT);
    private final String plainSigner = NKeyPair.generate(NKey.Type.ACCOUNT).publicKey();
    private final String scopedSigner = NKeyPair.generate(NKey.Type.ACCOUNT).publicKey();
    private final String exporter = NKeyPair.generate(NKey.Type.ACCOUNT).publicKey();
    private final String revokedUser = NKeyPair.generate(NKey.Type.USER).publicKey();

    private String accountToken(String nats) {
        return TestJwts.sign(operator, """
                {"jti":"J","iat":1700000000,"iss":"%s","name":"A","sub":"%s",
                 "nats":{"type":"account","version":2%s}}""".formatted(operator.publicKey(), account.publicKey(), nats));
    }

    @Test
    void aFullAccountJwtDecodesEveryPart() {
        String token = accountToken("""
                ,"tags":["prod"],"description":"the A account","info_url":"https://example.com/a",
                "exports":[
                  {"name":"events","subject":"events.>","type":"stream","token_req":true,
                   "revocations":{"%1$s":1700000100},"advertise":true,"account_token_position":2},
                  null,
                  {"name":"help","subject":"help.*","type":"service","response_type":"Stream",
                   "response_threshold":5000000000,"service_latency":{"sampling":"headers","results":"lat.help"}},
                  {"subject":"calc","type":"service","service_latency":{"sampling":25,"results":"lat.calc"}}],
                "imports":[
                  {"name":"their events","subject":"theirs.>","account":"%2$s","local_subject":"mine.>","type":"stream"},
                  {"subject":"svc","account":"%2$s","token":"a.b.c","to":"local.svc","type":"service","share":true}],
                "limits":{"subs":100,"data":-1,"payload":1024,"imports":5,"exports":-1,"wildcards":true,
                  "disallow_bearer":true,"conn":10,"leaf":2,"mem_storage":1000,"disk_storage":2000,"streams":3,
                  "consumer":4,"max_ack_pending":5,"mem_max_stream_bytes":6,"disk_max_stream_bytes":7,
                  "max_bytes_required":true},
                "signing_keys":["%3$s",
                  {"kind":"user_scope","key":"%4$s","role":"reader",
                   "template":{"sub":{"allow":["read.>"]},"subs":5,"bearer_token":true}}],
                "revocations":{"%1$s":1700000200,"*":1600000000},
                "default_permissions":{"pub":{"deny":["secret.>"]},"resp":{"max":1,"ttl":0}},
                "mappings":{"orders":[{"subject":"orders.v1","weight":90},{"subject":"orders.v2","weight":10,
                  "cluster":"east"}],"old":[{"subject":"new"}]}"""
                .formatted(revokedUser, exporter, plainSigner, scopedSigner));

        AccountClaims a = assertInstanceOf(AccountClaims.class, Jwt.decode(token).claims(), "an account JWT");
        assertEquals(new GenericFields("account", List.of("prod"), 2), a.fields(), "type, tags, version");
        assertEquals("the A account", a.description(), "description");
        assertEquals("https://example.com/a", a.infoUrl(), "info_url");

        assertEquals(3, a.exports().size(), "three exports; the null element is skipped");
        Export events = a.exports().get(0);
        assertEquals(new Export("events", "events.>", ExportType.STREAM, true,
                new RevocationList(Map.of(revokedUser, 1700000100L)), "", Duration.ZERO, Optional.empty(), 2, true, "", ""),
                events, "a token-required stream export with its revocations");
        Export help = a.exports().get(1);
        assertEquals(ExportType.SERVICE, help.type(), "service export");
        assertEquals(Export.RESPONSE_STREAM, help.responseType(), "response_type");
        assertEquals(Duration.ofSeconds(5), help.responseThreshold(), "response_threshold in nanoseconds");
        assertEquals(Optional.of(new Export.ServiceLatency(0, "lat.help")), help.latency(), "\"headers\" sampling is 0");
        assertEquals(25, a.exports().get(2).latency().orElseThrow().sampling(), "numeric sampling");

        assertEquals(List.of(
                new Import("their events", "theirs.>", exporter, "", "", "mine.>", ExportType.STREAM, false),
                new Import("", "svc", exporter, "a.b.c", "local.svc", "", ExportType.SERVICE, true)), a.imports(), "imports");

        OperatorLimits limits = a.limits();
        assertEquals(new NatsLimits(100, -1, 1024), limits.nats(), "nats limits");
        assertEquals(new OperatorLimits.AccountLimits(5, -1, true, true, 10, 2), limits.account(), "account limits");
        assertEquals(new OperatorLimits.JetStreamLimits(1000, 2000, 3, 4, 5, 6, 7, true), limits.jetStream(),
                "JetStream limits");
        assertEquals(Map.of(), limits.jetStreamTiers(), "no tiers");

        SigningKeys keys = a.signingKeys();
        assertEquals(List.of(plainSigner, scopedSigner), List.copyOf(keys.keys()), "both signing keys, in order");
        assertEquals(Optional.empty(), keys.scope(plainSigner), "a string is a plain key");
        SigningKeys.UserScope scope = keys.scope(scopedSigner).orElseThrow();
        assertEquals("reader", scope.role(), "role");
        assertEquals(List.of("read.>"), scope.template().permissions().sub().allow(), "template permissions");
        assertEquals(new NatsLimits(5, -1, -1), scope.template().limits(), "template limits start unlimited in Go");
        assertTrue(scope.template().bearerToken(), "template bearer_token");
        assertFalse(keys.contains(account.publicKey()), "the account's own key is not listed");

        RevocationList revocations = a.revocations();
        assertTrue(revocations.isRevoked(revokedUser, 1700000200L), "issued at the revocation time: revoked");
        assertFalse(revocations.isRevoked(revokedUser, 1700000201L), "issued later: valid");
        assertTrue(revocations.isRevoked(NKeyPair.generate(NKey.Type.USER).publicKey(), 1500000000L),
                "\"*\" revokes everyone issued before its time");

        assertEquals(List.of("secret.>"), a.defaultPermissions().pub().deny(), "default_permissions");
        assertEquals(Optional.of(new JwtPermissions.ResponsePermission(1, Duration.ZERO)), a.defaultPermissions().resp(),
                "default resp");
        assertEquals(List.of(new AccountClaims.WeightedMapping("orders.v1", 90, ""),
                new AccountClaims.WeightedMapping("orders.v2", 10, "east")), a.mappings().get("orders"), "weighted mapping");
        assertEquals(100, a.mappings().get("old").get(0).effectiveWeight(), "an unset weight takes everything");
    }

    @Test
    void tieredJetStreamLimitsReplaceTheSingleSet() {
        AccountClaims a = Jwt.decode(accountToken(
                ",\"limits\":{\"mem_storage\":9,\"tiered_limits\":{\"R1\":{\"disk_storage\":100},\"R3\":{\"streams\":2}}}"),
                AccountClaims.class);
        assertEquals(OperatorLimits.JetStreamLimits.ZERO, a.limits().jetStream(), "Go zeroes the single set");
        assertEquals(100, a.limits().jetStreamTiers().get("R1").diskStorage(), "tier R1");
        assertEquals(2, a.limits().jetStreamTiers().get("R3").streams(), "tier R3");
    }

    @Test
    void absentPartsReadAsGosZeroValues() {
        AccountClaims a = Jwt.decode(accountToken(""), AccountClaims.class);
        assertEquals(List.of(), a.exports(), "no exports");
        assertEquals(NatsLimits.ZERO, a.limits().nats(), "absent limits are 0 in a v2 account, not -1");
        assertEquals(Map.of(), a.signingKeys().entries(), "no signing keys");
        assertFalse(a.revocations().isRevoked(revokedUser, 0), "no revocations");
    }

    @Test
    void signingKeyElementsOfOtherTypesAreIgnoredButUnknownScopesFail() {
        AccountClaims a = Jwt.decode(accountToken(",\"signing_keys\":[\"%s\",7,null,true,[]]".formatted(plainSigner)),
                AccountClaims.class);
        assertEquals(List.of(plainSigner), List.copyOf(a.signingKeys().keys()), "numbers, nulls, bools, lists are skipped");
        JwtException kind = assertThrows(JwtException.class,
                () -> Jwt.decode(accountToken(",\"signing_keys\":[{\"kind\":\"admin\",\"key\":\"%s\"}]".formatted(plainSigner))),
                "another kind");
        assertEquals("unknown signing key scope", kind.getMessage(), "is refused");
        assertThrows(JwtException.class,
                () -> Jwt.decode(accountToken(",\"signing_keys\":[{\"Kind\":\"user_scope\",\"key\":\"%s\"}]"
                        .formatted(plainSigner))), "Go looks up \"kind\" in a map here: case matters");
    }

    @Test
    void exportTypesMustBeExactWhenPresent() {
        assertEquals(ExportType.UNKNOWN, Jwt.decode(accountToken(",\"exports\":[{\"subject\":\"x\"}]"), AccountClaims.class)
                .exports().get(0).type(), "an absent type is unknown");
        for (String type : List.of("\"Stream\"", "null", "1", "\"services\"")) {
            assertThrows(JwtException.class,
                    () -> Jwt.decode(accountToken(",\"exports\":[{\"subject\":\"x\",\"type\":%s}]".formatted(type))),
                    "type " + type + " is refused, as by Go's ExportType decoder");
        }
        assertThrows(JwtException.class, () -> Jwt.decode(accountToken(
                ",\"mappings\":{\"a\":[{\"subject\":\"b\",\"weight\":256}]}")), "a weight beyond uint8");
    }

    @Test
    void accountsAreIssuedByOperatorsOrThemselves() {
        String selfSigned = TestJwts.sign(account, """
                {"iss":"%1$s","sub":"%1$s","nats":{"type":"account","version":2}}""".formatted(account.publicKey()));
        assertTrue(Jwt.decode(selfSigned).claims().data().isSelfSigned(), "a self-signed account decodes");
        NKeyPair user = NKeyPair.generate(NKey.Type.USER);
        JwtException e = assertThrows(JwtException.class, () -> Jwt.decode(TestJwts.sign(user, """
                {"iss":"%s","sub":"%s","nats":{"type":"account","version":2}}""".formatted(user.publicKey(),
                account.publicKey()))), "a user cannot issue an account");
        assertEquals("unable to validate expected prefixes - [account operator]", e.getMessage(), "Go's message");
    }

    @Test
    void version1AccountsHavePlainSigningKeysAndNoJetStream() {
        String claims = """
                {"iss":"%s","sub":"%s","type":"account",
                 "nats":{"signing_keys":["%s"],"limits":{"conn":3,"mem_storage":5},"mappings":{"a":"ignored"}}}"""
                .formatted(operator.publicKey(), account.publicKey(), plainSigner);
        AccountClaims a = Jwt.decode(TestJwts.sign(operator, TestJwts.HEADER_V1, claims, false), AccountClaims.class);
        assertEquals(1, a.fields().version(), "version 1");
        assertTrue(a.signingKeys().contains(plainSigner), "signing key read");
        assertEquals(3, a.limits().account().conn(), "account limits read");
        assertEquals(OperatorLimits.JetStreamLimits.ZERO, a.limits().jetStream(), "v1 has no JetStream limits");
        assertEquals(Map.of(), a.mappings(), "nor mappings, so Go never looks at them");
    }

    @Test
    void anOperatorJwtDecodes() {
        String signer = NKeyPair.generate(NKey.Type.OPERATOR).publicKey();
        String system = NKeyPair.generate(NKey.Type.ACCOUNT).publicKey();
        String token = TestJwts.sign(operator, """
                {"iss":"%1$s","sub":"%1$s","name":"O","nats":{"type":"operator","version":2,
                 "signing_keys":["%2$s"],"account_server_url":"http://localhost:9090/jwt/v1",
                 "operator_service_urls":["nats://localhost:4222"],"system_account":"%3$s",
                 "assert_server_version":"2.9.0","strict_signing_key_usage":true}}"""
                .formatted(operator.publicKey(), signer, system));
        OperatorClaims o = Jwt.decode(token, OperatorClaims.class);
        assertEquals(new OperatorClaims(o.data(), new GenericFields("operator", List.of(), 2), List.of(signer),
                "http://localhost:9090/jwt/v1", List.of("nats://localhost:4222"), system, "2.9.0", true), o,
                "every operator field");
        assertTrue(o.data().isSelfSigned(), "operators sign themselves");
        assertThrows(JwtException.class, () -> Jwt.decode(TestJwts.sign(account, """
                {"iss":"%s","sub":"%s","nats":{"type":"operator","version":2}}""".formatted(account.publicKey(),
                operator.publicKey()))), "an account cannot issue an operator");
    }

    @Test
    void anActivationTokenDecodes() {
        NKeyPair exporting = NKeyPair.generate(NKey.Type.ACCOUNT);
        String token = TestJwts.sign(exporting, """
                {"iss":"%s","sub":"%s","nats":{"type":"activation","version":2,"subject":"events.a",
                 "kind":"stream","issuer_account":""}}""".formatted(exporting.publicKey(), account.publicKey()));
        ActivationClaims activation = Jwt.decode(token, ActivationClaims.class);
        assertEquals("events.a", activation.importSubject(), "subject");
        assertEquals(ExportType.STREAM, activation.importType(), "kind");
        assertEquals(account.publicKey(), activation.data().subject(), "granted to the importing account");
    }
}
