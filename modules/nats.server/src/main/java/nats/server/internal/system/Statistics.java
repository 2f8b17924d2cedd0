package nats.server.internal.system;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import nats.server.internal.ServerCore;
import nats.server.internal.account.Account;
import nats.server.internal.client.ClientConnection;
import nats.server.internal.monitor.MonitorDocuments;

/** Go's ServerStats (the {@code statsz} of STATSZ messages) and AccountStat documents. */
final class Statistics {

    private final ServerCore core;
    private final MonitorDocuments documents;

    Statistics(ServerCore core, MonitorDocuments documents) {
        this.core = core;
        this.documents = documents;
    }

    Map<String, Object> server() {
        ServerCore.Stats stats = core.stats();
        List<ClientConnection> clients = core.clients();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("start", Instant.ofEpochMilli(core.startedAtMillis()));
        m.put("mem", documents.residentBytes());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("cpu", documents.cpuPercent());
        m.put("connections", clients.size());
        m.put("total_connections", stats.totalConnections());
        m.put("active_accounts", activeAccounts(clients));
        long subscriptions = 0;
        for (Account a : core.accounts().all()) {
            subscriptions += a.subscriptionCount();
        }
        m.put("subscriptions", subscriptions);
        m.put("sent", dataStats(stats.outMsgs(), stats.outBytes()));
        m.put("received", dataStats(stats.inMsgs(), stats.inBytes()));
        m.put("slow_consumers", stats.slowConsumers());
        m.put("active_servers", 1);
        return m;
    }

    /**
     * Accounts with at least one client; the system account counts as active, as in Go, where its internal
     * client is registered with it.
     */
    private long activeAccounts(List<ClientConnection> clients) {
        Account system = core.accounts().system();
        return clients.stream().map(ClientConnection::account).filter(a -> a != system).distinct().count()
                + (system != null ? 1 : 0);
    }

    /** Go's AccountStat: the account's live clients, and what all its clients so far sent and received. */
    Map<String, Object> account(Account account) {
        long[] closed = account.closedTraffic();
        long inMsgs = closed[0];
        long inBytes = closed[1];
        long outMsgs = closed[2];
        long outBytes = closed[3];
        long[] live = new long[5];
        core.forEachClient(c -> {
            if (c.account() == account) {
                live[0]++;
                live[1] += c.inMsgs();
                live[2] += c.inBytes();
                live[3] += c.outMsgs();
                live[4] += c.outBytes();
            }
        });
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("acc", account.name());
        m.put("conns", live[0]);
        m.put("leafnodes", 0);
        m.put("total_conns", live[0]);
        m.put("sent", dataStats(outMsgs + live[3], outBytes + live[4]));
        m.put("received", dataStats(inMsgs + live[1], inBytes + live[2]));
        m.put("slow_consumers", 0);
        return m;
    }

    static Map<String, Object> dataStats(long msgs, long bytes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("msgs", msgs);
        m.put("bytes", bytes);
        return m;
    }
}
