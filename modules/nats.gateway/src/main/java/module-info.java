/**
 * Gateways between clusters, as Go's nats-server joins them into a super-cluster: Go's gateway protocol
 * (optimistic and interest-only modes per account, {@code _GR_.} reply routing), so jnatsd and Go clusters share one.
 */
module nats.gateway {
    requires nats.api;
    requires nats.transport;

    provides nats.api.ServerPlugin with nats.gateway.GatewayPlugin;
}
