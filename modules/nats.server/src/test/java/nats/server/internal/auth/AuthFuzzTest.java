package nats.server.internal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

/**
 * Random input never escapes as anything but the declared exception: {@link NKeyException} from nkey and creds
 * parsing, {@link JwtException} from JWT decoding, nothing at all from the boolean checks. Seeded, so a
 * failure repeats.
 */
class AuthFuzzTest {

    private static final int ROUNDS = 3_000;
    private static final String ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567abcxyz01890-_+/=.\r\n \"{}[]:,\\eé\u017F\u212A\u0000";

    private final Random random = new Random(0x5EED);

    private String randomString(int maxLength) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(maxLength);
        for (int i = 0; i < length; i++) {
            text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return text.toString();
    }

    private static void throwsOnly(Class<? extends RuntimeException> allowed, String input, Consumer<String> action) {
        try {
            action.accept(input);
        } catch (RuntimeException e) {
            if (!allowed.isInstance(e)) {
                fail("expected only " + allowed.getSimpleName() + " for input '" + input + "', got " + e, e);
            }
        }
    }

    @Test
    void randomStringsAsKeysSeedsSignaturesAndCreds() {
        byte[] data = "data".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < ROUNDS; i++) {
            String text = randomString(70);
            throwsOnly(NKeyException.class, text, s -> NKey.decodePublicKey(s, NKey.Type.USER));
            throwsOnly(NKeyException.class, text, NKeyPair::fromSeed);
            throwsOnly(NKeyException.class, text, CredsFile::parse);
            NKey.publicKeyType(text);
            NKey.verify(text, data, new byte[64]);
            NonceSignature.verify(text, data, text);
            CredsFile.decoratedJwt(text);
        }
    }

    @Test
    void randomStringsAndMutatedTokensAsJwts() {
        NKeyPair account = NKeyPair.generate(NKey.Type.ACCOUNT);
        String valid = TestJwts.sign(account, """
                {"iss":"%s","sub":"U","nats":{"type":"account","version":2,"exports":[{"subject":"a","type":"stream"}],
                 "signing_keys":[{"kind":"user_scope","key":"K","template":{"pub":{"allow":["x"]}}}]}}"""
                .formatted(account.publicKey()));
        assertEquals(AccountClaims.class, Jwt.decode(valid).claims().getClass(), "the seed token is valid");
        for (int i = 0; i < ROUNDS; i++) {
            throwsOnly(JwtException.class, randomString(120), Jwt::decode);
            char[] mutated = valid.toCharArray();
            for (int changes = 1 + random.nextInt(3); changes > 0; changes--) {
                mutated[random.nextInt(mutated.length)] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
            }
            throwsOnly(JwtException.class, new String(mutated), Jwt::decode);
        }
    }

    /** Validly signed claims whose members hold random JSON: only the readers stand between them and a crash. */
    @Test
    void validlySignedClaimsWithRandomMembers() {
        NKeyPair account = NKeyPair.generate(NKey.Type.ACCOUNT);
        String[] kinds = {"operator", "account", "user", "activation", "generic"};
        String[] members = {"exports", "imports", "limits", "signing_keys", "revocations", "mappings", "pub", "sub",
            "resp", "src", "times", "subs", "tags", "default_permissions", "tiered_limits", "kind", "subject", "template",
            "type", "version", "service_latency", "allow", "weight"};
        for (int i = 0; i < ROUNDS; i++) {
            StringBuilder nats = new StringBuilder("{\"type\":\"" + kinds[random.nextInt(kinds.length)] + "\",\"version\":2");
            for (int m = random.nextInt(4); m >= 0; m--) {
                nats.append(",\"").append(members[random.nextInt(members.length)]).append("\":").append(randomJson(3, members));
            }
            String claims = "{\"iss\":\"%s\",\"exp\":%s,\"nats\":%s}}".formatted(account.publicKey(), randomJson(1, members), nats);
            throwsOnly(JwtException.class, TestJwts.sign(account, claims), Jwt::decode);
        }
    }

    private String randomJson(int depth, String[] names) {
        int choice = random.nextInt(depth > 0 ? 9 : 6);
        return switch (choice) {
            case 0 -> "null";
            case 1 -> Boolean.toString(random.nextBoolean());
            case 2 -> Long.toString(random.nextLong(-300, 300));
            case 3 -> "1.5";
            case 4 -> "\"" + randomString(8).replaceAll("[\"\\\\\\x00-\\x1f]", "") + "\"";
            case 5 -> List.of("\"stream\"", "\"service\"", "\"user_scope\"", "\"headers\"", "99999999999999999999")
                    .get(random.nextInt(5));
            case 6, 7 -> {
                StringBuilder object = new StringBuilder("{");
                for (int m = random.nextInt(4); m > 0; m--) {
                    object.append('"').append(names[random.nextInt(names.length)]).append("\":")
                            .append(randomJson(depth - 1, names)).append(m > 1 ? "," : "");
                }
                yield object.append('}').toString();
            }
            default -> {
                StringBuilder array = new StringBuilder("[");
                for (int m = random.nextInt(4); m > 0; m--) {
                    array.append(randomJson(depth - 1, names)).append(m > 1 ? "," : "");
                }
                yield array.append(']').toString();
            }
        };
    }
}
