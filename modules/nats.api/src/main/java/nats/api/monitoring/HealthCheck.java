package nats.api.monitoring;

import java.util.Optional;

/** One check of {@code /healthz}; the server is healthy when every check passes. */
@FunctionalInterface
public interface HealthCheck {

    /**
     * @param query the request's options (e.g. {@code js-enabled-only}, {@code js-server-only})
     * @return Go's error text when unhealthy, empty when healthy
     */
    Optional<String> check(MonitorQuery query);
}
