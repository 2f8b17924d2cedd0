/**
 * Leaf nodes, as Go's nats-server connects them: a hub accepts leaf-node connections on its leafnode port, a
 * leaf dials its remotes; both speak Go's leaf protocol (LS+/LS-, LMSG), so jnatsd and Go servers mix freely.
 */
module nats.leafnode {
    requires nats.api;
    requires nats.transport;

    provides nats.api.ServerPlugin with nats.leafnode.LeafNodePlugin;
}
