package nats.server.internal.plugin;

import nats.server.internal.trace.MessageTracer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import nats.api.links.InterestWatch;
import nats.api.links.Link;
import nats.api.links.LinkHandle;
import nats.api.links.Links;
import nats.api.links.LocalInterestListener;
import nats.api.links.RouteGossip;
import nats.api.messaging.MessageOrigin;
import nats.server.internal.account.Account;
import nats.server.internal.account.Accounts;

/**
 * The kernel's side of links: registrations holding remote interest in the accounts' sublists, and the
 * tracking of interest per account (Go's per-account route map; with the routes' interest added, Go's
 * gateway map), which starts with the first watch so that a server without links pays nothing on subscribe.
 */
public final class KernelLinks implements Links {

    private static final System.Logger LOG = System.getLogger(KernelLinks.class.getName());

    /** The interest of one audience: local subscribers, plus the links of some kinds. */
    private final class Tracker {
        final Set<MessageOrigin> linkKinds;
        final List<LocalInterestListener> listeners = new CopyOnWriteArrayList<>();
        final Map<Account, AccountInterest> tracked = new ConcurrentHashMap<>();

        Tracker(Set<MessageOrigin> linkKinds) {
            this.linkKinds = linkKinds;
        }

        void track(Account account) {
            AccountInterest interest = new AccountInterest(account.name(), listeners, LOG, linkKinds);
            if (tracked.putIfAbsent(account, interest) == null) {
                // What the account holds already reaches the current listeners as new interest.
                account.sublist().addListenerReplaying(interest);
            }
        }

        void untrack(Account account) {
            AccountInterest interest = tracked.remove(account);
            if (interest != null) {
                account.sublist().removeListener(interest);
            }
        }
    }

    private final Accounts accounts;
    private final Map<Set<MessageOrigin>, Tracker> trackers = new ConcurrentHashMap<>();
    private final List<LinkRegistration> registrations = new CopyOnWriteArrayList<>();
    private final List<RouteGossip> gossip = new CopyOnWriteArrayList<>();
    private boolean watchingAccounts;

    private final MessageTracer tracer;
    private final java.util.function.Consumer<Account> leafsChanged;

    public KernelLinks(Accounts accounts, MessageTracer tracer) {
        this(accounts, tracer, account -> { });
    }

    /** @param leafsChanged told when a leaf connection bound to an account registers or closes */
    public KernelLinks(Accounts accounts, MessageTracer tracer, java.util.function.Consumer<Account> leafsChanged) {
        this.accounts = accounts;
        this.tracer = tracer;
        this.leafsChanged = leafsChanged;
    }

    @Override
    public LinkHandle register(Link link) {
        // A leaf connection is bound before it registers; it counts in its account (boundLinkCount) until it closes.
        Account leafAccount = link.kind() == MessageOrigin.LEAF
                ? link.boundAccount().map(accounts::get).orElse(null) : null;
        LinkRegistration registration = new LinkRegistration(link, accounts, tracer, r -> {
            if (registrations.remove(r) && leafAccount != null) {
                leafsChanged.accept(leafAccount);
            }
        });
        registrations.add(registration);
        if (leafAccount != null) {
            leafsChanged.accept(leafAccount);
        }
        return registration;
    }

    @Override
    public int remoteLeafCount(String account) {
        Account a = accounts.get(account);
        return a == null ? 0 : a.remoteLeafCount();
    }

    @Override
    public int boundLinkCount(String account, MessageOrigin kind) {
        int n = 0;
        for (LinkRegistration r : registrations) {
            Link link = r.link();
            if (link.kind() == kind && link.boundAccount().filter(account::equals).isPresent()) {
                n++;
            }
        }
        return n;
    }

    /** Messages and bytes the links received and sent, for the server's totals: in msgs, in bytes, out msgs, out bytes. */
    public long[] traffic() {
        long[] total = new long[4];
        for (LinkRegistration r : registrations) {
            r.addTraffic(total);
        }
        return total;
    }

    @Override
    public InterestWatch watchLocalInterest(LocalInterestListener listener) {
        return watchInterest(listener, Set.of());
    }

    @Override
    public synchronized InterestWatch watchInterest(LocalInterestListener listener, Set<MessageOrigin> linkKinds) {
        Set<MessageOrigin> kinds = Set.copyOf(linkKinds);
        if (!watchingAccounts) {
            watchingAccounts = true;
            accounts.watch(new Accounts.Listener() {
                @Override
                public void added(Account account) {
                    trackers.values().forEach(t -> t.track(account));
                }

                @Override
                public void updated(Account account) {
                }

                @Override
                public void removed(Account account) {
                    trackers.values().forEach(t -> t.untrack(account));
                }
            });
        }
        Tracker tracker = trackers.get(kinds);
        if (tracker == null) {
            tracker = new Tracker(kinds);
            trackers.put(kinds, tracker);
            for (Account account : accounts.all()) {
                tracker.track(account);
            }
        }
        Tracker t = tracker;
        t.listeners.add(listener);
        return new InterestWatch() {
            @Override
            public void replay(LocalInterestListener target) {
                for (AccountInterest interest : t.tracked.values()) {
                    interest.replay(target);
                }
            }

            @Override
            public void close() {
                t.listeners.remove(listener);
            }
        };
    }

    @Override
    public void addRouteGossip(RouteGossip participant) {
        gossip.add(participant);
    }

    @Override
    public List<RouteGossip> routeGossip() {
        return List.copyOf(gossip);
    }

    @Override
    public java.util.Optional<nats.api.links.InterestFeed> watchAllInterest(String accountName,
                                                                       nats.api.links.InterestListener listener) {
        Account account = accounts.get(accountName);
        if (account == null) {
            return java.util.Optional.empty();
        }
        AccountAllInterest feed = new AccountAllInterest(account.name(), List.of(listener), LOG);
        account.sublist().addListenerReplaying(feed);
        return java.util.Optional.of(() -> account.sublist().removeListener(feed));
    }
}
