package nats.server.internal.account;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

import nats.transport.json.GoTime;
import nats.server.internal.routing.RoutedMessage;

/**
 * One sampled request through a service import with latency tracking. When the first response passes,
 * a Go-shaped {@code io.nats.server.metric.v1.service_latency} metric is published on the export's latency
 * subject in the exporting account: requestor and responder client info, request start, and the service,
 * system and total latencies in nanoseconds (Go's sendTrackingLatency arithmetic).
 */
final class LatencyTracking {

    private final Account exporter;
    private final String subject;
    private final String requestor;
    private final long requestorRtt;
    private final long startNanos;
    private final Instant startWall;
    private final AtomicBoolean reported = new AtomicBoolean();

    private LatencyTracking(Account exporter, String subject, String requestor, long requestorRtt) {
        this.exporter = exporter;
        this.subject = subject;
        this.requestor = requestor;
        this.requestorRtt = requestorRtt;
        this.startNanos = System.nanoTime();
        this.startWall = Instant.now();
    }

    static LatencyTracking start(Account exporter, String subject, RoutedMessage request) {
        String requestor = request.publisher == null ? "{\"acc\":\"" + request.originAccount + "\"}"
                : request.publisher.clientInfoJson(false);
        long rtt = request.publisher == null ? 0 : request.publisher.rttNanos();
        return new LatencyTracking(exporter, subject, requestor, rtt);
    }

    void responded(RoutedMessage response) {
        if (!reported.compareAndSet(false, true)) {
            return;
        }
        long serviceRtt = System.nanoTime() - startNanos;
        long responderRtt = response.publisher == null ? 0 : response.publisher.rttNanos();
        long service = Math.max(0, serviceRtt - responderRtt);
        long system = 0;
        long total = requestorRtt + serviceRtt;
        String responder = response.publisher == null ? null : response.publisher.clientInfoJson(true);
        StringBuilder json = new StringBuilder(512)
                .append("{\"type\":\"io.nats.server.metric.v1.service_latency\",\"id\":\"")
                .append(EventIds.next()).append("\",\"timestamp\":\"").append(GoTime.format(Instant.now()))
                .append("\",\"status\":200,\"requestor\":").append(requestor);
        if (responder != null) {
            json.append(",\"responder\":").append(responder);
        }
        json.append(",\"start\":\"").append(GoTime.format(startWall.minusNanos(requestorRtt)))
                .append("\",\"service\":").append(service)
                .append(",\"system\":").append(system)
                .append(",\"total\":").append(total).append('}');
        InternalPublisher.publish(exporter, subject, "", json.toString().getBytes(StandardCharsets.UTF_8));
    }
}
