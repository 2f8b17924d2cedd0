/**
 * Wire-level building blocks shared by the kernel and protocol plugins: the allocation-free NATS client
 * protocol parser, plain and TLS connections, the {@code tls {}} block loaded one way for every listener,
 * JSON as Go writes it, the S2 stream codec of compressed links, the plumbing shared by server-to-server links, an HTTP/1.1 request reader for upgrades (WebSocket), and helpers for reading Go-format
 * config blocks.
 */
module nats.transport {
    requires transitive nats.api;
    requires org.bouncycastle.provider;
    requires org.xerial.snappy;

    exports nats.transport.compress;
    exports nats.transport.config;
    exports nats.transport.http;
    exports nats.transport.json;
    exports nats.transport.link;
    exports nats.transport.net;
    exports nats.transport.protocol;
    exports nats.transport.tls;
}
