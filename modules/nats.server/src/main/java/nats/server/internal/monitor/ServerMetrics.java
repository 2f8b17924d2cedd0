package nats.server.internal.monitor;

import java.util.List;

import nats.server.internal.RuntimeVersion;
import nats.server.internal.ServerCore;
import nats.server.internal.monitor.PrometheusText.Family;
import nats.server.internal.monitor.PrometheusText.Type;

/**
 * What the exporter cannot see, under jnatsd's own names: the server's traffic as counters, each account's
 * connections, subscriptions, traffic and slow consumers (so {@code rate()} gives per-account rates), how long
 * start-up took, and the process (CPU, memory) and JVM heap the server runs in. Every series is labelled with
 * {@code server_id}, as the exporter's are.
 */
final class ServerMetrics {

    private static final String[] ACCOUNT_LABELS = {"server_id", "account"};
    /** The project's version as the kernel module's descriptor records it ("dev" on the class path). */
    private static final String PROJECT_VERSION = ServerMetrics.class.getModule().getDescriptor() == null ? "dev"
            : ServerMetrics.class.getModule().getDescriptor().rawVersion().orElse("dev");

    private final ServerCore core;
    private final ProcessUsage usage;
    /** When the process started, epoch milliseconds (read once: ProcessHandle.Info reads several /proc files). */
    private final long processStartMillis;

    ServerMetrics(ServerCore core, ProcessUsage usage) {
        this.core = core;
        this.usage = usage;
        this.processStartMillis = ProcessHandle.current().info().startInstant().map(java.time.Instant::toEpochMilli)
                .orElse(0L);
    }

    void collect(PrometheusText out, String sid, ServerCore.Stats stats, List<AccountTotals> accounts,
                 double lastScrapeSeconds) {
        out.family("jnatsd_info", Type.GAUGE, "The server's versions: always 1", "server_id", "server_name",
                "version", "nats_version", "java_version").sample(1, sid, core.identity().serverName(),
                PROJECT_VERSION, core.identity().serverVersion(), RuntimeVersion.TEXT);
        out.family("jnatsd_start_time_seconds", Type.GAUGE, "When the server started, in seconds since the epoch",
                "server_id").sample(core.startedAtMillis() / 1000.0, sid);
        startup(out, sid);
        traffic(out, sid, stats);
        for (AccountTotals a : accounts) {
            String[] labels = {sid, a.name()};
            account(out, "connections", Type.GAUGE, "Clients of the account connected now", a.connections(), labels);
            account(out, "subscriptions", Type.GAUGE, "Subscriptions in the account", a.subscriptions(), labels);
            account(out, "received_messages_total", Type.COUNTER,
                    "Messages the account's clients published to the server", a.inMsgs(), labels);
            account(out, "received_bytes_total", Type.COUNTER,
                    "Payload and header bytes the account's clients published to the server", a.inBytes(), labels);
            account(out, "sent_messages_total", Type.COUNTER, "Messages the server delivered to the account's clients",
                    a.outMsgs(), labels);
            account(out, "sent_bytes_total", Type.COUNTER,
                    "Payload and header bytes the server delivered to the account's clients", a.outBytes(), labels);
            account(out, "slow_consumers_total", Type.COUNTER,
                    "The account's clients closed as slow consumers", a.slowConsumers(), labels);
        }
        process(out, sid);
        out.family("jnatsd_scrape_duration_seconds", Type.GAUGE,
                "How long the previous scrape of this page took the server", "server_id").sample(lastScrapeSeconds, sid);
    }

    private void startup(PrometheusText out, String sid) {
        long ready = core.acceptingSinceMillis();
        if (ready > 0 && processStartMillis > 0) {
            out.family("jnatsd_startup_seconds", Type.GAUGE,
                    "From the process's start to the client port accepting clients", "server_id")
                    .sample(Math.max(0, ready - processStartMillis) / 1000.0, sid);
        }
    }

    private void traffic(PrometheusText out, String sid, ServerCore.Stats stats) {
        counter(out, "jnatsd_received_messages_total", "Messages clients published to the server", stats.inMsgs(), sid);
        counter(out, "jnatsd_received_bytes_total", "Bytes of the messages clients published", stats.inBytes(), sid);
        counter(out, "jnatsd_sent_messages_total", "Messages the server delivered", stats.outMsgs(), sid);
        counter(out, "jnatsd_sent_bytes_total", "Bytes of the messages the server delivered", stats.outBytes(), sid);
        counter(out, "jnatsd_connections_accepted_total", "Client connections accepted since the start",
                stats.totalConnections(), sid);
        counter(out, "jnatsd_slow_consumers_total", "Clients closed as slow consumers", stats.slowConsumers(), sid);
        out.family("jnatsd_connections", Type.GAUGE, "Client connections open now", "server_id")
                .sample(core.clientCount(), sid);
    }

    private static void counter(PrometheusText out, String name, String help, double value, String sid) {
        out.family(name, Type.COUNTER, help, "server_id").sample(value, sid);
    }

    private static void account(PrometheusText out, String name, Type type, String help, double value,
                                String[] labels) {
        Family f = out.family("jnatsd_account_" + name, type, help, ACCOUNT_LABELS);
        f.sample(value, labels);
    }

    /** The process collector's usual names, about this server's process (the exporter's describe itself). */
    private void process(PrometheusText out, String sid) {
        double cpu = usage.cpuSeconds();
        if (cpu >= 0) {
            out.family("process_cpu_seconds_total", Type.COUNTER, "Total user and system CPU time spent in seconds.",
                    "server_id").sample(cpu, sid);
        }
        long rss = usage.residentBytes();
        if (rss > 0) {
            out.family("process_resident_memory_bytes", Type.GAUGE, "Resident memory size in bytes.", "server_id")
                    .sample(rss, sid);
        }
        if (processStartMillis > 0) {
            out.family("process_start_time_seconds", Type.GAUGE,
                    "Start time of the process since unix epoch in seconds.", "server_id")
                    .sample(processStartMillis / 1000.0, sid);
        }
        Runtime runtime = Runtime.getRuntime();
        out.family("jvm_memory_heap_used_bytes", Type.GAUGE, "Java heap in use, in bytes", "server_id")
                .sample(runtime.totalMemory() - runtime.freeMemory(), sid);
        out.family("jvm_memory_heap_committed_bytes", Type.GAUGE, "Java heap reserved from the system, in bytes",
                "server_id").sample(runtime.totalMemory(), sid);
        out.family("jvm_memory_heap_max_bytes", Type.GAUGE, "The largest the Java heap may grow, in bytes",
                "server_id").sample(runtime.maxMemory(), sid);
    }
}
