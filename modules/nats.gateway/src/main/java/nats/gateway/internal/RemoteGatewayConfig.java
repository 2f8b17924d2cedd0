package nats.gateway.internal;

import java.util.List;
import java.util.Optional;

import nats.transport.tls.TlsOptions;

/**
 * One entry of {@code gateways: [...]}: a cluster to connect to.
 *
 * @param name the remote cluster's gateway name
 * @param urls where its servers listen for gateways
 * @param tls  TLS for the connections to it; empty for the gateway block's
 */
public record RemoteGatewayConfig(String name, List<GatewayUrl> urls, Optional<TlsOptions> tls) {

    public RemoteGatewayConfig {
        urls = List.copyOf(urls);
    }
}
