package nats.mqtt.internal.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import nats.transport.tls.TlsOptions;

/**
 * The {@code mqtt {}} block as Go's MQTTOpts holds it, with Go's defaults applied.
 *
 * @param host                      the address to listen on ({@code 0.0.0.0} when a port is set and no host)
 * @param port                      the port; 0 means no listener (Go then ignores the block), -1 any free port
 * @param tls                       the block's {@code tls {}}, empty for plain connections
 * @param tlsWarnings               what the TLS reader told the operator
 * @param authBlock                 the keys the kernel reads for the credentials override ({@code no_auth_user}
 *                                  and {@code authorization})
 * @param noAuthUser                {@code no_auth_user}, empty when not set
 * @param username                  the {@code authorization} block's user, empty when not set
 * @param token                     the {@code authorization} block's token, empty when not set
 * @param authTimeout               the {@code authorization} block's {@code timeout} in seconds, 0 when not set
 * @param jsDomain                  {@code js_domain}, empty when not set
 * @param streamReplicas            {@code stream_replicas} (0: chosen by the server)
 * @param consumerMemoryStorage     {@code consumer_memory_storage}
 * @param consumerInactiveThreshold {@code consumer_inactive_threshold}, zero when not set
 * @param ackWait                   {@code ack_wait} as configured, zero for Go's default
 * @param maxAckPending             {@code max_ack_pending} as configured, 0 for Go's default
 * @param rejectQos2Publish         {@code reject_qos2_publish}: a QoS 2 PUBLISH closes the connection
 * @param downgradeQos2Subscribe    {@code downgrade_qos2_subscribe}: QoS 2 subscriptions are granted QoS 1
 * @param warnings                  Go's configuration warnings (ignored keys)
 */
public record MqttOptions(String host, int port, Optional<TlsOptions> tls, List<String> tlsWarnings,
                          Map<String, Object> authBlock, String noAuthUser, String username, String token,
                          double authTimeout, String jsDomain, int streamReplicas, boolean consumerMemoryStorage,
                          Duration consumerInactiveThreshold, Duration ackWait, int maxAckPending,
                          boolean rejectQos2Publish, boolean downgradeQos2Subscribe, List<String> warnings) {

    /** Go's mqttDefaultAckWait. */
    public static final Duration DEFAULT_ACK_WAIT = Duration.ofSeconds(30);
    /** Go's mqttDefaultMaxAckPending. */
    public static final int DEFAULT_MAX_ACK_PENDING = 1024;
    /** Go's DEFAULT_HOST for listeners. */
    public static final String DEFAULT_HOST = "0.0.0.0";

    public MqttOptions {
        tlsWarnings = List.copyOf(tlsWarnings);
        authBlock = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(authBlock));
        warnings = List.copyOf(warnings);
    }

    /** Whether the block opens a listener: Go ignores an {@code mqtt {}} block without a port. */
    public boolean listens() {
        return port != 0;
    }

    /** Whether the block overrides the server's credentials for MQTT clients (Go's mqttConfigAuth). */
    public boolean overridesAuth() {
        return !username.isEmpty() || !token.isEmpty() || !noAuthUser.isEmpty();
    }

    /** The redelivery interval consumers are created with. */
    public Duration effectiveAckWait() {
        return ackWait.isZero() ? DEFAULT_ACK_WAIT : ackWait;
    }

    /** The pending limit consumers and sessions are created with. */
    public int effectiveMaxAckPending() {
        return maxAckPending == 0 ? DEFAULT_MAX_ACK_PENDING : maxAckPending;
    }

    /** The TLS handshake timeout in seconds, as {@code /varz} shows it (Go's default 2 when TLS is set). */
    public double tlsTimeoutSeconds() {
        return tls.map(t -> t.timeout().toNanos() / 1e9).orElse(listens() ? 2.0 : 0.0);
    }
}
