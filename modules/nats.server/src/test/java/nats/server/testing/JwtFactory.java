package nats.server.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import nats.server.internal.auth.NKey;
import nats.server.internal.auth.NKeyPair;

/** Signs operator, account and user JWTs from literal JSON, the way nsc would issue them. */
public final class JwtFactory {

    private static final String HEADER = "{\"typ\":\"JWT\",\"alg\":\"ed25519-nkey\"}";
    private static int counter;

    private JwtFactory() {
    }

    public static NKeyPair operatorKey() {
        return NKeyPair.generate(NKey.Type.OPERATOR);
    }

    public static NKeyPair accountKey() {
        return NKeyPair.generate(NKey.Type.ACCOUNT);
    }

    public static NKeyPair userKey() {
        return NKeyPair.generate(NKey.Type.USER);
    }

    public static String operator(NKeyPair operator, String systemAccount) {
        return sign(operator, operator.publicKey(), "op",
                "{\"type\":\"operator\",\"version\":2,\"system_account\":\"" + systemAccount + "\"}", 0);
    }

    /** @param natsExtra JSON members added to the account's "nats" object (exports, imports, revocations...) */
    public static String account(NKeyPair operator, NKeyPair account, String name, String natsExtra) {
        return account(operator, account, name, natsExtra, 0);
    }

    /** An account JWT that expires at {@code expires} (Unix seconds; 0 for never). */
    public static String account(NKeyPair operator, NKeyPair account, String name, String natsExtra, long expires) {
        String limits = "\"limits\":{\"subs\":-1,\"data\":-1,\"payload\":-1,\"imports\":-1,\"exports\":-1,"
                + "\"wildcards\":true,\"conn\":-1,\"leaf\":-1}";
        return sign(operator, account.publicKey(), name, "{" + limits + (natsExtra.isEmpty() ? "" : "," + natsExtra)
                + ",\"type\":\"account\",\"version\":2}", expires);
    }

    /** @param natsExtra JSON members for the user's "nats" object (pub, sub, bearer_token, issuer_account...) */
    public static String user(NKeyPair issuer, NKeyPair user, String natsExtra, long expires) {
        return sign(issuer, user.publicKey(), "user", "{\"subs\":-1,\"data\":-1,\"payload\":-1"
                + (natsExtra.isEmpty() ? "" : "," + natsExtra) + ",\"type\":\"user\",\"version\":2}", expires);
    }

    public static String sign(NKeyPair issuer, String subject, String name, String nats, long expires) {
        long now = Instant.now().getEpochSecond();
        String claims = "{\"jti\":\"J" + (++counter) + now + "\",\"iat\":" + now + ",\"iss\":\"" + issuer.publicKey()
                + "\",\"name\":\"" + name + "\",\"sub\":\"" + subject + "\""
                + (expires > 0 ? ",\"exp\":" + expires : "") + ",\"nats\":" + nats + "}";
        String signed = segment(HEADER) + "." + segment(claims);
        byte[] sig = issuer.sign(signed.getBytes(StandardCharsets.US_ASCII));
        return signed + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
    }

    private static String segment(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
