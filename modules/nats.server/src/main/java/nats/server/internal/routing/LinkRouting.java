package nats.server.internal.routing;

import java.util.concurrent.ThreadLocalRandom;

import nats.api.links.QueueRole;
import nats.api.messaging.MessageOrigin;

/**
 * Routing when links to other servers are involved, as Go's processMsgResults does it:
 * <ul>
 *   <li>local plain subscribers get the message as on a single server;</li>
 *   <li>each queue group gives it to one member in the whole cluster: a link stands for the members the other
 *       server announced (its weight), so every member has the same chance; a link whose role for the
 *       message's origin is {@link QueueRole#FALLBACK} is chosen only when no local member took it;</li>
 *   <li>a message that came over a link goes only to the queue groups it names (the other server chose this
 *       one for them), and to none when it names none;</li>
 *   <li>each link gets the message once, with the names of the groups it was chosen for, and only when its
 *       rule for the message's origin allows (a route forwards nothing that came from another route).</li>
 * </ul>
 */
final class LinkRouting {

    private LinkRouting() {
    }

    static boolean deliver(MatchResult result, RoutedMessage m, Subscriber publisher, boolean echo,
                           FlushSet touched) {
        boolean delivered = false;
        for (ServerSubscription sub : result.plain()) {
            if (echo || sub.subscriber() != publisher) {
                delivered |= Router.deliverTo(sub, m, touched);
            } else if (m.trace != null) {
                TraceDelivery.noEcho(sub, m.trace);
            }
        }
        LinkTargets targets = touched.linkTargets();
        MessageOrigin origin = m.kind;
        boolean fromLink = origin.isRemote();
        ServerSubscription[][] groups = result.queueGroups();
        boolean filtered = fromLink && !m.anyQueueGroup;
        if (groups.length > 0 && (!filtered || m.queuesLength > 0)) {
            for (ServerSubscription[] group : groups) {
                if (filtered && !LinkTargets.named(m.queues, m.queuesOffset, m.queuesLength, group[0].queue())) {
                    continue;
                }
                delivered |= chooseMember(group, m, origin, publisher, echo, touched, targets);
            }
        }
        for (ServerSubscription sub : result.links()) {
            RemoteSubscriber link = (RemoteSubscriber) sub.subscriber();
            if (!sub.isClosed() && link.forwards(origin) && link.acceptsFrom(m.sourceLink)) {
                targets.addPlain(link);
            }
        }
        if (!targets.isEmpty()) {
            delivered |= targets.sendAll(m, touched);
        }
        return delivered;
    }

    /**
     * Picks one member by weight (local members count 1, a {@link QueueRole#MEMBER} link its announced
     * count), then goes on from there while members refuse; a link chosen is only recorded, the message
     * goes to it at the end. When nobody took it, the first {@link QueueRole#FALLBACK} link gets it.
     *
     * @return whether a local member took the message
     */
    private static boolean chooseMember(ServerSubscription[] group, RoutedMessage m, MessageOrigin origin,
                                        Subscriber publisher, boolean echo, FlushSet touched, LinkTargets targets) {
        long total = 0;
        for (ServerSubscription sub : group) {
            total += weight(sub, origin);
        }
        if (total > 0) {
            long pick = total == 1 ? 0 : ThreadLocalRandom.current().nextLong(total);
            int start = 0;
            for (long seen = 0; start < group.length; start++) {
                seen += weight(group[start], origin);
                if (pick < seen) {
                    break;
                }
            }
            for (int i = 0; i < group.length; i++) {
                ServerSubscription candidate = group[(start + i) % group.length];
                if (candidate.isClosed() || weight(candidate, origin) == 0) {
                    continue;
                }
                if (candidate.subscriber() instanceof RemoteSubscriber link) {
                    if (!link.acceptsFrom(m.sourceLink)) {
                        continue;
                    }
                    targets.addQueue(link, candidate.queue());
                    return false;
                }
                if ((echo || candidate.subscriber() != publisher) && Router.deliverTo(candidate, m, touched)) {
                    return true;
                }
            }
        }
        // No member took it: one fallback link, chosen by the weight it announced (Go's sublist holds a
        // remote queue subscription once per member, so its random pick is weighted the same way).
        long fallbackTotal = 0;
        for (ServerSubscription candidate : group) {
            if (isFallback(candidate, origin, m)) {
                fallbackTotal += candidate.weight();
            }
        }
        if (fallbackTotal > 0) {
            long pick = fallbackTotal == 1 ? 0 : ThreadLocalRandom.current().nextLong(fallbackTotal);
            for (ServerSubscription candidate : group) {
                if (isFallback(candidate, origin, m)) {
                    pick -= candidate.weight();
                    if (pick < 0) {
                        targets.addQueue((RemoteSubscriber) candidate.subscriber(), candidate.queue());
                        return false;
                    }
                }
            }
        }
        return false;
    }

    private static boolean isFallback(ServerSubscription candidate, MessageOrigin origin, RoutedMessage m) {
        return !candidate.isClosed() && candidate.subscriber() instanceof RemoteSubscriber link
                && link.queueRole(origin) == QueueRole.FALLBACK && link.acceptsFrom(m.sourceLink);
    }

    private static long weight(ServerSubscription sub, MessageOrigin origin) {
        if (sub.subscriber() instanceof RemoteSubscriber link) {
            return link.queueRole(origin) == QueueRole.MEMBER ? sub.weight() : 0;
        }
        return 1;
    }
}
