package nats.server.internal.account;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import nats.server.internal.routing.FlushSet;
import nats.server.internal.routing.MatchResult;
import nats.server.internal.routing.RoutedMessage;
import nats.server.internal.routing.Router;
import nats.server.internal.routing.ServerSubscription;
import nats.server.internal.routing.Subscriber;
import nats.server.options.AccountConfig;

/**
 * The way back for responses to imported services. Requests reach the exporting account with a reply of
 * the form {@code _R_.<prefix>.<id>}; one wildcard subscription on the prefix catches the responses and
 * forwards each to the requester's own reply subject in the importing account. A singleton response ends
 * the route; streamed and chunked ones keep it until the export's threshold passes without traffic.
 */
final class ServiceResponses implements Subscriber {

    private record Route(Account importer, String reply, AccountConfig.ResponseType type, long thresholdNanos,
                         long[] lastUsed, LatencyTracking tracking) {
    }

    private final String prefix;
    private final Account exporter;
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private volatile boolean subscribed;

    ServiceResponses(Account exporter) {
        this.prefix = "_R_." + Base62.random(ThreadLocalRandom.current(), 6) + ".";
        this.exporter = exporter;
    }

    /**
     * The catch-all subscription is made with the first request, as Go's createRespWildcard does: only then is it
     * in the account's subscriptions (and announced to the cluster's other servers, which route responses back).
     */
    private void subscribeOnce() {
        if (subscribed) {
            return;
        }
        synchronized (this) {
            if (subscribed) {
                return;
            }
            ServerSubscription catchAll = new ServerSubscription(this, prefix + ">", null, new byte[0]);
            try {
                exporter.sublist().insert(catchAll);
            } catch (nats.server.internal.routing.Sublist.InvalidSubjectException e) {
                throw new IllegalStateException("the response prefix is a valid subject", e);
            }
            subscribed = true;
        }
    }

    String register(Account importer, String reply, AccountConfig.Export export, LatencyTracking tracking) {
        subscribeOnce();
        String subject = prefix + Base62.random(ThreadLocalRandom.current(), 6);
        routes.put(subject, new Route(importer, reply, export.responseType(), export.threshold().toNanos(),
                new long[] {System.nanoTime()}, tracking));
        return subject;
    }

    void forget(String subject) {
        routes.remove(subject);
    }

    int pending() {
        return routes.size();
    }

    /** Drops routes whose threshold passed without a response. */
    void expire(long nowNanos) {
        routes.values().removeIf(r -> nowNanos - r.lastUsed()[0] > r.thresholdNanos());
    }

    @Override
    public boolean deliver(ServerSubscription subscription, RoutedMessage m) {
        String subject = m.subjectString();
        Route route = routes.get(subject);
        if (route == null) {
            return false;
        }
        RoutedMessage response = m.redirected(route.reply(), "");
        MatchResult result = route.importer().sublist().match(route.reply());
        FlushSet touched = new FlushSet();
        boolean delivered = !result.isEmpty() && Router.deliver(result, response, null, true, touched);
        touched.flushAll();
        if (route.tracking() != null && delivered) {
            route.tracking().responded(m);
        }
        if (!delivered || route.type() == AccountConfig.ResponseType.SINGLETON) {
            routes.remove(subject);
        } else {
            route.lastUsed()[0] = System.nanoTime();
        }
        return delivered;
    }

    @Override
    public void flushPending() {
        // Responses are flushed as they are forwarded.
    }
}
