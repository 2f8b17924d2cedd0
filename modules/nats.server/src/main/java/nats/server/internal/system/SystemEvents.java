package nats.server.internal.system;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import nats.server.internal.ClientLifecycle;
import nats.server.internal.ServerCore;
import nats.server.internal.account.Account;
import nats.server.internal.account.EventIds;
import nats.server.internal.client.Client;

/**
 * The Go server's events on the system account: client connects and disconnects of every account but
 * {@code $G} ({@code $SYS.ACCOUNT.<acc>.CONNECT}, {@code .DISCONNECT}), refused credentials
 * ({@code $SYS.SERVER.<id>.CLIENT.AUTH.ERR}), account connection counts ({@code $SYS.ACCOUNT.<acc>.SERVER.CONNS}
 * and the older {@code $SYS.SERVER.ACCOUNT.<acc>.CONNS}, on each change and every 30 s while an account has
 * clients), server statistics ({@code $SYS.SERVER.<id>.STATSZ}, after 250 ms and then at doubling intervals up
 * to every 30 s) and the shutdown notice ({@code $SYS.SERVER.<id>.SHUTDOWN}).
 */
final class SystemEvents implements ClientLifecycle {

    static final String CONNECT_TYPE = "io.nats.server.advisory.v1.client_connect";
    static final String DISCONNECT_TYPE = "io.nats.server.advisory.v1.client_disconnect";
    static final String ACCOUNT_CONNS_TYPE = "io.nats.server.advisory.v1.account_connections";
    /** Go's eventsHBInterval: statistics and account connection counts repeat at this pace. */
    static final long HEARTBEAT_MILLIS = 30_000;
    private static final long FIRST_STATSZ_MILLIS = 250;

    private final SystemSender sender;
    private final ServerCore core;
    private final Statistics statistics;
    /** When each account's connection count was last sent, for the heartbeat. */
    private final Map<Account, Long> lastCountSent = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("nats-system-timers").daemon(true).factory());
    private volatile boolean stopped;

    SystemEvents(SystemSender sender, Statistics statistics) {
        this.sender = sender;
        this.core = sender.core();
        this.statistics = statistics;
    }

    void start() {
        scheduleStatsz(FIRST_STATSZ_MILLIS);
        timers.scheduleAtFixedRate(this::accountHeartbeats, 1, 1, TimeUnit.SECONDS);
    }

    private void scheduleStatsz(long delayMillis) {
        if (stopped) {
            return;
        }
        timers.schedule(() -> {
            sendStatsz(statsSubject());
            scheduleStatsz(Math.min(delayMillis * 2, HEARTBEAT_MILLIS));
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    String statsSubject() {
        return "$SYS.SERVER." + core.identity().serverId() + ".STATSZ";
    }

    /** Go's ServerStatsMsg to {@code subject} (built only when someone listens there). */
    void sendStatsz(String subject) {
        if (!sender.interested(subject)) {
            return;
        }
        sender.send(subject, server -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("server", server);
            m.put("statsz", statistics.server());
            return m;
        });
    }

    /** As in Go, where a new client joins the global account first: its connection count goes out. */
    @Override
    public void accepted(Client client) {
        sendAccountConnections(core.globalAccount());
    }

    /** The account's new connection count, then the connect event (none for the global account). */
    @Override
    public void connected(Client client) {
        Account account = client.account();
        if (account == core.globalAccount()) {
            return;
        }
        sendAccountConnections(account);
        String subject = "$SYS.ACCOUNT." + account.name() + ".CONNECT";
        if (!sender.interested(subject)) {
            return;
        }
        Map<String, Object> info = clientInfo(client, null);
        String id = EventIds.next();
        Instant now = Instant.now();
        sender.send(subject, server -> event(CONNECT_TYPE, id, now, server, info));
    }

    /** The account's new connection count, then the disconnect event (neither for the global account). */
    @Override
    public void disconnected(Client client) {
        Account account = client.account();
        if (account == core.globalAccount()) {
            return;
        }
        sendAccountConnections(account);
        sendDisconnect("$SYS.ACCOUNT." + account.name() + ".DISCONNECT", client, client.closeReason());
    }

    /** Go's accConnsUpdate on a leaf connection's addClient/removeClient (not for the global account). */
    @Override
    public void leafConnectionsChanged(Account account) {
        if (account != core.globalAccount()) {
            sendAccountConnections(account);
        }
    }

    @Override
    public void authenticationFailed(Client client) {
        // As in Go: the reason of the close that follows, not the -ERR text.
        sendDisconnect("$SYS.SERVER." + core.identity().serverId() + ".CLIENT.AUTH.ERR", client,
                "Authentication Failure");
    }

    /** Go's DisconnectEventMsg about {@code client}, if anyone listens on {@code subject}. */
    private void sendDisconnect(String subject, Client client, String reason) {
        if (!sender.interested(subject)) {
            return;
        }
        Instant now = Instant.now();
        Map<String, Object> info = clientInfo(client, now);
        Map<String, Object> tail = disconnectTail(client, reason);
        String id = EventIds.next();
        sender.send(subject, server -> {
            Map<String, Object> m = event(DISCONNECT_TYPE, id, now, server, info);
            m.putAll(tail);
            return m;
        });
    }

    /** The account's connection count to both subjects Go uses (or to {@code reply} alone when given). */
    void sendAccountConnections(Account account, String... replies) {
        String[] subjects = replies.length > 0 ? replies : new String[] {
            "$SYS.SERVER.ACCOUNT." + account.name() + ".CONNS", "$SYS.ACCOUNT." + account.name() + ".SERVER.CONNS"};
        if (replies.length == 0) {
            lastCountSent.put(account, System.currentTimeMillis());
        }
        List<String> heard = Arrays.stream(subjects).filter(sender::interested).toList();
        if (heard.isEmpty()) {
            return;
        }
        String id = EventIds.next();
        Instant now = Instant.now();
        Map<String, Object> stat = statistics.account(account);
        for (String subject : heard) {
            sender.send(subject, server -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("type", ACCOUNT_CONNS_TYPE);
                m.put("id", id);
                m.put("timestamp", now);
                m.put("server", server);
                m.putAll(stat);
                return m;
            });
        }
    }

    private void accountHeartbeats() {
        long now = System.currentTimeMillis();
        lastCountSent.forEach((account, sentAt) -> {
            if (account.clientCount() == 0 && core.leafCount(account) == 0) {
                lastCountSent.remove(account, sentAt);
            } else if (now - sentAt >= HEARTBEAT_MILLIS) {
                sendAccountConnections(account);
            }
        });
    }

    /** Sends the shutdown notice (its payload is the server info itself) and stops the timers. */
    void shutdown() {
        stopped = true;
        timers.shutdownNow();
        String subject = "$SYS.SERVER." + core.identity().serverId() + ".SHUTDOWN";
        sender.send(subject, server -> server);
        sender.close();
    }

    private static Map<String, Object> event(String type, String id, Instant time, Map<String, Object> server,
                                             Map<String, Object> client) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("id", id);
        m.put("timestamp", time);
        m.put("server", server);
        m.put("client", client);
        return m;
    }

    /** Go's DisconnectEventMsg after the client: what it sent, what it received, and why it closed. */
    private static Map<String, Object> disconnectTail(Client client, String reason) {
        Map<String, Object> m = new LinkedHashMap<>();
        // Go's "sent" is what the client sent (the server's in-counters), "received" what it was sent.
        m.put("sent", Statistics.dataStats(client.inMsgs(), client.inBytes()));
        m.put("received", Statistics.dataStats(client.outMsgs(), client.outBytes()));
        m.put("reason", reason);
        return m;
    }

    /** Go's ClientInfo as its connect and disconnect events fill it; {@code stop} only for disconnects. */
    static Map<String, Object> clientInfo(Client client, Instant stop) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("start", client.startTime());
        m.put("host", client.remoteIp());
        m.put("id", client.id());
        m.put("acc", client.account().name());
        putIfNotEmpty(m, "user", client.rawAuthUser());
        putIfNotEmpty(m, "name", client.name());
        putIfNotEmpty(m, "lang", client.lang());
        putIfNotEmpty(m, "ver", client.version());
        if (client.rttNanos() > 0 && stop != null) {
            m.put("rtt", client.rttNanos());
        }
        if (stop != null) {
            m.put("stop", stop);
        }
        putIfNotEmpty(m, "jwt", client.connectJwt());
        putIfNotEmpty(m, "issuer_key", client.issuerKey());
        m.put("kind", "Client");
        m.put("client_type", client.type());
        // Go's ClientInfo.MQTTClient.
        putIfNotEmpty(m, "client_id", client.monitoringFields().get("mqtt_client"));
        return m;
    }

    private static void putIfNotEmpty(Map<String, Object> m, String key, String value) {
        if (value != null && !value.isEmpty()) {
            m.put(key, value);
        }
    }
}
