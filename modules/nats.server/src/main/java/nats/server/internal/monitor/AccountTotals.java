package nats.server.internal.monitor;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import nats.server.internal.ServerCore;
import nats.server.internal.account.Account;
import nats.server.internal.client.Client;

/**
 * Each account's clients and traffic at one moment, counted in one pass over the connections (the per-account
 * documents walk every connection once per account; a scrape must not grow with accounts times connections).
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

    static List<AccountTotals> of(ServerCore core) {
        Map<Account, long[]> live = new IdentityHashMap<>();
        core.forEachClient((Client c) -> {
            long[] t = live.computeIfAbsent(c.account(), a -> new long[5]);
            t[0]++;
            t[1] += c.inMsgs();
            t[2] += c.inBytes();
            t[3] += c.outMsgs();
            t[4] += c.outBytes();
        });
        List<AccountTotals> all = new ArrayList<>();
        for (Account account : core.accounts().all()) {
            long[] t = live.getOrDefault(account, new long[5]);
            long[] closed = account.closedTraffic();
            String nameTag = account.jwt() == null ? "" : account.jwt().claims().data().name();
            all.add(new AccountTotals(account, nameTag == null ? "" : nameTag, t[0], account.subscriptionCount(),
                    closed[0] + t[1], closed[1] + t[2], closed[2] + t[3], closed[3] + t[4],
                    account.slowConsumers()));
        }
        return all;
    }

    String name() {
        return account.name();
    }
}
