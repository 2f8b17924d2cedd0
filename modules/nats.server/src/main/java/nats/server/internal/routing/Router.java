package nats.server.internal.routing;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Fans a message out to a match result: every plain subscription, and one randomly chosen member of each
 * queue group. Shared by network and in-process publishers so both route identically. Results that involve
 * links to other servers, and messages that came over one, take {@link LinkRouting}'s path; the plain
 * path stays as it is for a server without them.
 */
public final class Router {

    private Router() {
    }

    /**
     * @param publisher the publishing connection, skipped when {@code echo} is false
     * @param touched   collects subscribers to flush once the publisher's batch is done
     * @return whether anyone received the message
     */
    public static boolean deliver(MatchResult result, RoutedMessage m, Subscriber publisher, boolean echo,
                                  FlushSet touched) {
        if (result.involvesLinks() || m.kind.isRemote()) {
            return LinkRouting.deliver(result, m, publisher, echo, touched);
        }
        boolean delivered = false;
        for (ServerSubscription sub : result.plain()) {
            if (echo || sub.subscriber() != publisher) {
                delivered |= deliverTo(sub, m, touched);
            } else if (m.trace != null) {
                TraceDelivery.noEcho(sub, m.trace);
            }
        }
        for (ServerSubscription[] group : result.queueGroups()) {
            delivered |= deliverToOneMember(group, m, publisher, echo, touched);
        }
        return delivered;
    }

    /**
     * Delivers only to the links of a match result that forward the message's origin: a client's answer to a
     * request that crossed a gateway goes back the way it came (Go's handleGWReplyMap), never to local
     * subscribers of the prefixed subject.
     */
    public static boolean deliverToLinks(MatchResult result, RoutedMessage m, FlushSet touched) {
        LinkTargets targets = touched.linkTargets();
        for (ServerSubscription sub : result.links()) {
            RemoteSubscriber link = (RemoteSubscriber) sub.subscriber();
            if (!sub.isClosed() && link.forwards(m.kind) && link.acceptsFrom(m.sourceLink)) {
                targets.addPlain(link);
            }
        }
        return !targets.isEmpty() && targets.sendAll(m, touched);
    }

    /**
     * Starts at a random member and goes on to the next while a member refuses the message (closed, a
     * subscribe-deny permission, a slow consumer), as Go tries the queue's members in turn.
     */
    private static boolean deliverToOneMember(ServerSubscription[] group, RoutedMessage m, Subscriber publisher,
                                              boolean echo, FlushSet touched) {
        int start = group.length == 1 ? 0 : ThreadLocalRandom.current().nextInt(group.length);
        for (int i = 0; i < group.length; i++) {
            ServerSubscription candidate = group[(start + i) % group.length];
            if ((echo || candidate.subscriber() != publisher) && deliverTo(candidate, m, touched)) {
                return true;
            }
        }
        return false;
    }

    static boolean deliverTo(ServerSubscription sub, RoutedMessage m, FlushSet touched) {
        if (m.trace != null) {
            return TraceDelivery.deliver(sub, m, touched);
        }
        if (sub.isClosed() || !sub.subscriber().deliver(sub, m)) {
            return false;
        }
        touched.add(sub.subscriber());
        return true;
    }
}
