package nats.server.internal.plugin;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import nats.api.links.LocalInterestListener;
import nats.api.messaging.MessageOrigin;
import nats.server.internal.routing.ServerSubscription;
import nats.server.internal.routing.Sublist;

/**
 * The local interest of one account as a route announces it (Go's {@code rm} map): a count per subject and per
 * subject and queue group, turned into changes for the listeners: plain interest when it appears or goes,
 * queue interest whenever its count changes. Kept under this object's lock, taken inside the sublist's, so
 * changes reach listeners in the order they happened and a replay never interleaves with one.
 */
final class AccountInterest implements Sublist.ChangeListener {

    private static final class Entry {
        final String subject;
        final String queue;
        int count;

        Entry(String subject, String queue) {
            this.subject = subject;
            this.queue = queue;
        }
    }

    private final String account;
    private final List<LocalInterestListener> listeners;
    private final System.Logger log;
    private final Map<String, Entry> entries = new HashMap<>();
    /** Links whose interest counts too (routes for a gateway, as Go's gateways announce the cluster's). */
    private final java.util.Set<MessageOrigin> linkKinds;

    AccountInterest(String account, List<LocalInterestListener> listeners, System.Logger log) {
        this(account, listeners, log, java.util.Set.of());
    }

    AccountInterest(String account, List<LocalInterestListener> listeners, System.Logger log,
                    java.util.Set<MessageOrigin> linkKinds) {
        this.account = account;
        this.listeners = listeners;
        this.log = log;
        this.linkKinds = linkKinds;
    }

    @Override
    public void inserted(ServerSubscription sub) {
        if (counts(sub)) {
            change(sub, counted(sub));
        }
    }

    @Override
    public void removed(ServerSubscription sub) {
        if (counts(sub)) {
            change(sub, -counted(sub));
        }
    }

    private boolean counts(ServerSubscription sub) {
        return sub.subscriber().announcesInterest() || (!linkKinds.isEmpty()
                && sub.subscriber() instanceof LinkEndpoint link && linkKinds.contains(link.kind()));
    }

    /** A shared link's queue interest stands for the members it announced; anything else for one. */
    static int weight(ServerSubscription sub) {
        return sub.queue() != null && sub.subscriber() instanceof nats.server.internal.routing.RemoteSubscriber
                ? sub.weight() : 1;
    }

    /** Here: a link of the kinds a watch counts stands for one subscription (Go's gateways count them so). */
    private static int counted(ServerSubscription sub) {
        return sub.subscriber().announcesInterest() ? weight(sub) : 1;
    }

    private synchronized void change(ServerSubscription sub, int delta) {
        String key = sub.queue() == null ? sub.subject() : sub.subject() + ' ' + sub.queue();
        Entry entry = entries.get(key);
        if (entry == null) {
            if (delta < 0) {
                return;
            }
            entry = new Entry(sub.subject(), sub.queue());
            entries.put(key, entry);
        }
        entry.count += delta;
        // As Go's updateRouteSubscriptionMap: the subscription that makes the change names its origin cluster.
        String origin = sub.subscriber() instanceof LinkEndpoint link ? link.link().remoteCluster() : "";
        if (entry.count <= 0) {
            entries.remove(key);
            emit(listeners, entry, 0, origin);
        } else if (entry.queue != null || (delta > 0 && entry.count == 1)) {
            emit(listeners, entry, entry.queue == null ? 1 : entry.count, origin);
        }
    }

    synchronized void replay(LocalInterestListener target) {
        for (Entry entry : entries.values()) {
            emit(List.of(target), entry, entry.queue == null ? 1 : entry.count, "");
        }
    }

    private void emit(List<LocalInterestListener> to, Entry entry, int weight, String origin) {
        for (LocalInterestListener listener : to) {
            try {
                listener.interestChanged(account, entry.subject, entry.queue, weight, origin);
            } catch (RuntimeException e) {
                log.log(System.Logger.Level.WARNING, "local interest listener failed on " + entry.subject, e);
            }
        }
    }
}
