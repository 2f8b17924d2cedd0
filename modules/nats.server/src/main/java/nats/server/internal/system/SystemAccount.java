package nats.server.internal.system;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import nats.server.internal.ServerCore;
import nats.server.internal.account.Account;
import nats.server.internal.account.Base62;
import nats.server.internal.monitor.MonitorDocuments;
import nats.server.internal.routing.ServerSubscription;
import nats.server.internal.routing.Sublist;
import nats.server.internal.routing.Subscriber;

/**
 * The server's presence in its system account: the events it publishes ({@link SystemEvents}) and the
 * requests it answers ({@link SystemRequests}), subscribed under the same subjects as the Go server's.
 * A server without a system account ({@code no_system_account}) has none of it.
 */
public final class SystemAccount {

    private final SystemEvents events;

    private SystemAccount(SystemEvents events) {
        this.events = events;
    }

    /** Subscribes the system services and starts the periodic events; empty without a system account. */
    public static Optional<SystemAccount> start(ServerCore core, MonitorDocuments documents) {
        Account system = core.accounts().system();
        if (system == null) {
            return Optional.empty();
        }
        SystemSender sender = new SystemSender(core, system, documents);
        PeerTraffic peers = new PeerTraffic(core.identity().serverId(), core.accounts());
        Statistics statistics = new Statistics(core, documents, peers::activeServers);
        SystemEvents events = new SystemEvents(sender, statistics);
        SystemRequests requests = new SystemRequests(sender, events, statistics);
        subscribe(system, core, requests, peers, documents.extensions().requestNames());
        // Documents plugins register later (a plugin's own start) are answered too.
        java.util.concurrent.atomic.AtomicInteger nextSid = new java.util.concurrent.atomic.AtomicInteger(1000);
        documents.extensions().onNewRequestName(name -> {
            for (String subject : requests.subjectsFor(name)) {
                insert(system, new ServerSubscription(requests, subject, null,
                        Integer.toString(nextSid.incrementAndGet()).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            }
        });
        core.lifecycle(events);
        events.start();
        return Optional.of(new SystemAccount(events));
    }

    /** Go's subscriptions on the system account, in its order: peer listeners around the request services. */
    private static void subscribe(Account system, ServerCore core, SystemRequests requests, PeerTraffic peers,
                                  List<String> pluginDocuments) {
        String id = core.identity().serverId();
        String hash = Base62.nameHash(core.identity().serverName());
        record Entry(Subscriber subscriber, String subject) {
        }
        List<Entry> subs = new ArrayList<>();
        for (String subject : List.of("$SYS._INBOX." + hash + ".*", PeerTraffic.ACCOUNT_CONNS,
                "$SYS._INBOX_." + id, "$SYS.REQ.ACCOUNT.NSUBS", "$SYS.SERVER.*.STATSZ", "$SYS.SERVER.*.SHUTDOWN")) {
            subs.add(new Entry(peers, subject));
        }
        if (!core.options().operator().enabled()) {
            // In operator mode the claims updates are answered (ClaimsUpdates); without it there is nothing
            // to update, and these only listen.
            subs.add(new Entry(peers, "$SYS.ACCOUNT.*.CLAIMS.UPDATE"));
            subs.add(new Entry(peers, "$SYS.REQ.ACCOUNT.*.CLAIMS.UPDATE"));
        }
        for (String subject : requests.subjects()) {
            subs.add(new Entry(requests, subject));
        }
        for (String name : pluginDocuments) {
            for (String subject : requests.subjectsFor(name)) {
                subs.add(new Entry(requests, subject));
            }
        }
        for (String subject : List.of("$SYS.ACCOUNT.*.LEAFNODE.CONNECT", "$SYS.LATENCY.M2." + hash)) {
            subs.add(new Entry(peers, subject));
        }
        // Go subscribes this one internal-only: it is never announced to routes.
        subs.add(new Entry(new PeerTraffic(false, id, core.accounts()), "$SYS.DEBUG.SUBSCRIBERS"));
        // Numbered like the Go system client's subscriptions, which start at 2.
        int sid = 2;
        for (Entry entry : subs) {
            String subject = entry.subject();
            insert(system, new ServerSubscription(entry.subscriber(), subject, null,
                    Integer.toString(sid++).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        }
    }

    private static void insert(Account system, ServerSubscription sub) {
        try {
            system.sublist().insert(sub);
        } catch (Sublist.InvalidSubjectException e) {
            throw new IllegalStateException("system subject " + sub.subject(), e);
        }
    }

    /** Sends the shutdown notice; events after it are not sent. */
    public void shutdown() {
        events.shutdown();
    }
}
