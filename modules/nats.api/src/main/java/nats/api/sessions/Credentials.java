package nats.api.sessions;

/**
 * What a client presented to authenticate; empty strings for absent fields.
 *
 * @param user      user name
 * @param password  password
 * @param token     authorization token
 * @param jwt       user JWT (operator mode)
 * @param nkey      nkey public key
 * @param signature the client's signature of the nonce (with {@code nkey} or a non-bearer {@code jwt})
 * @param nonce     the nonce the server gave the client to sign, empty when none
 */
public record Credentials(String user, String password, String token, String jwt, String nkey, String signature,
                          String nonce) {

    /** A user name and password only. */
    public static Credentials userPassword(String user, String password) {
        return new Credentials(user, password, "", "", "", "", "");
    }
}
