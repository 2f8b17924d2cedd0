package nats.leafnode.internal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import nats.transport.compress.CompressionOptions;
import nats.transport.tls.TlsOptions;

/**
 * The {@code leafnodes} block as Go's parseLeafNodes reads it: an optional listener for leaf nodes that
 * connect here (this server is their hub), and the remotes this server connects to (it is their leaf).
 *
 * @param host        the address to listen on
 * @param port        the leaf port; 0 when this server accepts no leaf nodes, -1 picks one
 * @param auth        what a connecting leaf node must present
 * @param tls         the listener's {@code tls} block
 * @param advertise   the {@code host:port} announced in {@code leafnode_urls}, empty for the listener's
 * @param noAdvertise whether this server's URL is kept out of {@code leafnode_urls}
 * @param reconnect   the pause before a remote is dialled again
 * @param remotes     the hubs this server connects to
 * @param compression the {@code compression} this side announces to leafs that connect (Go 2.10's default
 *                    {@code s2_auto}); S2 is used only with a peer that announces compression too
 */
public record LeafConfig(String host, int port, LeafAuth auth, Optional<TlsOptions> tls, String advertise,
                         boolean noAdvertise, Duration reconnect, List<RemoteConfig> remotes,
                         CompressionOptions compression) {

    /** Go's DEFAULT_LEAF_NODE_RECONNECT. */
    public static final Duration DEFAULT_RECONNECT = Duration.ofSeconds(1);
    /** Go's leafnode default host. */
    public static final String DEFAULT_HOST = "0.0.0.0";
    /**
     * Leaf compression when none is configured: the protocol of Go 2.9, the version this server reports (nothing
     * about compression in INFO, CONNECT or /leafz), as for routes. Go 2.10's default is {@code s2_auto}; configure
     * it to compress with peers that announce compression.
     */
    public static final CompressionOptions DEFAULT_COMPRESSION = CompressionOptions.DEFAULT;

    public LeafConfig {
        remotes = List.copyOf(remotes);
    }

    /** Whether this server accepts leaf-node connections. */
    public boolean listens() {
        return port != 0;
    }

    /**
     * The leafnode {@code authorization} block.
     *
     * @param user     the single user's name, empty for none
     * @param password its password (bcrypt allowed)
     * @param account  the account the single user (or anyone, without credentials) binds to; empty for the global one
     * @param timeout  how long a leaf node may take to send its CONNECT
     * @param users    users with their accounts
     */
    public record LeafAuth(String user, String password, String account, Duration timeout, List<LeafUser> users) {

        public LeafAuth {
            users = List.copyOf(users);
        }

        /** Whether a leaf node must present credentials. */
        public boolean required() {
            return !user.isEmpty() || !users.isEmpty();
        }
    }

    /** A user of the leafnode {@code authorization} block, bound to an account (empty: the global one). */
    public record LeafUser(String user, String password, String account) {
    }

    /**
     * One entry of {@code remotes}.
     *
     * @param urls        the hub's leafnode URLs ({@code nats-leaf://user:pass@host:port}), tried in turn
     * @param account     the local account bound to the connection, empty for the global one
     * @param credentials a {@code .creds} file (user JWT and nkey seed), empty for none
     * @param denyImports subjects this server never takes from the hub
     * @param denyExports subjects this server never sends to the hub
     * @param tls         the remote's {@code tls} block
     * @param hub         whether this server is the hub of that connection ({@code hub: true})
     * @param wsCompression over WebSocket, offer permessage-deflate ({@code ws_compression})
     * @param wsNoMasking   over WebSocket, ask to send unmasked frames ({@code ws_no_masking})
     */
    public record RemoteConfig(List<LeafUrl> urls, String account, String credentials, List<String> denyImports,
                               List<String> denyExports, Optional<RemoteTls> tls, boolean hub,
                               boolean wsCompression, boolean wsNoMasking, CompressionOptions compression) {

        public RemoteConfig {
            urls = List.copyOf(urls);
            denyImports = List.copyOf(denyImports);
            denyExports = List.copyOf(denyExports);
        }
    }
}
