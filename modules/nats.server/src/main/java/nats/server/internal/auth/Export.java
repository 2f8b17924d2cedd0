package nats.server.internal.auth;

import java.time.Duration;
import java.util.Optional;

/** A stream or service an account offers to others (Go's {@code jwt.Export}). */
public record Export(
        String name,
        String subject,
        ExportType type,
        boolean tokenRequired,
        RevocationList revocations,
        String responseType,
        Duration responseThreshold,
        Optional<ServiceLatency> latency,
        long accountTokenPosition,
        boolean advertise,
        String description,
        String infoUrl) {

    public static final String RESPONSE_SINGLETON = "Singleton";
    public static final String RESPONSE_STREAM = "Stream";
    public static final String RESPONSE_CHUNKED = "Chunked";

    /** Latency tracking of a service: a sampling percentage (0 means "headers") and the results subject. */
    public record ServiceLatency(long sampling, String results) {
    }
}
