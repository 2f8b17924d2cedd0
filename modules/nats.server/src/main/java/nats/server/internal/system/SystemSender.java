package nats.server.internal.system;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import nats.server.internal.ServerCore;
import nats.server.internal.account.Account;
import nats.server.internal.account.InternalPublisher;
import nats.server.internal.monitor.MonitorDocuments;
import nats.server.internal.routing.MatchResult;
import nats.server.internal.routing.ServerSubscription;

/**
 * Publishes the server's own messages into the system account, one at a time and in order, on a thread of
 * its own (Go's internalSendLoop): a client thread that triggers an event never waits for its delivery.
 * Each message's {@code server} object is stamped as it is sent, with the next sequence number and the time.
 */
final class SystemSender {

    private static final System.Logger LOG = System.getLogger(SystemSender.class.getName());

    private final ServerCore core;
    private final Account system;
    private final MonitorDocuments documents;
    private final ExecutorService queue =
            Executors.newSingleThreadExecutor(Thread.ofVirtual().name("nats-system-events").factory());

    SystemSender(ServerCore core, Account system, MonitorDocuments documents) {
        this.core = core;
        this.system = system;
        this.documents = documents;
    }

    Account system() {
        return system;
    }

    ServerCore core() {
        return core;
    }

    MonitorDocuments documents() {
        return documents;
    }

    /** Runs {@code task} on the sending thread, after everything queued before it. */
    void later(Runnable task) {
        try {
            queue.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "system account event failed", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Shutting down: events after the shutdown event are not sent, as in Go.
        }
    }

    /**
     * Whether anyone in the system account listens on {@code subject}: events nobody hears are not built,
     * which keeps 10,000 connecting clients from costing 10,000 account summaries.
     */
    boolean interested(String subject) {
        MatchResult result = system.sublist().match(subject);
        // Other servers of the cluster listen through their routes (Go's peers follow each other's events).
        if (result.queueGroups().length > 0 || result.links().length > 0) {
            return true;
        }
        for (ServerSubscription sub : result.plain()) {
            // The server's own listeners for its peers' events do not count: it does not tell itself.
            if (!(sub.subscriber() instanceof PeerTraffic)) {
                return true;
            }
        }
        return false;
    }

    /** Queues a message whose document {@code build} makes from the stamped server info. */
    void send(String subject, Function<Map<String, Object>, Object> build) {
        later(() -> publish(subject, build.apply(serverInfo())));
    }

    /** Publishes now, on the caller's thread (a reply built on the sending thread, or the last event). */
    void publish(String subject, Object document) {
        byte[] payload = documents.toJson(document).getBytes(StandardCharsets.UTF_8);
        InternalPublisher.publish(system, subject, "", payload);
    }

    /** Go's ServerInfo for the next message: who sends it, its sequence number and when. */
    Map<String, Object> serverInfo() {
        return core.serverInfo();
    }

    /** Sends what is queued (bounded), then stops. */
    void close() {
        queue.shutdown();
        try {
            queue.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
