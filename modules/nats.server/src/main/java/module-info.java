/**
 * The jnatsd kernel: configuration, plugin discovery, client connections and subject routing. Protocol and
 * service modules plug in through {@link nats.api.ServerPlugin}.
 */
module nats.server {
    requires transitive nats.api;
    requires transitive nats.transport;
    requires jdk.httpserver;
    requires java.net.http;
    // bcrypt password hashes ($2a$...) and the ASN.1 to read PKCS#1/SEC1 PEM keys, which the JDK lacks.
    requires org.bouncycastle.provider;

    exports nats.server;
    exports nats.server.options;

    uses nats.api.ServerPlugin;
}
