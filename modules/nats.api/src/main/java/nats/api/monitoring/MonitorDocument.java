package nats.api.monitoring;

/** Produces a monitoring document for one request. */
@FunctionalInterface
public interface MonitorDocument {

    /**
     * @return the document as a JSON value (see {@link Monitoring})
     * @throws MonitorException with Go's text for a bad request (HTTP 400, or the system request's error)
     */
    Object document(MonitorQuery query) throws MonitorException;
}
