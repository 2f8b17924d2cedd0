package nats.leafnode.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import nats.api.PluginException;
import nats.leafnode.internal.LeafConfig.LeafUser;
import nats.leafnode.internal.LeafConfig.RemoteConfig;
import nats.transport.compress.CompressionOptions;

/**
 * What a reload may change in the {@code leafnodes} block, as Go 2.9's reload.go decides for {@code LeafNode}: the
 * TLS of the listener and of the remotes (used by connections made from then on); the remotes listed in another
 * order, or with other {@code deny_imports}/{@code deny_exports} (Go leaves those out of its comparison and keeps
 * the running ones); the authorization users in another order; {@code compression}, of the listener or of a remote
 * (Go 2.10 applies it to the connections, {@link LeafNodes#reload}). Anything else is refused with Go's
 * {@code config reload not supported for LeafNode: old=..., new=...} (the values in jnatsd's own form, without
 * passwords).
 */
public final class LeafReload {

    private LeafReload() {
    }

    /** Refuses a change Go would refuse. */
    public static void check(LeafConfig before, LeafConfig after) throws PluginException {
        if (!comparable(before).equals(comparable(after))) {
            throw new PluginException("config reload not supported for LeafNode: old=" + describe(before)
                    + ", new=" + describe(after));
        }
    }

    /** A remote as the reload compares it: without its TLS, deny lists and compression. */
    static RemoteConfig key(RemoteConfig r) {
        return new RemoteConfig(r.urls(), r.account(), r.credentials(), List.of(), List.of(), Optional.empty(), r.hub(),
                r.wsCompression(), r.wsNoMasking(), CompressionOptions.DEFAULT);
    }

    /** Go's TLS_TIMEOUT: the TLS timeout Go compares when a block has no {@code tls}. */
    private static final java.time.Duration TLS_TIMEOUT = java.time.Duration.ofSeconds(2);

    /** A remote as compared: its key and its TLS timeout (Go keeps TLSTimeout in the comparison). */
    private record ComparedRemote(RemoteConfig key, java.time.Duration tlsTimeout) {
    }

    /** The block as compared: without TLS (but with the TLS timeout), remotes and users in a fixed order. */
    private record Compared(LeafConfig config, java.time.Duration tlsTimeout, List<ComparedRemote> remotes) {
    }

    private static Compared comparable(LeafConfig c) {
        List<ComparedRemote> remotes = new ArrayList<>();
        for (RemoteConfig r : c.remotes()) {
            remotes.add(new ComparedRemote(key(r), r.tls().map(t -> t.policy().handshakeTimeout()).orElse(TLS_TIMEOUT)));
        }
        remotes.sort(Comparator.comparing(ComparedRemote::toString));
        List<LeafUser> users = new ArrayList<>(c.auth().users());
        users.sort(Comparator.comparing(LeafUser::user));
        LeafConfig.LeafAuth auth = new LeafConfig.LeafAuth(c.auth().user(), c.auth().password(), c.auth().account(),
                c.auth().timeout(), users);
        return new Compared(new LeafConfig(c.host(), c.port(), auth, Optional.empty(), c.advertise(), c.noAdvertise(),
                c.reconnect(), List.of(), CompressionOptions.DEFAULT), c.tls().map(t -> t.timeout()).orElse(TLS_TIMEOUT), remotes);
    }

    /** The block in one line, passwords left out (the text goes to the log and to {@code --signal reload}). */
    private static String describe(LeafConfig c) {
        StringBuilder b = new StringBuilder("{host:").append(c.host()).append(" port:").append(c.port())
                .append(" advertise:").append(c.advertise()).append(" no_advertise:").append(c.noAdvertise())
                .append(" reconnect:").append(c.reconnect().toMillis()).append("ms authorization:{user:")
                .append(c.auth().user()).append(" account:").append(c.auth().account()).append(" timeout:")
                .append(c.auth().timeout().toMillis()).append("ms users:")
                .append(c.auth().users().stream().map(u -> u.user() + "/" + u.account()).sorted().toList())
                .append("} tls_timeout:").append(c.tls().map(t -> t.timeout()).orElse(TLS_TIMEOUT).toMillis())
                .append("ms remotes:[");
        for (RemoteConfig r : c.remotes()) {
            b.append("{urls:").append(r.urls().stream().map(LeafUrl::redacted).toList()).append(" account:")
                    .append(r.account()).append(" credentials:").append(r.credentials()).append(" hub:")
                    .append(r.hub()).append(r.wsCompression() ? " ws_compression:true" : "")
                    .append(r.wsNoMasking() ? " ws_no_masking:true" : "").append('}');
        }
        return b.append("]}").toString();
    }
}
