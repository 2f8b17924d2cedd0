package nats.api.monitoring;

import java.util.function.Supplier;

/**
 * What a plugin adds to the server's monitoring: documents on the HTTP port and as system-account requests,
 * sections of {@code /varz} and of the statistics events, fields of the INFO clients receive, and health
 * checks. Documents are JSON values as Go's {@code encoding/json} would render them: {@code Map}s in field
 * order, {@code List}s, {@code String}s, numbers, {@code Boolean}s, {@code java.time.Instant}s (RFC 3339),
 * {@code null}, and {@link RawJson}.
 *
 * <p>Since API 2.1 a plugin can also add Prometheus metrics ({@link #metrics(MetricsSource)}).
 */
public interface Monitoring {

    /**
     * Serves a document at {@code path} on the monitoring port (e.g. {@code /jsz}) and, when {@code requestName}
     * is not empty, as the system requests {@code $SYS.REQ.SERVER.PING.<name>} and
     * {@code $SYS.REQ.SERVER.<id>.<name>} (e.g. {@code JSZ}), answered in Go's {@code {"server":..,"data":..}}
     * envelope.
     */
    void document(String path, String requestName, MonitorDocument document);

    /** Serves {@code $SYS.REQ.ACCOUNT.<account>.<name>} (e.g. {@code JSZ}) for one account. */
    void accountDocument(String requestName, AccountDocument document);

    /**
     * Adds a section to {@code /varz} (e.g. {@code jetstream}, {@code websocket}, {@code cluster}), or replaces the
     * value of a field Go prints there ({@code routes}); a null value leaves the field out.
     */
    void varzSection(String name, Supplier<Object> section);

    /**
     * Adds a field to the INFO sent to clients (e.g. {@code jetstream: true}, {@code connect_urls}); the
     * supplier is asked each time an INFO is written, and a null value leaves the field out.
     */
    void infoField(String name, Supplier<Object> value);

    /**
     * Sends the INFO again, as Go's asynchronous INFO, to the clients that accept it (protocol 1, after their
     * first PONG), because a field a plugin provides changed (e.g. {@code connect_urls} as servers join the
     * cluster or leave it).
     *
     * @since API 2.2
     */
    void announceInfo();

    /**
     * Sets a field of an account's details ({@code /accountz?acc=}, {@code $SYS.REQ.ACCOUNT.<account>.INFO}) from
     * the account's name, e.g. {@code jetstream_enabled}: a field the kernel already prints keeps its place and
     * takes this value; a null value leaves the kernel's.
     *
     * @since API 2.2
     */
    default void accountField(String name, java.util.function.Function<String, Object> value) {
    }

    /** Adds a section to the server statistics events and {@code STATSZ} answers (e.g. {@code jetstream}). */
    void statszSection(String name, Supplier<Object> section);

    /** Adds a check to {@code /healthz} and the {@code HEALTHZ} request. */
    void healthCheck(HealthCheck check);

    /**
     * Adds metrics to the server's Prometheus endpoint ({@code /metrics} on the monitoring port). The source is
     * asked once per scrape; see {@link MetricsSource} for what it may do there and {@link MetricsWriter} for the
     * naming rules. Since API 2.1.
     */
    void metrics(MetricsSource source);
}
