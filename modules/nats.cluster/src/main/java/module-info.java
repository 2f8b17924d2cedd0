/**
 * Clustering with routes, as Go's nats-server does it: a full mesh of servers speaking Go's route protocol
 * (interest per account, RMSG, gossip, cluster names), so jnatsd and Go servers share one cluster.
 */
module nats.cluster {
    requires nats.api;
    requires nats.transport;
    requires org.xerial.snappy;

    provides nats.api.ServerPlugin with nats.cluster.ClusterPlugin;
}
