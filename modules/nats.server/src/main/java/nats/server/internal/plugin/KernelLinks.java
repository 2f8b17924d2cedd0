package nats.server.internal.plugin;

import nats.server.internal.trace.MessageTracer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import nats.api.links.InterestWatch;
import nats.api.links.Link;
import nats.api.links.LinkHandle;
import nats.api.links.Links;
import nats.api.links.LocalInterestListener;
import nats.server.internal.account.Account;
import nats.server.internal.account.Accounts;

/**
 * The kernel's side of links: registrations holding remote interest in the accounts' sublists, and the
 * tracking of local interest per account (Go's per-account route map), which starts with the first watch so
 * that a server without links pays nothing on subscribe.
 */
public final class KernelLinks implements Links {

    private static final System.Logger LOG = System.getLogger(KernelLinks.class.getName());

    private final Accounts accounts;
    private final List<LocalInterestListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Account, AccountInterest> tracked = new ConcurrentHashMap<>();
    private final List<LinkRegistration> registrations = new CopyOnWriteArrayList<>();
    private boolean tracking;

    private final MessageTracer tracer;

    public KernelLinks(Accounts accounts, MessageTracer tracer) {
        this.accounts = accounts;
        this.tracer = tracer;
    }

    @Override
    public LinkHandle register(Link link) {
        LinkRegistration registration = new LinkRegistration(link, accounts, tracer, registrations::remove);
        registrations.add(registration);
        return registration;
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
    public synchronized InterestWatch watchLocalInterest(LocalInterestListener listener) {
        if (!tracking) {
            tracking = true;
            accounts.watch(new Accounts.Listener() {
                @Override
                public void added(Account account) {
                    track(account);
                }

                @Override
                public void updated(Account account) {
                }

                @Override
                public void removed(Account account) {
                    AccountInterest interest = tracked.remove(account);
                    if (interest != null) {
                        account.sublist().removeListener(interest);
                    }
                }
            });
            for (Account account : accounts.all()) {
                track(account);
            }
        }
        listeners.add(listener);
        return new InterestWatch() {
            @Override
            public void replay(LocalInterestListener target) {
                for (AccountInterest interest : tracked.values()) {
                    interest.replay(target);
                }
            }

            @Override
            public void close() {
                listeners.remove(listener);
            }
        };
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

    private void track(Account account) {
        AccountInterest interest = new AccountInterest(account.name(), listeners, LOG);
        if (tracked.putIfAbsent(account, interest) == null) {
            // What the account holds already reaches the current listeners as new interest.
            account.sublist().addListenerReplaying(interest);
        }
    }
}
