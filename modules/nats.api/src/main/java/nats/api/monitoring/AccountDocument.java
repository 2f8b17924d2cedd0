package nats.api.monitoring;

/** Produces a monitoring document about one account, for {@code $SYS.REQ.ACCOUNT.<account>.<name>}. */
@FunctionalInterface
public interface AccountDocument {

    /** @throws MonitorException with Go's text when the request cannot be answered */
    Object document(String account, MonitorQuery query) throws MonitorException;
}
