package nats.gateway.internal;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import nats.transport.protocol.InterestLine;

/**
 * What an inbound gateway connection told the remote about this cluster's interest, per account (Go's insim):
 * in optimistic mode the subjects it answered {@code RS-} for (cleared by {@code RS+} when a subscriber
 * arrives) or {@code A-} for the whole account (cleared by {@code A+}); in interest-only mode every change.
 * After {@link #SWITCH_THRESHOLD} subjects without interest an account switches to interest-only: all its
 * subscriptions are sent between the two INFO commands. All methods run under the {@link ClusterInterest}
 * lock (Go's pasi lock), so announcements and the cluster's changes never interleave.
 */
final class InboundInterest {

    /** Go's defaultGatewayMaxRUnsubBeforeSwitch. */
    static final int SWITCH_THRESHOLD = Integer.getInteger("nats.gateway.maxRUnsubBeforeSwitch", 1000);

    /** One account's state. */
    static final class Account {
        InterestMode mode = InterestMode.OPTIMISTIC;
        /** Subjects an RS- was sent for; null once the account switched. */
        Set<String> noInterest = new HashSet<>();
    }

    /** What the connection sends. */
    interface Sender {
        /** A protocol line, CRLF included. */
        void line(byte[] protocolLine);

        /** An INFO with a gateway command for the account (start or end of all subscriptions). */
        void command(int command, String account);
    }

    private static final Account ACCOUNT_UNSUBSCRIBED = new Account();

    private final Map<String, Account> accounts = new HashMap<>();
    private final Sender sender;
    private final ClusterInterest cluster;

    InboundInterest(Sender sender, ClusterInterest cluster) {
        this.sender = sender;
        this.cluster = cluster;
    }

    /** The cluster's interest changed (Go's maybeSendSubOrUnsubToGateways, sendQueueSubOrUnsubToGateways). */
    void interestChanged(String account, ClusterInterest.Entry entry, boolean added) {
        if (entry.queue() != null) {
            if (added && accounts.get(account) == ACCOUNT_UNSUBSCRIBED) {
                accounts.remove(account);
            }
            sender.line(InterestLine.encode("RS", account, entry.subject(), entry.queue(), added ? 1 : 0));
            return;
        }
        Account e = accounts.get(account);
        if (e == ACCOUNT_UNSUBSCRIBED) {
            if (added) {
                accounts.remove(account);
                sender.line(accountLine("A+ ", account));
            }
            return;
        }
        if (e == null) {
            return;
        }
        boolean send = false;
        String subject = entry.subject();
        if (e.noInterest != null && added) {
            if (subject.contains("*") || subject.contains(">")) {
                send = e.noInterest.removeIf(s -> nats.transport.protocol.Subjects.matches(s, subject));
            } else {
                send = e.noInterest.remove(subject);
            }
        } else if (e.mode == InterestMode.INTEREST_ONLY) {
            send = true;
        }
        if (send) {
            sender.line(InterestLine.encode("RS", account, subject, null, added ? 1 : 0));
        }
    }

    /**
     * A message came for which the cluster has no plain subscriber (Go's gatewayHandleSubjectNoInterest and
     * gatewayHandleAccountNoInterest): {@code A-} when the account has no interest at all, else {@code RS-} once
     * per subject, and the switch to interest-only once there were too many.
     */
    void noInterest(String account, String subject) {
        Account known = accounts.get(account);
        if (known != null && known != ACCOUNT_UNSUBSCRIBED && known.mode != InterestMode.OPTIMISTIC) {
            // The remote sends only what it knows we want: such a message crossed a withdrawal. Go would answer
            // A- when the account has no subscription left, replacing its interest-only state, and the remote
            // would then send nothing for the account after the next A+ (it announced interest-only mode).
            return;
        }
        if (!cluster.hasInterest(account)) {
            Account e = accounts.get(account);
            if (e != ACCOUNT_UNSUBSCRIBED) {
                accounts.put(account, ACCOUNT_UNSUBSCRIBED);
                sender.line(accountLine("A- ", account));
            }
            return;
        }
        Account e = accounts.get(account);
        if (e == null || e == ACCOUNT_UNSUBSCRIBED) {
            e = new Account();
            e.noInterest.add(subject);
            accounts.put(account, e);
            sender.line(InterestLine.encode("RS", account, subject, null, 0));
        } else if (e.noInterest != null && !e.noInterest.contains(subject)) {
            if (e.noInterest.size() >= SWITCH_THRESHOLD) {
                switchToInterestOnly(account, e);
            } else {
                e.noInterest.add(subject);
                sender.line(InterestLine.encode("RS", account, subject, null, 0));
            }
        }
    }

    /** Go's switchAccountToInterestMode for this connection: done once per account. */
    void switchToInterestOnly(String account) {
        Account e = accounts.get(account);
        if (e == null || e == ACCOUNT_UNSUBSCRIBED) {
            e = new Account();
            accounts.put(account, e);
        }
        if (e.mode == InterestMode.OPTIMISTIC) {
            switchToInterestOnly(account, e);
        }
    }

    /** Go's gatewaySwitchAccountToSendAllSubs: start command, every plain subscription, end command. */
    private void switchToInterestOnly(String account, Account e) {
        e.noInterest = null;
        e.mode = InterestMode.TRANSITIONING;
        sender.command(Gateways.CMD_ALL_SUBS_START, account);
        cluster.forEach(account, false, entry -> sender.line(
                InterestLine.encode("RS", account, entry.subject(), null, 1)));
        e.mode = InterestMode.INTEREST_ONLY;
        sender.command(Gateways.CMD_ALL_SUBS_COMPLETE, account);
    }

    /** For /gatewayz: account, mode and the number of subjects without interest (null for an A- account). */
    Map<String, Account> accounts() {
        return Map.copyOf(accounts);
    }

    /** {@code A+ account} or {@code A- account}. */
    private static byte[] accountLine(String op, String account) {
        return (op + account + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static boolean unsubscribedMarker(Account e) {
        return e == ACCOUNT_UNSUBSCRIBED;
    }
}
