package nats.gateway.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import nats.api.links.LinkHandle;

/**
 * What an outbound gateway connection knows of the remote cluster's interest, per account (Go's outsim): in
 * optimistic mode everything goes but the subjects the remote answered {@code RS-} for, and the account goes
 * silent after {@code A-}; in interest-only mode (the remote sent all its subscriptions, or announced
 * {@code gateway_iom}) only what it subscribed to. Queue groups are always known by their {@code RS+}.
 * The kernel routes by the interest registered here: a {@code >} placeholder stands for an optimistic account.
 * Changes come from the connection's reader; {@link #suppressed} runs on publishers' threads.
 */
final class OutboundInterest {

    /** One account's state. */
    static final class Account {
        volatile InterestMode mode = InterestMode.OPTIMISTIC;
        /** Subjects the remote has no interest in (optimistic mode); null once interest-only. */
        volatile Set<String> noInterest = ConcurrentHashMap.newKeySet();
        /** Interest registered with the kernel: {@code subject} or {@code subject queue}. */
        final Set<String> registered = new HashSet<>();
        int queueSubs;
    }

    /** Marks an account the remote answered {@code A-} for (Go stores nil). */
    private static final Account NO_INTEREST = new Account();
    private static final String ALL = ">";

    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final Set<String> placeholders = new HashSet<>();
    private final LinkHandle handle;
    private final boolean remoteInterestOnly;

    /**
     * @param remoteInterestOnly the remote's INFO said {@code gateway_iom}: an account it said nothing about
     *                           gets nothing (Go 2.9 switches every account at once)
     */
    OutboundInterest(LinkHandle handle, boolean remoteInterestOnly) {
        this.handle = handle;
        this.remoteInterestOnly = remoteInterestOnly;
    }

    /** An account exists here (at the start, or loaded later): optimistic sends start for it. */
    synchronized void accountKnown(String account) {
        sync(account);
    }

    /** {@code RS+ account subject [queue weight]} (Go's processGatewayRSub). */
    synchronized void subscribe(String account, String subject, String queue) {
        Account e = live(account);
        boolean registry;
        if (e != null) {
            registry = queue != null || e.mode != InterestMode.OPTIMISTIC;
        } else if (queue == null) {
            return;
        } else {
            e = new Account();
            accounts.put(account, e);
            registry = true;
        }
        if (registry) {
            String key = queue == null ? subject : subject + ' ' + queue;
            if (e.registered.add(key)) {
                if (queue != null) {
                    e.queueSubs++;
                }
                if (queue != null || !(subject.equals(ALL) && placeholders.contains(account))) {
                    handle.addInterest(account, subject, queue, 1);
                }
            }
        } else if (e.noInterest != null) {
            if (subject.contains("*") || subject.contains(">")) {
                e.noInterest.removeIf(s -> nats.transport.protocol.Subjects.matches(s, subject));
            } else {
                e.noInterest.remove(subject);
            }
        }
        sync(account);
    }

    /** {@code RS- account subject [queue]} (Go's processGatewayRUnsub). */
    synchronized void unsubscribe(String account, String subject, String queue) {
        Account e = live(account);
        boolean registry;
        if (e != null) {
            registry = queue != null || e.mode != InterestMode.OPTIMISTIC;
        } else if (queue != null) {
            return;
        } else {
            e = new Account();
            accounts.put(account, e);
            registry = false;
        }
        if (registry) {
            String key = queue == null ? subject : subject + ' ' + queue;
            if (e.registered.remove(key)) {
                if (queue != null) {
                    e.queueSubs--;
                }
                if (queue != null || !(subject.equals(ALL) && placeholders.contains(account))) {
                    handle.removeInterest(account, subject, queue);
                }
                if (e.registered.isEmpty() && e.mode == InterestMode.OPTIMISTIC
                        && (e.noInterest == null || e.noInterest.isEmpty())) {
                    accounts.remove(account);
                }
            }
        } else if (e.noInterest != null) {
            e.noInterest.add(subject);
        }
        sync(account);
    }

    /** {@code A- account}: no interest at all in the account (Go's processGatewayAccountUnsub). */
    synchronized void accountUnsubscribe(String account) {
        Account e = accounts.get(account);
        if (e == NO_INTEREST) {
            return;
        }
        if (e != null && e.queueSubs > 0) {
            e.noInterest = ConcurrentHashMap.newKeySet();
        } else {
            if (e != null) {
                dropRegistered(account, e);
            }
            accounts.put(account, NO_INTEREST);
        }
        sync(account);
    }

    /** {@code A+ account}: interest again (Go's processGatewayAccountSub). */
    synchronized void accountSubscribe(String account) {
        Account e = accounts.get(account);
        if (e == null || (e != NO_INTEREST && e.queueSubs > 0)) {
            return;
        }
        if (e != NO_INTEREST) {
            dropRegistered(account, e);
        }
        accounts.remove(account);
        sync(account);
    }

    /** The remote starts sending all its subscriptions of the account (Go's gatewayAllSubsReceiveStart). */
    synchronized void allSubscriptionsStart(String account) {
        Account e = live(account);
        if (e == null) {
            e = new Account();
            e.noInterest = null;
            accounts.put(account, e);
        }
        e.mode = InterestMode.TRANSITIONING;
        sync(account);
    }

    /** The remote sent them all: interest-only from now on (Go's gatewayAllSubsReceiveComplete). */
    synchronized void allSubscriptionsComplete(String account) {
        Account e = live(account);
        if (e != null) {
            e.noInterest = null;
            e.mode = InterestMode.INTEREST_ONLY;
            sync(account);
        }
    }

    /**
     * Whether a plain-interest message on {@code subject} must not go: the account is optimistic and the
     * remote said it has no interest in the subject. Allocates only while such subjects are recorded.
     */
    boolean suppressed(String account, byte[] buf, int off, int len) {
        Account e = accounts.get(account);
        if (e == null) {
            return false;
        }
        if (e == NO_INTEREST) {
            return true;
        }
        Set<String> ni = e.noInterest;
        return ni != null && !ni.isEmpty() && !remoteInterestOnly
                && ni.contains(new String(buf, off, len, java.nio.charset.StandardCharsets.UTF_8));
    }

    /** For /gatewayz: the accounts with a state, as Go's createAccountOutboundGatewayz shows them. */
    Map<String, Account> accounts() {
        return Map.copyOf(accounts);
    }

    static boolean noInterestMarker(Account e) {
        return e == NO_INTEREST;
    }

    /** Keeps the {@code >} placeholder in line with the account's mode: present while sends are optimistic. */
    private void sync(String account) {
        Account e = accounts.get(account);
        boolean wanted = !remoteInterestOnly && e != NO_INTEREST && (e == null || e.noInterest != null);
        boolean present = placeholders.contains(account);
        if (wanted && !present) {
            placeholders.add(account);
            if (e == null || !e.registered.contains(ALL)) {
                handle.addInterest(account, ALL, null, 1);
            }
        } else if (!wanted && present) {
            placeholders.remove(account);
            if (e == null || !e.registered.contains(ALL)) {
                handle.removeInterest(account, ALL, null);
            }
        }
    }

    private Account live(String account) {
        Account e = accounts.get(account);
        return e == NO_INTEREST ? null : e;
    }

    private void dropRegistered(String account, Account e) {
        for (String key : List.copyOf(e.registered)) {
            int space = key.indexOf(' ');
            String subject = space < 0 ? key : key.substring(0, space);
            String queue = space < 0 ? null : key.substring(space + 1);
            if (queue != null || !(subject.equals(ALL) && placeholders.contains(account))) {
                handle.removeInterest(account, subject, queue);
            }
        }
        e.registered.clear();
        e.queueSubs = 0;
    }
}
