package nats.server.internal.routing;

/**
 * A client as trace events name it: the subscribers whose deliveries are recorded as Go's egress entries of
 * kind client. Links report their own egresses; the server's internal subscribers have none, as in Go.
 */
public interface TracedSubscriber extends Subscriber {

    long traceConnectionId();

    /** The client's name from CONNECT, "" for none. */
    String traceName();

    String traceAccount();

    /** Whether the client's subscribe permissions refuse {@code m}'s subject (Go's checkDenySub). */
    boolean deniesDelivery(RoutedMessage m);

    boolean isClosed();
}
