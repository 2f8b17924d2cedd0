package nats.cluster.internal;

import nats.api.links.LocalInterestListener;

/**
 * Relays changes of this server's interest to the routes that carry the account: {@code RS+}/{@code RS-}, or, for
 * interest a leaf node of another cluster holds here, Go 2.9's {@code LS+ origin ...}/{@code LS-} to peers that
 * announced {@code lnoc}.
 */
final class OriginInterestRelay implements LocalInterestListener {

    private final Cluster cluster;

    OriginInterestRelay(Cluster cluster) {
        this.cluster = cluster;
    }

    @Override
    public void interestChanged(String account, String subject, String queue, int weight) {
        interestChanged(account, subject, queue, weight, "");
    }

    @Override
    public void interestChanged(String account, String subject, String queue, int weight, String origin) {
        for (Route r : cluster.routeList()) {
            if (r.carries(account)) {
                r.sendInterest(account, subject, queue, weight, origin);
            }
        }
    }
}
