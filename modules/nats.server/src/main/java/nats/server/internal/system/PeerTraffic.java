package nats.server.internal.system;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import nats.server.internal.account.Account;
import nats.server.internal.account.Accounts;
import nats.server.internal.routing.RoutedMessage;
import nats.server.internal.routing.ServerSubscription;
import nats.server.internal.routing.Subscriber;
import nats.transport.json.Json;

/**
 * Where the Go server listens for other servers of its cluster (their statistics, shutdowns, connection
 * counts, latency reports, inbox replies). The other servers' statistics and shutdowns keep the count of
 * active servers (Go's {@code active_servers}: those heard from within three heartbeats); their account connection
 * counts keep each account's leaf connections elsewhere (Go's remoteConnsUpdate and nrleafs), forgotten when the
 * server shuts down or goes quiet; the rest needs no answer, and the subscriptions exist so that the system account
 * looks as it does on a Go server.
 */
final class PeerTraffic implements Subscriber {

    static final String ACCOUNT_CONNS = "$SYS.SERVER.ACCOUNT.*.CONNS";

    /** Go forgets a server it has not heard from in three heartbeats (orphMax). */
    private static final long ORPHAN_NANOS = 3 * SystemEvents.HEARTBEAT_MILLIS * 1_000_000L;

    private final boolean announced;
    private final String ownId;
    private final java.util.Map<String, Long> servers = new java.util.concurrent.ConcurrentHashMap<>();
    private final Accounts accounts;

    PeerTraffic(String ownId, Accounts accounts) {
        this(true, ownId, accounts);
    }

    /** @param announced false for Go's internal-only subscriptions, which routes never hear of */
    PeerTraffic(boolean announced, String ownId, Accounts accounts) {
        this.announced = announced;
        this.ownId = ownId;
        this.accounts = accounts;
    }

    /** This server and the others heard from lately (Go's active_servers). */
    int activeServers() {
        long now = System.nanoTime();
        servers.entrySet().removeIf(e -> {
            boolean orphan = now - e.getValue() > ORPHAN_NANOS;
            if (orphan) {
                forget(e.getKey());
            }
            return orphan;
        });
        return 1 + servers.size();
    }

    private void forget(String serverId) {
        for (Account a : accounts.all()) {
            a.forgetServer(serverId);
        }
    }

    @Override
    public boolean announcesInterest() {
        return announced;
    }

    @Override
    public boolean deliver(ServerSubscription subscription, RoutedMessage message) {
        String subject = subscription.subject();
        if (subject.equals("$SYS.SERVER.*.STATSZ") || subject.equals("$SYS.SERVER.*.SHUTDOWN")) {
            String[] tokens = message.subjectString().split("\\.");
            if (tokens.length == 4 && !tokens[2].equals(ownId)) {
                if (tokens[3].equals("STATSZ")) {
                    servers.put(tokens[2], System.nanoTime());
                } else {
                    servers.remove(tokens[2]);
                    forget(tokens[2]);
                }
            }
        } else if (subject.equals(ACCOUNT_CONNS)) {
            accountConnections(message);
        }
        return true;
    }

    /** Go's AccountNumConns from another server: its leaf connections in that account. */
    private void accountConnections(RoutedMessage m) {
        int bodyStart = m.dataOffset + Math.max(0, m.headerSize);
        Map<String, Object> event;
        try {
            event = Json.parseObject(new String(m.data, bodyStart, m.dataOffset + m.dataLength - bodyStart,
                    StandardCharsets.UTF_8));
        } catch (Json.JsonException e) {
            return;
        }
        String serverId = event.get("server") instanceof Map<?, ?> server && server.get("id") instanceof String id
                ? id : "";
        if (serverId.isEmpty() || serverId.equals(ownId) || !(event.get("acc") instanceof String name)) {
            return;
        }
        Account account = accounts.get(name);
        if (account != null) {
            account.remoteLeafs(serverId, event.get("leafnodes") instanceof Number n ? n.intValue() : 0);
        }
    }

    @Override
    public void flushPending() {
        // Nothing is queued.
    }
}
