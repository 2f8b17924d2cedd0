package nats.gateway.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;


/**
 * A remote cluster this server connects to (Go's gatewayCfg): configured (explicit) or learned from another
 * gateway or a route (implicit), with the URLs known for it (configured ones plus those its INFO lists).
 */
final class RemoteGateway {

    final String name;
    final String hash;
    final byte[] hashBytes;
    final boolean implicit;
    private final List<GatewayUrl> configured;
    private final Map<String, GatewayUrl> urls = new LinkedHashMap<>();
    private volatile Optional<nats.api.net.TlsPolicy> tls;
    private int connectAttempts;

    RemoteGateway(String name, List<GatewayUrl> configured, Optional<nats.api.net.TlsPolicy> tls, boolean implicit) {
        this.name = name;
        this.hash = GatewayHash.of(name);
        this.hashBytes = hash.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        this.implicit = implicit;
        this.configured = List.copyOf(configured);
        this.tls = tls;
        for (GatewayUrl u : configured) {
            urls.put(u.hostPort(), u);
        }
    }

    /** The URLs in random order, for one round of connection attempts (Go shuffles them). */
    synchronized List<GatewayUrl> shuffledUrls() {
        List<GatewayUrl> list = new ArrayList<>(urls.values());
        Collections.shuffle(list);
        return list;
    }

    /** {@code host:port} of every URL known, for INFO gossip and /varz. */
    synchronized List<String> hostPorts() {
        return new ArrayList<>(urls.keySet());
    }

    /** Go's addURLs: URLs an INFO listed, added when new. */
    synchronized boolean addUrls(List<String> hostPorts) {
        boolean added = false;
        for (String hp : hostPorts) {
            if (!urls.containsKey(hp)) {
                try {
                    GatewayUrl u = GatewayUrl.parse(hp);
                    urls.put(u.hostPort(), u);
                    added = true;
                } catch (IllegalArgumentException e) {
                    // Go skips a URL it cannot parse.
                }
            }
        }
        return added;
    }

    /** Go's updateURLs: the configured URLs plus those of the remote's latest INFO. */
    synchronized void replaceLearned(List<String> hostPorts) {
        urls.clear();
        for (GatewayUrl u : configured) {
            urls.put(u.hostPort(), u);
        }
        addUrls(hostPorts);
    }

    /** TLS for connections to this remote (its own block, else the gateway block's); empty for none. */
    Optional<nats.api.net.TlsPolicy> tls() {
        return tls;
    }

    /** New TLS for the next connections (a reload). */
    void tls(Optional<nats.api.net.TlsPolicy> policy) {
        this.tls = policy;
    }

    synchronized int bumpAttempts() {
        return ++connectAttempts;
    }
}
