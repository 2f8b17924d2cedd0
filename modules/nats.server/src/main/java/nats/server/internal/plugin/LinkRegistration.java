package nats.server.internal.plugin;

import nats.server.internal.trace.MessageTracer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import nats.api.links.Link;
import nats.api.links.LinkHandle;
import nats.api.links.LinkPublisher;
import nats.api.links.RemoteInterest;
import nats.server.internal.account.Account;
import nats.server.internal.account.Accounts;
import nats.server.internal.routing.ServerSubscription;
import nats.server.internal.routing.Sublist;

/**
 * One registered link: its interest as subscriptions in the accounts' sublists (one {@link LinkEndpoint} per
 * account is their subscriber), keyed as the other side keys them ({@code account subject [queue]}).
 */
final class LinkRegistration implements LinkHandle {

    private static final byte[] NO_SID = new byte[0];

    private final Link link;
    private final Accounts accounts;
    private final Consumer<LinkRegistration> onClose;
    private final Map<String, ServerSubscription> interest = new HashMap<>();
    private final Map<Account, LinkEndpoint> endpoints = new HashMap<>();
    private final List<LinkInjector> publishers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private boolean closed;

    private final MessageTracer tracer;

    LinkRegistration(Link link, Accounts accounts, MessageTracer tracer, Consumer<LinkRegistration> onClose) {
        this.tracer = tracer;
        this.link = link;
        this.accounts = accounts;
        this.onClose = onClose;
    }

    Link link() {
        return link;
    }

    @Override
    public Outcome addInterest(String accountName, String subject, String queue, int weight) {
        // An account known by JWT only is loaded, so local clients that join it later reach this interest.
        Account account = accounts.resolve(accountName);
        if (account == null) {
            return Outcome.UNKNOWN_ACCOUNT;
        }
        String key = key(accountName, subject, queue);
        synchronized (this) {
            if (closed) {
                return Outcome.UNCHANGED;
            }
            ServerSubscription known = interest.get(key);
            if (known != null) {
                if (queue != null && known.weight() != Math.max(1, weight)) {
                    // Interest listeners count queue interest by weight: the new weight replaces the old one as
                    // a new subscription (added before the old one leaves, so no message misses the group).
                    ServerSubscription replacement = new ServerSubscription(known.subscriber(), subject, queue, NO_SID);
                    replacement.weight(weight);
                    try {
                        account.sublist().insert(replacement);
                    } catch (Sublist.InvalidSubjectException e) {
                        return Outcome.INVALID_SUBJECT;
                    }
                    interest.put(key, replacement);
                    known.markClosed();
                    account.sublist().remove(known);
                    return Outcome.ADDED;
                }
                return Outcome.UNCHANGED;
            }
            LinkEndpoint endpoint = endpoints.computeIfAbsent(account, a -> new LinkEndpoint(link, a.name()));
            ServerSubscription sub = new ServerSubscription(endpoint, subject, queue, NO_SID);
            sub.weight(weight);
            try {
                account.sublist().insert(sub);
            } catch (Sublist.InvalidSubjectException e) {
                return Outcome.INVALID_SUBJECT;
            }
            interest.put(key, sub);
            return Outcome.ADDED;
        }
    }

    @Override
    public boolean removeInterest(String accountName, String subject, String queue) {
        ServerSubscription sub;
        synchronized (this) {
            sub = interest.remove(key(accountName, subject, queue));
        }
        if (sub == null) {
            return false;
        }
        sub.markClosed();
        Account account = accounts.get(accountName);
        if (account != null) {
            account.sublist().remove(sub);
        }
        return true;
    }

    @Override
    public synchronized int interestCount() {
        return interest.size();
    }

    @Override
    public synchronized List<RemoteInterest> interest() {
        List<RemoteInterest> list = new ArrayList<>(interest.size());
        for (Map.Entry<Account, LinkEndpoint> e : endpoints.entrySet()) {
            for (ServerSubscription sub : interest.values()) {
                if (sub.subscriber() == e.getValue()) {
                    list.add(new RemoteInterest(e.getKey().name(), sub.subject(), sub.queue(), sub.weight()));
                }
            }
        }
        return list;
    }

    @Override
    public LinkPublisher publisher() {
        LinkInjector injector = new LinkInjector(link, accounts, tracer);
        publishers.add(injector);
        return injector;
    }

    /** Adds this link's traffic to {@code total}: in msgs, in bytes, out msgs, out bytes. */
    void addTraffic(long[] total) {
        for (LinkInjector p : publishers) {
            total[0] += p.inMsgs();
            total[1] += p.inBytes();
        }
        // The link counts what it sends (under its own write lock, where counting costs nothing).
        total[2] += link.sentMessages();
        total[3] += link.sentBytes();
    }

    @Override
    public void close() {
        Map<String, ServerSubscription> removed;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            removed = new HashMap<>(interest);
            interest.clear();
            endpoints.values().forEach(LinkEndpoint::close);
        }
        for (Map.Entry<String, ServerSubscription> e : removed.entrySet()) {
            ServerSubscription sub = e.getValue();
            sub.markClosed();
            Account account = accounts.get(((LinkEndpoint) sub.subscriber()).account());
            if (account != null) {
                account.sublist().remove(sub);
            }
        }
        onClose.accept(this);
    }

    private static String key(String account, String subject, String queue) {
        return queue == null ? account + ' ' + subject : account + ' ' + subject + ' ' + queue;
    }
}
