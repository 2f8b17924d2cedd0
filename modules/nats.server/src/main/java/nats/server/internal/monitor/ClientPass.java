package nats.server.internal.monitor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import nats.server.internal.ServerCore;
import nats.server.internal.account.Account;
import nats.server.internal.client.Client;

/**
 * One walk over the connections per scrape, for everything {@code /metrics} needs from them: each account's
 * clients and traffic, and the sums over the page of connections the exporter's {@code /connz} request returns.
 * With 10,000 connections the walk is most of a scrape's cost (each connection's counters are a cache miss), so
 * it is done once, not once per collector.
 */
final class ClientPass {

    /** The exporter's connz sums over the first page (the lowest cids). */
    record ConnzPage(int size, long total, long pendingBytes, long subscriptions, long inMsgs, long outMsgs,
                     long inBytes, long outBytes) {
    }

    private final List<AccountTotals> accounts;
    private final ConnzPage page;

    private ClientPass(List<AccountTotals> accounts, ConnzPage page) {
        this.accounts = accounts;
        this.page = page;
    }

    List<AccountTotals> accounts() {
        return accounts;
    }

    ConnzPage connzPage() {
        return page;
    }

    static ClientPass of(ServerCore core, int pageSize) {
        int expected = core.clientCount() + 16;
        Client[] clients = new Client[expected];
        long[] ids = new long[expected];
        long[][] traffic = new long[4][expected];
        Map<Account, long[]> live = new IdentityHashMap<>();
        int[] n = {0};
        core.forEachClient(c -> {
            int i = n[0];
            if (i == ids.length) {
                return; // more joined during the walk than were there: the next scrape counts them
            }
            long in = c.inMsgs();
            long inBytes = c.inBytes();
            long out = c.outMsgs();
            long outBytes = c.outBytes();
            clients[i] = c;
            ids[i] = c.id();
            traffic[0][i] = in;
            traffic[1][i] = inBytes;
            traffic[2][i] = out;
            traffic[3][i] = outBytes;
            long[] t = live.computeIfAbsent(c.account(), a -> new long[5]);
            t[0]++;
            t[1] += in;
            t[2] += inBytes;
            t[3] += out;
            t[4] += outBytes;
            n[0] = i + 1;
        });
        int count = n[0];
        long last = Long.MAX_VALUE;
        if (count > pageSize) {
            long[] sorted = Arrays.copyOf(ids, count);
            Arrays.sort(sorted);
            last = sorted[pageSize - 1];
        }
        long[] sums = new long[6];
        int size = 0;
        for (int i = 0; i < count; i++) {
            if (ids[i] <= last) {
                size++;
                sums[0] += clients[i].pendingBytes();
                sums[1] += clients[i].subscriptionCount();
                for (int k = 0; k < 4; k++) {
                    sums[2 + k] += traffic[k][i];
                }
            }
        }
        ConnzPage page = new ConnzPage(size, count, sums[0], sums[1], sums[2], sums[4], sums[3], sums[5]);
        List<AccountTotals> accounts = new ArrayList<>();
        for (Account account : core.accounts().all()) {
            accounts.add(AccountTotals.of(account, live.getOrDefault(account, new long[5])));
        }
        return new ClientPass(accounts, page);
    }
}
