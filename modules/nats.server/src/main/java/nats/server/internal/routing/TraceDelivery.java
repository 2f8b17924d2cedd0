package nats.server.internal.routing;

import nats.server.internal.trace.ActiveTrace;

/**
 * Delivery of a traced message (Go 2.11 message tracing), off the plain path: each client subscription's
 * delivery, or the reason it did not happen, becomes an egress entry with Go's error text; a trace-only message
 * is recorded as delivered without being sent, and reaches only the internal subscribers that report instead
 * of acting on it.
 */
public final class TraceDelivery {

    private TraceDelivery() {
    }

    /** @param touched collects the subscriber to flush; null when the caller flushes it itself */
    public static boolean deliver(ServerSubscription sub, RoutedMessage m, FlushSet touched) {
        ActiveTrace trace = m.trace;
        Subscriber subscriber = sub.subscriber();
        if (!(subscriber instanceof TracedSubscriber client)) {
            if (trace.traceOnly() && !subscriber.takesTraceOnly(sub)) {
                // Counted as delivered, as Go does, so the publisher hears no "no responders".
                return true;
            }
            return plain(sub, m, touched);
        }
        String refused = sub.isClosed() ? ActiveTrace.ERROR_SUB_CLOSED
                : client.isClosed() ? ActiveTrace.ERROR_CLIENT_CLOSED
                : client.deniesDelivery(m) ? ActiveTrace.ERROR_SUB_DENY
                : sub.max() > 0 && sub.delivered() >= sub.max() ? ActiveTrace.ERROR_AUTO_SUB_EXCEEDED
                : null;
        if (refused == null && trace.traceOnly()) {
            egress(trace, client, sub, null);
            return true;
        }
        if (refused != null) {
            egress(trace, client, sub, refused);
            return false;
        }
        boolean delivered = plain(sub, m, touched);
        egress(trace, client, sub, delivered ? null : ActiveTrace.ERROR_CLIENT_CLOSED);
        return delivered;
    }

    static void noEcho(ServerSubscription sub, ActiveTrace trace) {
        if (sub.subscriber() instanceof TracedSubscriber client) {
            egress(trace, client, sub, ActiveTrace.ERROR_NO_ECHO);
        }
    }

    private static boolean plain(ServerSubscription sub, RoutedMessage m, FlushSet touched) {
        if (sub.isClosed() || !sub.subscriber().deliver(sub, m)) {
            return false;
        }
        if (touched != null) {
            touched.add(sub.subscriber());
        }
        return true;
    }

    private static void egress(ActiveTrace trace, TracedSubscriber client, ServerSubscription sub, String error) {
        trace.clientEgress(client.traceConnectionId(), client.traceName(), client.traceAccount(), sub.subject(),
                sub.queue(), error);
    }
}
