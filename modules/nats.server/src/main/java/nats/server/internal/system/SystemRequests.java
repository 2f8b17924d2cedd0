package nats.server.internal.system;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import nats.server.internal.ServerCore;
import nats.server.internal.account.Account;
import nats.transport.json.Json;
import nats.server.internal.monitor.MonitorDocuments;
import nats.server.internal.routing.RoutedMessage;
import nats.server.internal.routing.ServerSubscription;
import nats.server.internal.routing.Subscriber;

/**
 * The Go server's request services on the system account: {@code $SYS.REQ.SERVER.PING} (statistics from
 * every server), {@code $SYS.REQ.SERVER.PING.<X>} and {@code $SYS.REQ.SERVER.<id>.<X>} for the monitoring
 * documents (VARZ, CONNZ, SUBSZ, ACCOUNTZ, HEALTHZ, ...), and {@code $SYS.REQ.ACCOUNT.<acc>.<X>} for one
 * account (SUBSZ, CONNZ, LEAFZ, JSZ, INFO, STATZ, CONNS). Options come as JSON in Go's field names; answers
 * are {@code {"server":{...},"data":{...}}} or {@code {"server":{...},"error":{"code":N,"description":"..."}}}.
 * A request filtered out by {@code server_name}, {@code host}, {@code cluster}, {@code tags} or
 * {@code domain} gets no answer, as does one without a reply subject.
 */
final class SystemRequests implements Subscriber {

    static final List<String> SERVER_DOCUMENTS =
            List.of("VARZ", "CONNZ", "ROUTEZ", "GATEWAYZ", "LEAFZ", "JSZ", "STATSZ", "ACCOUNTZ", "HEALTHZ", "SUBSZ");
    static final List<String> ACCOUNT_DOCUMENTS = List.of("STATZ", "CONNS", "SUBSZ", "CONNZ", "LEAFZ", "JSZ", "INFO");
    private static final String PING = "$SYS.REQ.SERVER.PING";
    private static final String ACCOUNT_PING_STATZ = "$SYS.REQ.ACCOUNT.PING.STATZ";

    private final SystemSender sender;
    private final SystemEvents events;
    private final Statistics statistics;
    private final ServerCore core;
    private final MonitorDocuments documents;

    SystemRequests(SystemSender sender, SystemEvents events, Statistics statistics) {
        this.sender = sender;
        this.events = events;
        this.statistics = statistics;
        this.core = sender.core();
        this.documents = sender.documents();
    }

    /** The subjects of a document name a plugin added beyond Go's list (e.g. {@code RAFTZ}). */
    List<String> subjectsFor(String name) {
        if (SERVER_DOCUMENTS.contains(name)) {
            return List.of();
        }
        return List.of("$SYS.REQ.SERVER." + core.identity().serverId() + "." + name, PING + "." + name);
    }

    /** The request subjects, in the order Go subscribes them. */
    List<String> subjects() {
        String id = core.identity().serverId();
        List<String> subjects = new ArrayList<>();
        subjects.add(PING);
        for (String name : SERVER_DOCUMENTS) {
            subjects.add("$SYS.REQ.SERVER." + id + "." + name);
            subjects.add(PING + "." + name);
        }
        for (String name : ACCOUNT_DOCUMENTS) {
            subjects.add("$SYS.REQ.ACCOUNT.*." + name);
        }
        subjects.add(ACCOUNT_PING_STATZ);
        return subjects;
    }

    @Override
    public boolean deliver(ServerSubscription subscription, RoutedMessage m) {
        String subject = m.subjectString();
        // As Go's deliverMsg for internal subscriptions: a gateway reply is seen bare and mapped back on answer.
        String reply = sender.system().gatewayReplies().shownReply(m);
        int bodyStart = m.dataOffset + Math.max(0, m.headerSize);
        String body = new String(m.data, bodyStart, m.dataOffset + m.dataLength - bodyStart, StandardCharsets.UTF_8);
        String pattern = subscription.subject();
        // Answered on the system account's sending thread, never on the requester's reader.
        sender.later(() -> handle(pattern, subject, reply, body));
        return true;
    }

    @Override
    public void flushPending() {
        // Answers are published, and flushed, by the sending thread.
    }

    private void handle(String pattern, String subject, String reply, String body) {
        if (pattern.equals(PING) || pattern.endsWith(".STATSZ")) {
            statsz(reply, body);
            return;
        }
        if (reply.isEmpty()) {
            return;
        }
        if (pattern.equals(ACCOUNT_PING_STATZ)) {
            answer(reply, body, options -> accountStatz(options, List.of()));
            return;
        }
        String name = pattern.substring(pattern.lastIndexOf('.') + 1);
        if (pattern.startsWith("$SYS.REQ.SERVER.")) {
            answer(reply, body, options -> documents.document(name, options));
            return;
        }
        String[] tokens = subject.split("\\.", -1);
        String account = tokens.length == 5 ? tokens[3] : null;
        if (name.equals("CONNS")) {
            connectionCount(account, reply, body);
            return;
        }
        answer(reply, body, options -> {
            if (account == null) {
                throw new MonitorDocuments.RequestException("subject \"" + subject + "\" is malformed");
            }
            java.util.Optional<nats.api.monitoring.AccountDocument> plugin =
                    documents.extensions().forAccountRequest(name);
            if (plugin.isPresent()) {
                try {
                    return plugin.get().document(account, new nats.api.monitoring.MonitorQuery(Map.of(), options));
                } catch (nats.api.monitoring.MonitorException e) {
                    throw new MonitorDocuments.RequestException(e.getMessage());
                }
            }
            return switch (name) {
                case "SUBSZ" -> {
                    options.put("subscriptions", true);
                    options.put("account", account);
                    yield documents.document("SUBSZ", options);
                }
                case "CONNZ" -> {
                    options.put("acc", account);
                    yield documents.document("CONNZ", options);
                }
                case "LEAFZ" -> documents.document("LEAFZ", options);
                // JetStream is not built yet: Go's answer for a server without it.
                case "JSZ" -> throw new MonitorDocuments.RequestException("jetstream not enabled");
                case "INFO" -> documents.accountInfo(account);
                case "STATZ" -> account.equals("PING") ? null : accountStatz(options, List.of(account));
                default -> null;
            };
        });
    }

    /** Go's statszReq: statistics to the reply, or to this server's STATSZ subject when there is none. */
    private void statsz(String reply, String body) {
        String target = reply.isEmpty() ? events.statsSubject() : reply;
        if (!body.isBlank()) {
            Map<String, Object> options;
            try {
                options = Json.parseObject(body);
            } catch (Json.JsonException e) {
                sender.publish(target, error(400, e.getMessage()));
                return;
            }
            if (filteredOut(options)) {
                return;
            }
        }
        events.sendStatsz(target);
    }

    private interface Document {
        /** The data to answer with; null to stay silent. */
        Object build(Map<String, Object> options) throws MonitorDocuments.RequestException;
    }

    /** Go's zReq: parse the options, apply the server filter, answer with data or an error. */
    private void answer(String reply, String body, Document document) {
        Map<String, Object> options = new LinkedHashMap<>();
        if (!body.isBlank()) {
            try {
                options.putAll(Json.parseObject(body));
            } catch (Json.JsonException e) {
                sender.publish(reply, error(400, e.getMessage()));
                return;
            }
            if (filteredOut(options)) {
                return;
            }
        }
        Object data;
        try {
            data = document.build(options);
        } catch (MonitorDocuments.RequestException e) {
            // Go's response then holds a typed nil as its data, which it writes as null.
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("server", sender.serverInfo());
            m.put("data", null);
            m.put("error", errorBody(500, e.getMessage()));
            sender.publish(reply, m);
            return;
        }
        if (data != null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("server", sender.serverInfo());
            m.put("data", data);
            sender.publish(reply, m);
        }
    }

    private Map<String, Object> error(int code, String description) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("server", sender.serverInfo());
        m.put("error", errorBody(code, description));
        return m;
    }

    private static Map<String, Object> errorBody(int code, String description) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("description", description);
        return error;
    }

    /** Go's EventFilterOptions: a request for other servers is not ours to answer. */
    private boolean filteredOut(Map<String, Object> options) {
        String name = text(options.get("server_name"));
        if (!name.isEmpty() && !core.identity().serverName().contains(name)) {
            return true;
        }
        String host = text(options.get("host"));
        if (!host.isEmpty() && !core.options().host().contains(host)) {
            return true;
        }
        String cluster = text(options.get("cluster"));
        if (!cluster.isEmpty() && !core.clusterName().contains(cluster)) {
            return true;
        }
        // No tags and no JetStream domain here: any such filter names other servers.
        if (!text(options.get("domain")).isEmpty()) {
            return true;
        }
        return options.get("tags") instanceof List<?> tags && !tags.isEmpty();
    }

    private static String text(Object value) {
        return value instanceof String s ? s : "";
    }

    /**
     * Go's AccountStatz: the named accounts (all when none are named) with clients, or every one with
     * {@code include_unused}; null (no answer) when that leaves none.
     */
    private Object accountStatz(Map<String, Object> options, List<String> named) {
        List<String> names = new ArrayList<>(named);
        if (names.isEmpty() && options.get("accounts") instanceof List<?> listed) {
            listed.forEach(a -> names.add(String.valueOf(a)));
        }
        boolean includeUnused = Boolean.TRUE.equals(options.get("include_unused"));
        List<Object> stats = new ArrayList<>();
        for (Account account : core.accounts().all()) {
            if (!names.isEmpty() && !names.contains(account.name())) {
                continue;
            }
            Map<String, Object> stat = statistics.account(account);
            if (includeUnused || ((Number) stat.get("total_conns")).longValue() > 0) {
                stats.add(stat);
            }
        }
        if (stats.isEmpty() && !includeUnused) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("server_id", core.identity().serverId());
        m.put("now", Instant.now());
        m.put("account_statz", stats);
        return m;
    }

    /** Go's connsRequest: the account's connection count to the reply, if this server has clients in it. */
    private void connectionCount(String accountName, String reply, String body) {
        if (accountName == null || reply.isEmpty()) {
            return;
        }
        if (!body.isBlank()) {
            try {
                Object requested = Json.parseObject(body).get("acc");
                if (requested != null && !accountName.equals(requested)) {
                    return;
                }
            } catch (Json.JsonException e) {
                return;
            }
        }
        Account account = core.accounts().get(accountName);
        if (account != null && account.clientCount() > 0) {
            events.sendAccountConnections(account, reply);
        }
    }
}
