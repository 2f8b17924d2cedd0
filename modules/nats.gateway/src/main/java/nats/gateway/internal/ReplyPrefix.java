package nats.gateway.internal;

import java.nio.charset.StandardCharsets;

/**
 * Go's gateway reply prefix {@code _GR_.<cluster hash>.<server hash>.}: a request's reply subject gets it when it
 * crosses a gateway right after its subscription was made (the remote may not know that interest yet), so the
 * reply comes back to the origin cluster directly, whatever the interest there.
 */
final class ReplyPrefix {

    static final String PREFIX = "_GR_.";
    /** {@code _GR_.} + 6 + {@code .} + 6 + {@code .}: where the original subject starts (Go's gwSubjectOffset). */
    static final int LENGTH = PREFIX.length() + GatewayHash.LENGTH + 1 + GatewayHash.LENGTH + 1;

    private final byte[] bytes;
    private final byte[] clusterHash;

    ReplyPrefix(String gatewayName, String serverId) {
        String cluster = GatewayHash.of(gatewayName);
        this.clusterHash = cluster.getBytes(StandardCharsets.US_ASCII);
        this.bytes = (PREFIX + cluster + "." + GatewayHash.of(serverId) + ".").getBytes(StandardCharsets.US_ASCII);
    }

    byte[] bytes() {
        return bytes;
    }

    /** Go's isGWRoutedReply: the prefix and something after it. */
    static boolean isRouted(byte[] buf, int off, int len) {
        if (len <= LENGTH) {
            return false;
        }
        for (int i = 0; i < PREFIX.length(); i++) {
            if (buf[off + i] != PREFIX.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether a routed reply names this cluster. */
    boolean isOwnCluster(byte[] buf, int off) {
        return hashAt(buf, off, clusterHash);
    }

    /** Whether a routed reply names the cluster with this hash. */
    static boolean hashAt(byte[] buf, int off, byte[] hash) {
        for (int i = 0; i < hash.length; i++) {
            if (buf[off + PREFIX.length() + i] != hash[i]) {
                return false;
            }
        }
        return true;
    }
}
