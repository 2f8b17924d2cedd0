package nats.server.internal.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import nats.server.internal.ServerCore;
import nats.server.internal.account.Account;
import nats.server.options.AccountConfig;
import nats.server.internal.client.Client;
import nats.server.internal.client.ConnectionSnapshot;
import nats.server.internal.routing.ServerSubscription;
import nats.server.internal.routing.SubjectMatcher;
import nats.transport.tls.GoTlsNames;
import nats.server.options.ServerOptions;

/**
 * The monitoring endpoints of the Go server (v2.9.10 {@code server/monitor.go}) over a {@link ServerCore}:
 * each method reads the query like the Go handler, counts the request in {@code http_req_stats} at the same
 * point, and returns the document as an ordered map tree in the Go struct's field order, leaving out
 * what Go's {@code omitempty} leaves out. See docs/monitoring.md for what jnatsd cannot fill in.
 */
final class Endpoints {

    static final String ROOT = "/";
    static final String VARZ = "/varz";
    static final String CONNZ = "/connz";
    static final String ROUTEZ = "/routez";
    static final String GATEWAYZ = "/gatewayz";
    static final String LEAFZ = "/leafz";
    static final String SUBSZ = "/subsz";
    static final String SUBSCRIPTIONSZ = "/subscriptionsz";
    static final String STACKSZ = "/stacksz";
    static final String ACCOUNTZ = "/accountz";
    static final String ACCSTATZ = "/accstatz";
    static final String JSZ = "/jsz";
    static final String HEALTHZ = "/healthz";
    static final String IPQUEUESZ = "/ipqueuesz";

    /** Go's name for the account of clients that name none. */
    static final String GLOBAL_ACCOUNT = "$G";
    /** Go's {@code DefaultConnListSize} and {@code DefaultSubListSize}. */
    static final int DEFAULT_LIST_SIZE = 1024;
    /** Go's TLS_TIMEOUT default, reported by /varz even without TLS. */
    private static final double DEFAULT_TLS_TIMEOUT_SECONDS = 2;

    private final ServerCore core;
    private final ProcessUsage usage = new ProcessUsage();
    private final Map<String, LongAdder> requestCounts = new ConcurrentHashMap<>();
    private volatile String httpHost = "";
    private volatile int httpPort;
    private volatile int httpsPort;

    private final MonitorExtensions extensions;

    Endpoints(ServerCore core, MonitorExtensions extensions) {
        this.extensions = extensions;
        this.core = core;
    }

    /** Where the monitor listens, for /varz's http_host and http_port (or https_port). */
    void listening(String host, int port, boolean https) {
        this.httpHost = host;
        if (https) {
            this.httpsPort = port;
        } else {
            this.httpPort = port;
        }
    }

    private void count(String path, Query q) {
        if (q.isCounted()) {
            requestCounts.computeIfAbsent(path, p -> new LongAdder()).increment();
        }
    }

    private String serverId() {
        return core.identity().serverId();
    }

    // ---- / ---------------------------------------------------------------------------------------------

    /** Counts a request of a page that is not a document ({@code /metrics}, {@code /dashboard}). */
    void countRequest(String path) {
        requestCounts.computeIfAbsent(path, p -> new LongAdder()).increment();
    }

    /** The page at the base path: links to the endpoints, each under the base path as Go writes them. */
    String root(BasePath base) {
        requestCounts.computeIfAbsent(ROOT, p -> new LongAdder()).increment();
        String version = core.identity().serverVersion();
        StringBuilder html = new StringBuilder(1024);
        html.append("<html lang=\"en\">\n<head>\n<title>jnatsd monitoring</title>\n<style type=\"text/css\">\n")
                .append("  body { font-family: ui-sans-serif,system-ui,sans-serif; margin-left: 32px }\n")
                .append("  a { display: block; margin-left: 7px; padding-bottom: 6px; color: rgb(72 72 92);")
                .append(" text-decoration: none }\n")
                .append("  a:hover { font-weight: 600; color: rgb(59 50 202) }\n")
                .append("</style>\n</head>\n<body>\n<h2>jnatsd</h2>\n<p>NATS server v").append(version)
                .append(" compatible &middot; server id ").append(serverId()).append("</p>\n");
        String[][] links = {
            {Dashboard.PATH, "Dashboard"}, {VARZ, "General"}, {JSZ, "JetStream"}, {CONNZ, "Connections"},
            {ACCOUNTZ, "Accounts"}, {ACCSTATZ, "Account Stats"}, {SUBSZ, "Subscriptions"}, {ROUTEZ, "Routes"},
            {LEAFZ, "LeafNodes"}, {GATEWAYZ, "Gateways"}, {HEALTHZ, "Health Probe"},
            {MetricsEndpoint.PATH, "Prometheus Metrics"},
        };
        for (String[] link : links) {
            html.append("<a href=.").append(base.join(link[0])).append('>').append(link[1]).append("</a>\n");
        }
        html.append("<a href=https://docs.nats.io/running-a-nats-service/nats_admin/monitoring>Help</a>\n")
                .append("</body>\n</html>\n");
        return html.toString();
    }

    // ---- /varz -----------------------------------------------------------------------------------------

    Map<String, Object> varz(Query q) {
        return varz(q, core.stats());
    }

    /** /varz with the server's counters already summed (the Prometheus page walks the connections once). */
    Map<String, Object> varz(Query q, ServerCore.Stats stats) {
        // Go counts before building, so a /varz response includes itself.
        count(VARZ, q);
        ServerOptions o = core.options();
        Instant now = Instant.now();
        Instant start = Instant.ofEpochMilli(core.startedAtMillis());
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("server_id", serverId());
        v.put("server_name", core.identity().serverName());
        v.put("version", core.identity().serverVersion());
        v.put("proto", 1);
        v.put("go", nats.server.internal.RuntimeVersion.TEXT);
        v.put("host", o.host());
        v.put("port", core.port());
        if (o.authRequired()) {
            v.put("auth_required", true);
        }
        // As the INFO the clients get: tls_required unless allow_non_tls, tls_verify with verify.
        if (o.tls().isPresent() && !o.allowNonTls()) {
            v.put("tls_required", true);
        }
        if (o.tls().isPresent() && o.tls().get().verify()) {
            v.put("tls_verify", true);
        }
        v.put("max_connections", o.maxConnections());
        if (o.maxSubscriptions() > 0) {
            v.put("max_subscriptions", o.maxSubscriptions());
        }
        v.put("ping_interval", o.pingInterval().toNanos());
        v.put("ping_max", o.maxPingsOut());
        // Go's http_host defaults to the client host when no monitoring address is set.
        v.put("http_host", !httpHost.isEmpty() ? httpHost : !o.httpHost().isEmpty() ? o.httpHost() : o.host());
        v.put("http_port", httpPort);
        v.put("http_base_path", o.httpBasePath());
        v.put("https_port", httpsPort);
        v.put("auth_timeout", seconds(o.authTimeout()));
        v.put("max_control_line", o.maxControlLine());
        v.put("max_payload", o.maxPayload());
        v.put("max_pending", o.maxPending());
        // Clustering, gateways, leaf nodes, MQTT, websocket and JetStream are not configured: Go prints
        // their option blocks as empty objects then.
        v.put("cluster", Map.of());
        v.put("gateway", Map.of());
        v.put("leaf", Map.of());
        v.put("mqtt", Map.of());
        v.put("websocket", Map.of());
        v.put("jetstream", Map.of());
        v.put("tls_timeout", o.tls().map(t -> seconds(t.timeout())).orElse(DEFAULT_TLS_TIMEOUT_SECONDS));
        v.put("write_deadline", o.writeDeadline().toNanos());
        v.put("start", start);
        v.put("now", now);
        v.put("uptime", GoFormat.uptime(Duration.between(start, now).toNanos()));
        v.put("mem", usage.residentBytes());
        v.put("cores", Runtime.getRuntime().availableProcessors());
        v.put("gomaxprocs", carrierThreads());
        v.put("cpu", usage.cpuPercent());
        v.put("connections", core.clientCount());
        v.put("total_connections", stats.totalConnections());
        v.put("routes", 0);
        v.put("remotes", 0);
        v.put("leafnodes", 0);
        v.put("in_msgs", stats.inMsgs());
        v.put("out_msgs", stats.outMsgs());
        v.put("in_bytes", stats.inBytes());
        v.put("out_bytes", stats.outBytes());
        v.put("slow_consumers", stats.slowConsumers());
        v.put("subscriptions", totalSubscriptions());
        Map<String, Long> requests = new TreeMap<>();
        requestCounts.forEach((path, n) -> requests.put(path, n.sum()));
        v.put("http_req_stats", requests);
        v.put("config_load_time", Instant.ofEpochMilli(core.configLoadedAtMillis()));
        putSystemAccount(v);
        // Last, so a plugin's section replaces its placeholder (cluster, routes...) where Go prints it.
        extensions.addVarzSections(v);
        return v;
    }

    /** The Java analogue of GOMAXPROCS: how many carrier threads run virtual threads. */
    private static int carrierThreads() {
        String configured = System.getProperty("jdk.virtualThreadScheduler.parallelism");
        if (configured != null) {
            try {
                return Integer.parseInt(configured.trim());
            } catch (NumberFormatException e) {
                // Fall back to the default, as the JDK does.
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    // ---- /connz ----------------------------------------------------------------------------------------

    Map<String, Object> connz(Query q) throws GoFormat.BadRequest {
        String sort = q.get("sort");
        boolean auth = q.bool("auth");
        String subsParam = q.get("subs");
        boolean subsDetail = subsParam.toLowerCase(Locale.ROOT).equals("detail");
        boolean subs = !subsDetail && q.bool("subs");
        int offset = q.integer("offset");
        int limit = q.integer("limit");
        long cid = q.uint64("cid");
        String state = q.get("state").toLowerCase(Locale.ROOT);
        boolean withOpen;
        boolean withClosed;
        switch (state) {
            case "", "open" -> {
                withOpen = true;
                withClosed = false;
            }
            case "closed" -> {
                withOpen = false;
                withClosed = true;
            }
            case "any", "all" -> {
                withOpen = true;
                withClosed = true;
            }
            default -> throw new GoFormat.BadRequest("Error decoding state for " + q.get("state"));
        }
        String user = q.get("user");
        String acc = q.get("acc");
        String mqttClient = q.get("mqtt_client");
        count(CONNZ, q);

        Comparator<ConnectionSnapshot> order = comparator(sort);
        if ((sort.equals("stop") || sort.equals("reason")) && withOpen) {
            throw new GoFormat.BadRequest("sort by " + sort + " only valid on closed connections");
        }
        offset = Math.max(0, offset);
        if (limit <= 0) {
            limit = DEFAULT_LIST_SIZE;
        }
        if (cid > 0) {
            limit = 1;
        }
        Instant now = Instant.now();
        Map<String, Object> connz = new LinkedHashMap<>();
        connz.put("server_id", serverId());
        connz.put("now", now);
        if (!acc.isEmpty() && core.accounts().get(acc) == null) {
            // Go returns early for an unknown account, with a null connection list.
            connz.put("num_connections", 0);
            connz.put("total", 0);
            connz.put("offset", offset);
            connz.put("limit", limit);
            connz.put("connections", null);
            return connz;
        }
        String global = core.accounts().global().name();
        List<ConnectionSnapshot> conns = new ArrayList<>();
        int total = 0;
        if (withOpen) {
            for (Client c : core.clients()) {
                if (!acc.isEmpty() && !c.account().name().equals(acc)) {
                    continue;
                }
                if (!user.isEmpty() && !c.authenticatedUser().equals(user)) {
                    continue;
                }
                total++;
                if ((cid == 0 || c.id() == cid)
                        && (mqttClient.isEmpty() || mqttClient.equals(c.monitoringFields().get("mqtt_client")))) {
                    conns.add(ConnectionSnapshot.of(c, global, now, false));
                }
            }
        }
        if (withClosed) {
            for (ConnectionSnapshot c : core.closedConnections()) {
                // As Go: a closed connection keeps its account only outside $G, so acc=$G finds none of them.
                if (!acc.isEmpty() && !c.account().equals(acc)) {
                    continue;
                }
                if (!user.isEmpty() && !c.user().equals(user)) {
                    continue;
                }
                total++;
                if ((cid == 0 || c.cid() == cid)
                        && (mqttClient.isEmpty() || mqttClient.equals(c.extraFields().get("mqtt_client")))) {
                    conns.add(c);
                }
            }
        }
        conns.sort(Comparator.comparingLong(ConnectionSnapshot::cid));
        if (order != null) {
            conns.sort(order);
        }
        int from = Math.min(offset, conns.size());
        int to = (int) Math.min((long) offset + limit, conns.size());
        List<Object> infos = new ArrayList<>();
        for (ConnectionSnapshot c : conns.subList(from, to)) {
            infos.add(connInfo(c, now, subs, subsDetail, auth));
        }
        connz.put("num_connections", infos.size());
        connz.put("total", total);
        connz.put("offset", offset);
        connz.put("limit", limit);
        connz.put("connections", infos);
        return connz;
    }

    /** The ordering of Go's sort options (most descending); null keeps cid order. */
    private static Comparator<ConnectionSnapshot> comparator(String sort) throws GoFormat.BadRequest {
        return switch (sort) {
            case "", "cid", "start" -> null;
            case "subs" -> Comparator.comparingInt((ConnectionSnapshot c) -> c.subscriptions().size()).reversed();
            case "pending" -> Comparator.comparingLong(ConnectionSnapshot::pendingBytes).reversed();
            case "msgs_to" -> Comparator.comparingLong(ConnectionSnapshot::outMsgs).reversed();
            case "msgs_from" -> Comparator.comparingLong(ConnectionSnapshot::inMsgs).reversed();
            case "bytes_to" -> Comparator.comparingLong(ConnectionSnapshot::outBytes).reversed();
            case "bytes_from" -> Comparator.comparingLong(ConnectionSnapshot::inBytes).reversed();
            case "last" -> Comparator.comparing(ConnectionSnapshot::lastActivity).reversed();
            case "idle" -> Comparator.comparingLong(ConnectionSnapshot::idleNanos).reversed();
            // Shortest uptime (newest connection) first, as Go sorts it.
            case "uptime" -> Comparator.comparing(ConnectionSnapshot::start).reversed();
            // Closed connections only: the most recent close first; reasons alphabetically.
            case "stop" -> Comparator.comparing(ConnectionSnapshot::stop).reversed();
            case "reason" -> Comparator.comparing(ConnectionSnapshot::reason);
            default -> throw new GoFormat.BadRequest("invalid sorting option: " + sort);
        };
    }

    /** Go's ConnInfo, in its field order; a closed connection's uptime and idle time end at its close. */
    private static Map<String, Object> connInfo(ConnectionSnapshot c, Instant now, boolean subs, boolean subsDetail,
                                                boolean auth) {
        Instant end = c.isClosed() ? c.stop() : now;
        Map<String, Object> ci = new LinkedHashMap<>();
        ci.put("cid", c.cid());
        ci.put("kind", "Client");
        ci.put("type", c.type());
        ci.put("ip", c.ip());
        ci.put("port", c.port());
        ci.put("start", c.start());
        ci.put("last_activity", c.lastActivity());
        if (c.isClosed()) {
            ci.put("stop", c.stop());
            putIfNotEmpty(ci, "reason", c.reason());
        }
        // As in Go: estimated when CONNECT arrives, then measured with PINGs.
        ci.put("rtt", GoFormat.duration(c.rttNanos()));
        ci.put("uptime", GoFormat.uptime(Duration.between(c.start(), end).toNanos()));
        ci.put("idle", GoFormat.uptime(c.idleNanos()));
        ci.put("pending_bytes", c.pendingBytes());
        ci.put("in_msgs", c.inMsgs());
        ci.put("out_msgs", c.outMsgs());
        ci.put("in_bytes", c.inBytes());
        ci.put("out_bytes", c.outBytes());
        ci.put("subscriptions", c.subscriptions().size());
        putIfNotEmpty(ci, "name", c.name());
        putIfNotEmpty(ci, "lang", c.lang());
        putIfNotEmpty(ci, "version", c.version());
        if (!c.tlsProtocol().isEmpty()) {
            ci.put("tls_version", GoTlsNames.goVersion(c.tlsProtocol()));
            ci.put("tls_cipher_suite", GoTlsNames.goCipher(c.tlsCipherSuite()));
        }
        if (auth && !c.peerCertificates().isEmpty()) {
            List<Object> certs = new ArrayList<>();
            for (ConnectionSnapshot.PeerCertificate pc : c.peerCertificates()) {
                Map<String, Object> cert = new LinkedHashMap<>();
                cert.put("subject", pc.subject());
                cert.put("spki_sha256", pc.spkiSha256());
                cert.put("cert_sha256", pc.certSha256());
                certs.add(cert);
            }
            ci.put("tls_peer_certs", certs);
        }
        // As in Go, who the client is only with auth=true; the account only when it is not the global one.
        if (auth) {
            putIfNotEmpty(ci, "authorized_user", c.user());
            putIfNotEmpty(ci, "account", c.account());
        }
        if (!c.subscriptions().isEmpty()) {
            if (subsDetail) {
                List<Object> list = new ArrayList<>(c.subscriptions().size());
                for (ConnectionSnapshot.Subscription s : c.subscriptions()) {
                    list.add(subDetail(s.subject(), s.queue(), s.sid(), s.msgs(), s.max(), c.cid(), null));
                }
                ci.put("subscriptions_list_detail", list);
            } else if (subs) {
                ci.put("subscriptions_list", c.subscriptions().stream().map(ConnectionSnapshot.Subscription::subject)
                        .toList());
            }
        }
        if (auth) {
            putIfNotEmpty(ci, "jwt", c.jwt());
            putIfNotEmpty(ci, "issuer_key", c.issuerKey());
        }
        // Plugins' fields come last, where Go puts mqtt_client.
        new java.util.TreeMap<>(c.extraFields()).forEach((name, value) -> putIfNotEmpty(ci, name, value));
        return ci;
    }

    /** Go's SubDetail: account (only in /subsz), subject, qgroup, sid, msgs, max, cid. */
    private static Map<String, Object> subDetail(String subject, String queue, String sid, long msgs, long max,
                                                 long cid, String account) {
        Map<String, Object> d = new LinkedHashMap<>();
        if (account != null) {
            d.put("account", account);
        }
        d.put("subject", subject);
        if (queue != null && !queue.isEmpty()) {
            d.put("qgroup", queue);
        }
        d.put("sid", sid);
        d.put("msgs", msgs);
        if (max != 0) {
            d.put("max", max);
        }
        d.put("cid", cid);
        return d;
    }

    // ---- /subsz ----------------------------------------------------------------------------------------

    /**
     * Go's Subsz. Without {@code subs=1} (or when the filtered list is empty) Go prints only the routing
     * table statistics; jnatsd's table keeps no insert/remove/match/cache counters, so those read 0.
     */
    Map<String, Object> subsz(Query q) throws GoFormat.BadRequest {
        count(SUBSZ, q);
        boolean subs = q.bool("subs");
        int offset = q.integer("offset");
        int limit = q.integer("limit");
        String test = q.get("test");
        String acc = q.get("acc");
        offset = Math.max(0, offset);
        if (limit <= 0) {
            limit = DEFAULT_LIST_SIZE;
        }
        if (!test.isEmpty() && !isValidLiteralSubject(test)) {
            throw new GoFormat.BadRequest("invalid test subject, must be valid publish subject: " + test);
        }
        Account selected = acc.isEmpty() ? null : core.accounts().get(acc);
        boolean accountSelected = acc.isEmpty() || selected != null;
        Map<String, Object> stats = sublistStats(accountSelected ? subscriptionCount(selected) : 0);
        List<Object> details = new ArrayList<>();
        for (Account account : !subs || !accountSelected ? List.<Account>of()
                : selected == null ? core.accounts().all() : List.of(selected)) {
            for (ServerSubscription s : account.sublist().all()) {
                if (!test.isEmpty() && !SubjectMatcher.matches(test, s.subject()) || Account.isMappingSource(s)) {
                    continue;
                }
                // In-process (plugin) subscriptions have no client id; Go's internal clients have one, so
                // list them with cid 0 rather than hide them.
                long cid = s.subscriber() instanceof Client c ? c.id() : 0;
                details.add(subDetail(s.subject(), s.queue(), s.sidString(), s.delivered(), s.max(), cid, account.name()));
            }
        }
        int from = Math.min(offset, details.size());
        int to = (int) Math.min((long) offset + limit, details.size());
        List<Object> page = details.subList(from, to);
        if (page.isEmpty() && q.isHttpRequest()) {
            // Go's HTTP handler prints the statistics alone then; a system request gets the whole Subsz.
            return stats;
        }
        Map<String, Object> sz = new LinkedHashMap<>();
        sz.put("server_id", serverId());
        sz.put("now", Instant.now());
        sz.putAll(stats);
        // As in Go, "total" is the size of the returned page.
        sz.put("total", page.size());
        sz.put("offset", offset);
        sz.put("limit", limit);
        if (!page.isEmpty()) {
            sz.put("subscriptions_list", page);
        }
        return sz;
    }

    private long totalSubscriptions() {
        return subscriptionCount(null);
    }

    /** Subscriptions of one account, or of all when {@code account} is null. */
    private long subscriptionCount(Account account) {
        long n = 0;
        for (Account a : account == null ? core.accounts().all() : List.of(account)) {
            n += a.subscriptionCount();
        }
        return n;
    }

    private void putSystemAccount(Map<String, Object> m) {
        Account system = core.accounts().system();
        if (system != null) {
            m.put("system_account", system.name());
        }
    }

    private Map<String, Object> sublistStats(long subscriptions) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("num_subscriptions", subscriptions);
        s.put("num_cache", 0);
        s.put("num_inserts", 0);
        s.put("num_removes", 0);
        s.put("num_matches", 0);
        s.put("cache_hit_rate", 0.0);
        s.put("max_fanout", 0);
        s.put("avg_fanout", 0.0);
        return s;
    }

    /** Go's IsValidLiteralSubject: no empty token, no '*' or '>' token. */
    private static boolean isValidLiteralSubject(String subject) {
        for (String token : subject.split("\\.", -1)) {
            if (token.isEmpty() || token.equals("*") || token.equals(">")) {
                return false;
            }
        }
        return true;
    }

    // ---- features jnatsd does not have: the shapes Go returns when they are not configured -------------

    Map<String, Object> routez(Query q) throws GoFormat.BadRequest {
        if (!q.get("subs").equalsIgnoreCase("detail")) {
            q.bool("subs");
        }
        count(ROUTEZ, q);
        Map<String, Object> r = header();
        r.put("num_routes", 0);
        r.put("routes", List.of());
        return r;
    }

    Map<String, Object> gatewayz(Query q) throws GoFormat.BadRequest {
        count(GATEWAYZ, q);
        q.bool("accs");
        Map<String, Object> g = header();
        g.put("outbound_gateways", Map.of());
        g.put("inbound_gateways", Map.of());
        return g;
    }

    Map<String, Object> leafz(Query q) throws GoFormat.BadRequest {
        count(LEAFZ, q);
        q.bool("subs");
        Map<String, Object> l = header();
        l.put("leafnodes", 0);
        // Go marshals its nil slice here: null, not [].
        l.put("leafs", null);
        return l;
    }

    Map<String, Object> accountz(Query q) throws GoFormat.BadRequest {
        count(ACCOUNTZ, q);
        String acc = q.get("acc");
        Map<String, Object> a = header();
        putSystemAccount(a);
        if (acc.isEmpty()) {
            a.put("accounts", core.accounts().all().stream().map(Account::name).toList());
            return a;
        }
        a.put("account_detail", accountInfo(acc));
        return a;
    }

    /** Go's AccountInfo of one account: /accountz's account_detail and {@code $SYS.REQ.ACCOUNT.<acc>.INFO}. */
    Map<String, Object> accountInfo(String acc) throws GoFormat.BadRequest {
        Account account = core.accounts().get(acc);
        if (account == null) {
            throw new GoFormat.BadRequest("Account " + acc + " does not exist");
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("account_name", account.name());
        info.put("update_time", Instant.ofEpochMilli(core.startedAtMillis()));
        if (account == core.accounts().system()) {
            info.put("is_system", true);
        }
        info.put("expired", false);
        info.put("complete", true);
        info.put("jetstream_enabled", false);
        info.put("leafnode_connections", core.leafCount(account));
        // Plugins' fields (JetStream's jetstream_enabled) take the place of the kernel's defaults above.
        extensions.putAccountFields(account.name(), info);
        info.put("client_connections", account.clientCount());
        info.put("subscriptions", account.subscriptionCount());
        AccountConfig config = core.accounts().config(account.name());
        List<AccountConfig.Import> systemImports = core.accounts().systemImports(account);
        if (config != null || !systemImports.isEmpty()) {
            List<AccountConfig.Import> imports = new ArrayList<>(systemImports);
            if (config != null) {
                imports.addAll(config.imports());
            }
            putSharing(info, new AccountConfig(account.name(), config == null ? List.of() : config.exports(),
                    imports, config == null ? List.of() : config.mappings()));
        }
        if (account.jwt() != null) {
            info.put("jwt", account.jwt().token());
            info.put("issuer_key", account.jwt().claims().data().issuer());
        }
        info.put("sublist_stats", sublistStats(account.subscriptionCount()));
        return info;
    }

    /** Go's AccountInfo mappings, exports and imports (each left out when empty, as Go's omitempty does). */
    private static void putSharing(Map<String, Object> info, AccountConfig config) {
        if (!config.mappings().isEmpty()) {
            Map<String, Object> mappings = new LinkedHashMap<>();
            for (AccountConfig.Mapping m : config.mappings()) {
                List<Object> dests = new ArrayList<>();
                for (AccountConfig.Mapping.Destination d : m.destinations()) {
                    Map<String, Object> md = new LinkedHashMap<>();
                    md.put("destination", d.subject());
                    md.put("weight", d.weight());
                    dests.add(md);
                }
                mappings.put(m.source(), dests);
            }
            info.put("mappings", mappings);
        }
        List<Object> exports = new ArrayList<>();
        // Go lists service exports before stream exports.
        List<AccountConfig.Export> ordered = new ArrayList<>(config.exports());
        ordered.sort(java.util.Comparator.comparing((AccountConfig.Export e) -> e.kind() != AccountConfig.Kind.SERVICE));
        for (AccountConfig.Export e : ordered) {
            Map<String, Object> ex = new LinkedHashMap<>();
            ex.put("subject", e.subject());
            ex.put("type", e.kind() == AccountConfig.Kind.SERVICE ? "service" : "stream");
            if (e.kind() == AccountConfig.Kind.SERVICE) {
                ex.put("response_type", switch (e.responseType()) {
                    case SINGLETON -> "Singleton";
                    case STREAM -> "Streamed";
                    case CHUNKED -> "Chunked";
                });
            }
            if (!e.accounts().isEmpty()) {
                ex.put("approved_accounts", e.accounts());
            }
            exports.add(ex);
        }
        if (!exports.isEmpty()) {
            info.put("exports", exports);
        }
        List<Object> imports = new ArrayList<>();
        for (AccountConfig.Import i : config.imports()) {
            Map<String, Object> im = new LinkedHashMap<>();
            boolean service = i.kind() == AccountConfig.Kind.SERVICE;
            im.put("subject", service ? i.to() : i.subject());
            im.put("account", i.account());
            if (service) {
                im.put("to", i.subject());
            }
            if (!service && !i.to().equals(i.subject())) {
                im.put("local_subject", i.to());
            }
            im.put("type", service ? "service" : "stream");
            im.put("invalid", false);
            im.put("share", false);
            im.put("tracking", false);
            imports.add(im);
        }
        if (!imports.isEmpty()) {
            info.put("imports", imports);
        }
    }

    Map<String, Object> accstatz(Query q) throws GoFormat.BadRequest {
        count(ACCSTATZ, q);
        boolean unused = q.bool("unused");
        Map<String, Object> z = header();
        List<Object> accounts = new ArrayList<>();
        for (Account account : core.accounts().all()) {
            Map<String, Object> stat = accountStat(account);
            if (unused || ((Number) stat.get("conns")).longValue() > 0) {
                accounts.add(stat);
            }
        }
        z.put("account_statz", accounts);
        return z;
    }

    /**
     * Go's AccountStat: the account's clients now, and what all its clients so far sent and received (Go's
     * account counters include the clients that have left).
     */
    Map<String, Object> accountStat(Account account) {
        long[] closed = account.closedTraffic();
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
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("acc", account.name());
        s.put("conns", live[0]);
        // Go's AccountStat: local clients, leaf connections, and both together.
        int leafs = core.leafCount(account);
        s.put("leafnodes", leafs);
        s.put("total_conns", live[0] + leafs);
        s.put("sent", dataStats(closed[2] + live[3], closed[3] + live[4]));
        s.put("received", dataStats(closed[0] + live[1], closed[1] + live[2]));
        s.put("slow_consumers", account.slowConsumers());
        return s;
    }

    static Map<String, Object> dataStats(long msgs, long bytes) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("msgs", msgs);
        d.put("bytes", bytes);
        return d;
    }

    Map<String, Object> jsz(Query q) throws GoFormat.BadRequest {
        count(JSZ, q);
        for (String name : List.of("accounts", "streams", "consumers", "config")) {
            q.bool(name);
        }
        q.integer("offset");
        q.integer("limit");
        if (q.bool("leader-only")) {
            // Go answers this way when JetStream is off: the server is no meta leader.
            throw new GoFormat.BadRequest("filtered response: not leader");
        }
        Map<String, Object> j = header();
        j.put("disabled", true);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("max_memory", 0);
        config.put("max_storage", 0);
        j.put("config", config);
        j.put("memory", 0);
        j.put("storage", 0);
        j.put("reserved_memory", 0);
        j.put("reserved_storage", 0);
        j.put("accounts", 0);
        j.put("ha_assets", 0);
        Map<String, Object> api = new LinkedHashMap<>();
        api.put("total", 0);
        api.put("errors", 0);
        j.put("api", api);
        j.put("streams", 0);
        j.put("consumers", 0);
        j.put("messages", 0);
        j.put("bytes", 0);
        return j;
    }

    Map<String, Object> healthz(Query q) throws GoFormat.BadRequest {
        count(HEALTHZ, q);
        q.bool("js-enabled");
        q.bool("js-enabled-only");
        q.bool("js-server-only");
        Map<String, Object> h = new LinkedHashMap<>();
        java.util.Optional<String> failing = extensions.failingHealthCheck(
                new nats.api.monitoring.MonitorQuery(q.values(), Map.of()));
        if (failing.isPresent()) {
            h.put("status", "unavailable");
            h.put("error", failing.get());
        } else {
            h.put("status", "ok");
        }
        return h;
    }

    Map<String, Object> ipqueuesz(Query q) throws GoFormat.BadRequest {
        q.bool("all");
        // jnatsd has no internal IP queues.
        return Map.of();
    }

    /** Stacks of the platform threads (virtual threads are not enumerable), like Go's goroutine dump. */
    static String stacks() {
        StringBuilder sb = new StringBuilder(8192);
        Thread.getAllStackTraces().entrySet().stream()
                .sorted(Comparator.comparingLong(e -> e.getKey().threadId()))
                .forEach(e -> {
                    Thread t = e.getKey();
                    sb.append("thread ").append(t.threadId()).append(" \"").append(t.getName()).append("\" [")
                            .append(t.getState().toString().toLowerCase(Locale.ROOT)).append(t.isDaemon() ? ", daemon" : "")
                            .append("]:\n");
                    for (StackTraceElement frame : e.getValue()) {
                        sb.append('\t').append(frame).append('\n');
                    }
                    sb.append('\n');
                });
        return sb.toString();
    }

    private Map<String, Object> header() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("server_id", serverId());
        m.put("now", Instant.now());
        return m;
    }

    private static void putIfNotEmpty(Map<String, Object> m, String key, String value) {
        if (!value.isEmpty()) {
            m.put(key, value);
        }
    }

}
