/**
 * A drop-in test plugin that exercises every element of the plugin contract from the child module layer:
 * accounts, in-process connections and the byte-slice fast path, listeners, client sessions of both kinds,
 * monitoring, config validation and reload. The image tests load it as a jar. Depends on nats.api only.
 */
module nats.example.probe {
    requires nats.api;

    provides nats.api.ServerPlugin with nats.example.probe.ProbePlugin;
}
