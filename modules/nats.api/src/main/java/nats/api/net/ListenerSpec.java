package nats.api.net;

import java.util.Optional;

/**
 * A listener a plugin asks the kernel to open.
 *
 * @param name     what it serves, as Go names it in logs and the ports file: {@code websocket}, {@code mqtt},
 *                 {@code cluster}, {@code leafnodes}, {@code gateway}
 * @param host     the address to bind ({@code 0.0.0.0} for all)
 * @param port     the port; 0 or -1 picks a free one
 * @param tls      TLS run by the kernel before the plugin sees the connection; empty for plain connections
 *                 (a plugin that upgrades later, after a plain-text greeting, uses {@code nats.transport})
 * @param logLabel how the kernel logs the bound address: followed by a space and {@code host:port}, e.g.
 *                 {@code "Listening for route connections on"}, or directly by {@code host:port} when it ends
 *                 with a URL scheme, e.g. {@code "Listening for websocket clients on ws://"}
 */
public record ListenerSpec(String name, String host, int port, Optional<TlsPolicy> tls, String logLabel) {
}
