package nats.server.internal.monitor;

import nats.server.internal.account.Account;

/**
 * Each account's clients and traffic at one moment, from the scrape's one pass over the connections
 * ({@link ClientPass}; the per-account documents walk every connection once per account).
 *
 * @param account       the account
 * @param nameTag       the name its JWT gives it, "" without one (Go's name tag)
 * @param connections   connected clients now
 * @param subscriptions subscriptions in its routing table, as Go counts them
 * @param inMsgs        messages its clients sent the server, the closed ones included (Go's "received")
 * @param inBytes       bytes of those messages
 * @param outMsgs       messages the server delivered to its clients, the closed ones included (Go's "sent")
 * @param outBytes      bytes of those messages
 * @param slowConsumers its clients closed as slow consumers since the server started
 */
record AccountTotals(Account account, String nameTag, long connections, long subscriptions, long inMsgs,
                     long inBytes, long outMsgs, long outBytes, long slowConsumers) {

    /** An account's totals from its live clients' {@code {count, inMsgs, inBytes, outMsgs, outBytes}}. */
    static AccountTotals of(Account account, long[] live) {
        long[] closed = account.closedTraffic();
        String nameTag = account.jwt() == null ? "" : account.jwt().claims().data().name();
        return new AccountTotals(account, nameTag == null ? "" : nameTag, live[0], account.subscriptionCount(),
                closed[0] + live[1], closed[1] + live[2], closed[2] + live[3], closed[3] + live[4],
                account.slowConsumers());
    }

    String name() {
        return account.name();
    }
}
