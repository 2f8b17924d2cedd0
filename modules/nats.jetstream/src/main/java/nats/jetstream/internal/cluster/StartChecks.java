package nats.jetstream.internal.cluster;

import java.util.Locale;
import java.util.Optional;

/**
 * Go's start-up checks for JetStream in a cluster, in Go's order and with its texts: {@code validateJetStreamOptions}
 * (server name, cluster name, {@code extension_hint}, {@code max_outstanding_catchup}), then
 * {@code enableJetStreamClustering} (configured routes). Made when the plugin running routes is about to start a
 * cluster with a port, as Go makes them only then.
 *
 * @param named         whether {@code server_name} was configured (not defaulted to the server id)
 * @param extensionHint the {@code jetstream} block's {@code extension_hint} as written
 * @param maxCatchup    its {@code max_outstanding_catchup}
 */
record StartChecks(boolean named, String extensionHint, long maxCatchup) {

    /**
     * @param clusterName      the cluster's configured name; empty when dynamic
     * @param configuredRoutes how many routes the cluster block configures
     * @return Go's text for the first check that fails; empty when all pass
     */
    Optional<String> refusal(Optional<String> clusterName, int configuredRoutes) {
        if (!named) {
            return Optional.of("jetstream cluster requires `server_name` to be set");
        }
        if (clusterName.isEmpty()) {
            return Optional.of("jetstream cluster requires `cluster.name` to be set");
        }
        String hint = extensionHint.toLowerCase(Locale.ROOT);
        if (!hint.isEmpty() && !hint.equals("will_extend") && !hint.equals("no_extend")) {
            return Optional.of("expected 'no_extend' for string value, got '" + hint + "'");
        }
        if (maxCatchup < 0) {
            return Optional.of("jetstream max catchup cannot be negative");
        }
        // Go also accepts a solicited leafnode sharing the system account instead of routes; this plugin does not
        // see leafnode remotes (and does not extend a domain over one).
        if (configuredRoutes == 0) {
            return Optional.of("Can't start JetStream: JetStream cluster requires configured routes or "
                    + "solicited leafnode for the system account");
        }
        return Optional.empty();
    }
}
