package nats.server.internal.system;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import nats.server.internal.ServerCore;
import nats.server.internal.account.Account;
import nats.server.internal.client.Client;
import nats.server.internal.monitor.MonitorDocuments;

/** Go's ServerStats (the {@code statsz} of STATSZ messages) and AccountStat documents. */
final class Statistics {

    private final ServerCore core;
    private final MonitorDocuments documents;
    private final java.util.function.IntSupplier activeServers;

    Statistics(ServerCore core, MonitorDocuments documents, java.util.function.IntSupplier activeServers) {
        this.core = core;
        this.documents = documents;
        this.activeServers = activeServers;
    }

    Map<String, Object> server() {
        ServerCore.Stats stats = core.stats();
        List<Client> clients = core.clients();
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
        // Plugins' sections where Go's ServerStats has them: routes and gateways before active_servers.
        Map<String, Object> sections = documents.extensions().statszSections();
        for (String name : List.of("routes", "gateways")) {
            Object section = sections.remove(name);
            if (section != null) {
                m.put(name, section);
            }
        }
        m.put("active_servers", activeServers.getAsInt());
        m.putAll(sections);
        return m;
    }

    /**
     * Accounts with at least one client; the system account counts as active, as in Go, where its internal
     * client is registered with it.
     */
    private long activeAccounts(List<Client> clients) {
        Account system = core.accounts().system();
        return clients.stream().map(Client::account).filter(a -> a != system).distinct().count()
                + (system != null ? 1 : 0);
    }

    /** Go's AccountStat, as /accstatz shows it. */
    Map<String, Object> account(Account account) {
        return documents.accountStat(account);
    }

    static Map<String, Object> dataStats(long msgs, long bytes) {
        return MonitorDocuments.dataStats(msgs, bytes);
    }
}
