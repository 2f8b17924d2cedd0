package nats.jetstream.internal.monitor;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import nats.api.ServerContext;
import nats.api.monitoring.MonitorException;
import nats.api.monitoring.MonitorQuery;
import nats.jetstream.internal.api.InfoJson;
import nats.jetstream.internal.cluster.Raftz;
import nats.jetstream.internal.engine.Consumer;
import nats.jetstream.internal.engine.JetStream;
import nats.jetstream.internal.engine.JsAccount;
import nats.jetstream.internal.engine.Stream;
import nats.jetstream.store.StreamState;

/**
 * JetStream in the server's monitoring, with Go's field names and types: {@code /jsz} and the {@code JSZ}
 * system requests, {@code $SYS.REQ.ACCOUNT.<acc>.JSZ}, the {@code /varz} and statistics {@code jetstream}
 * sections, INFO's {@code "jetstream": true} and the {@code /healthz} JetStream checks.
 */
public final class JetStreamMonitoring {

    private final JetStream js;
    private final ServerContext context;

    private final nats.jetstream.internal.cluster.JsCluster cluster;

    private JetStreamMonitoring(ServerContext context, JetStream js, nats.jetstream.internal.cluster.JsCluster cluster) {
        this.context = context;
        this.js = js;
        this.cluster = cluster;
    }

    public static void register(ServerContext context, JetStream js, nats.jetstream.internal.cluster.JsCluster cluster) {
        JetStreamMonitoring m = new JetStreamMonitoring(context, js, cluster);
        var monitoring = context.monitoring();
        // Go's updateJetStreamInfoStatus(false) on a server removed from the cluster: INFO no longer announces it.
        monitoring.infoField("jetstream", () -> cluster.isDisabled() ? null : Boolean.TRUE);
        monitoring.varzSection("jetstream", m::varz);
        monitoring.statszSection("jetstream", m::statsz);
        monitoring.document("/jsz", "JSZ", m::jsz);
        monitoring.accountDocument("JSZ", m::accountJsz);
        String systemAccount = context.settings().systemAccount().orElse("$SYS");
        monitoring.document("/raftz", "RAFTZ", new Raftz(cluster, systemAccount)::document);
        // Go's AccountInfo.JetStream: whether the account has JetStream (a.js != nil).
        monitoring.accountField("jetstream_enabled", account -> js.account(account).isPresent());
        monitoring.healthCheck(q -> js.isShuttingDown() ? Optional.of("JetStream not enabled") : Optional.empty());
    }

    private Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("max_memory", js.maxMemory());
        c.put("max_storage", js.maxStore());
        c.put("store_dir", js.options().storeRoot().toString());
        if (!js.options().domain().isEmpty()) {
            c.put("domain", js.options().domain());
        }
        // Go keeps its start-up config (with compress_ok) only when both limits are configured; otherwise it
        // builds a fresh one from the machine's resources, without the flag.
        if (js.options().maxMemory() >= 0 && js.options().maxStore() >= 0) {
            c.put("compress_ok", true);
        }
        return c;
    }

    /** Go's {@code JSInfo} of a server whose JetStream was disabled (removed from the cluster): zero values. */
    private static Map<String, Object> disabledJsz(Map<String, Object> j) {
        j.put("disabled", true);
        j.put("config", new LinkedHashMap<>(Map.of("max_memory", 0L, "max_storage", 0L)));
        for (String k : List.of("memory", "storage", "reserved_memory", "reserved_storage", "accounts", "ha_assets")) {
            j.put(k, 0L);
        }
        Map<String, Object> api = new LinkedHashMap<>();
        api.put("total", 0L);
        api.put("errors", 0L);
        j.put("api", api);
        for (String k : List.of("streams", "consumers", "messages", "bytes")) {
            j.put(k, 0L);
        }
        return j;
    }

    /** Go's {@code JetStreamStats} for the whole server. */
    private Map<String, Object> stats() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("memory", js.memoryUsed());
        s.put("storage", js.storeUsed());
        long reservedMemory = 0;
        long reservedStore = 0;
        long total = 0;
        long errors = 0;
        for (JsAccount a : js.accounts()) {
            reservedMemory += a.reserved(nats.jetstream.internal.model.Policies.Storage.MEMORY);
            reservedStore += a.reserved(nats.jetstream.internal.model.Policies.Storage.FILE);
            total += a.apiTotal();
            errors += a.apiErrors();
        }
        s.put("reserved_memory", reservedMemory);
        s.put("reserved_storage", reservedStore);
        s.put("accounts", js.accounts().size());
        s.put("ha_assets", cluster.haAssets());
        Map<String, Object> api = new LinkedHashMap<>();
        api.put("total", total);
        api.put("errors", errors);
        s.put("api", api);
        return s;
    }

    private Object varz() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("config", config());
        v.put("stats", stats());
        cluster.metaClusterInfo().ifPresent(meta -> v.put("meta", meta));
        return v;
    }

    /** The {@code jetstream} member of Go's {@code ServerStats} ({@code JetStreamVarz}). */
    private Object statsz() {
        return varz();
    }

    private static int number(MonitorQuery q, String http, String json) throws MonitorException {
        Optional<String> v = q.option(http, json);
        if (v.isEmpty() || v.get().isEmpty()) {
            return 0;
        }
        try {
            return (int) Double.parseDouble(v.get());
        } catch (NumberFormatException e) {
            throw new MonitorException("Error decoding int for '" + http + "': strconv.Atoi: parsing \"" + v.get()
                    + "\": invalid syntax");
        }
    }

    /** Go's {@code Jsz}. */
    private Object jsz(MonitorQuery q) throws MonitorException {
        boolean accounts = q.flag("accounts", "accounts");
        boolean streams = q.flag("streams", "streams");
        boolean consumers = q.flag("consumers", "consumer");
        boolean config = q.flag("config", "config");
        int offset = number(q, "offset", "offset");
        int limit = number(q, "limit", "limit");
        q.flag("leader-only", "leader_only");
        String filter = q.option("acc", "account").orElse("");
        if (limit == 0) {
            limit = 1024;
        }
        if (consumers) {
            streams = true;
        }
        if (streams) {
            accounts = true;
        }
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("server_id", context.identity().serverId());
        j.put("now", Instant.now());
        if (cluster.isDisabled()) {
            return disabledJsz(j);
        }
        j.put("config", config());
        j.putAll(stats());
        long nStreams = 0;
        long nConsumers = 0;
        long messages = 0;
        long bytes = 0;
        List<JsAccount> all = new ArrayList<>(js.accounts());
        for (JsAccount a : all) {
            for (Stream s : a.streams()) {
                StreamState st = s.store().fastState();
                nStreams++;
                nConsumers += s.consumerCount();
                messages += st.messages();
                bytes += st.bytes();
            }
        }
        j.put("streams", nStreams);
        j.put("consumers", nConsumers);
        j.put("messages", messages);
        j.put("bytes", bytes);
        cluster.metaClusterInfo().ifPresent(meta -> j.put("meta_cluster", meta));
        List<JsAccount> selected;
        Optional<JsAccount> only = all.stream().filter(a -> a.name().equals(filter)).findFirst();
        if (only.isPresent()) {
            selected = List.of(only.get());
        } else if (accounts) {
            selected = all;
            if (offset != 0) {
                selected.sort(Comparator.comparing(JsAccount::name));
                selected = offset > selected.size() ? List.of() : selected.subList(offset, selected.size());
            }
            if (limit < selected.size()) {
                selected = selected.subList(0, limit);
            }
        } else {
            selected = List.of();
        }
        if (!selected.isEmpty()) {
            List<Object> details = new ArrayList<>();
            for (JsAccount a : selected) {
                details.add(accountDetail(a, streams, consumers, config));
            }
            j.put("account_details", details);
        }
        return j;
    }

    /** Go's {@code accountDetail}; reserved values are the account limits as unsigned numbers, as Go shows them. */
    private Map<String, Object> accountDetail(JsAccount a, boolean streams, boolean consumers, boolean config) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", a.name());
        d.put("id", a.name());
        d.put("memory", a.memoryUsed());
        d.put("storage", a.storeUsed());
        d.put("reserved_memory", new BigInteger(Long.toUnsignedString(a.limits().maxMemory())));
        d.put("reserved_storage", new BigInteger(Long.toUnsignedString(a.limits().maxStore())));
        d.put("accounts", 0);
        d.put("ha_assets", 0);
        Map<String, Object> api = new LinkedHashMap<>();
        api.put("total", a.apiTotal());
        api.put("errors", a.apiErrors());
        d.put("api", api);
        if (streams) {
            List<Object> list = new ArrayList<>();
            for (Stream s : a.streams()) {
                list.add(streamDetail(s, consumers, config));
            }
            if (!list.isEmpty()) {
                d.put("stream_detail", list);
            }
        }
        return d;
    }

    private Map<String, Object> streamDetail(Stream s, boolean consumers, boolean config) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", s.name());
        d.put("created", s.created());
        String account = s.account().name();
        if (cluster.isClustered() && cluster.streamConfig(account, s.name()).isPresent()) {
            // A replica of a clustered stream: its group's leader, and the replicas when this server leads (Go's
            // clusterInfo), including whether each is current (not while it catches up).
            d.put("cluster", cluster.clusterInfo(account, s.name()));
        } else {
            Map<String, Object> single = new LinkedHashMap<>();
            single.put("leader", context.identity().serverName());
            d.put("cluster", single);
        }
        if (config) {
            d.put("config", s.config().toJson());
        }
        d.put("state", InfoJson.streamState(s, s.store().fastState(), null, false));
        Map<String, Object> info = new LinkedHashMap<>();
        InfoJson.streamInfo(info, s, s.store().fastState(), null, false);
        if (info.containsKey("mirror")) {
            d.put("mirror", info.get("mirror"));
        }
        if (info.containsKey("sources")) {
            d.put("sources", info.get("sources"));
        }
        if (consumers) {
            List<Object> list = new ArrayList<>();
            for (Consumer c : s.consumers()) {
                Map<String, Object> ci = new LinkedHashMap<>();
                InfoJson.consumerInfo(ci, c);
                if (!config) {
                    ci.remove("config");
                }
                list.add(ci);
            }
            if (!list.isEmpty()) {
                d.put("consumer_detail", list);
            }
        }
        return d;
    }

    /** {@code $SYS.REQ.ACCOUNT.<acc>.JSZ}: Go's {@code JszAccount}. */
    private Object accountJsz(String account, MonitorQuery q) throws MonitorException {
        boolean consumers = q.flag("consumers", "consumer");
        boolean streams = q.flag("streams", "streams") || consumers;
        boolean config = q.flag("config", "config");
        if (context.accounts().find(account).isEmpty()) {
            throw new MonitorException("account \"" + account + "\" not found");
        }
        JsAccount a = js.account(account).orElseThrow(
                () -> new MonitorException("account \"" + account + "\" not jetstream enabled"));
        return accountDetail(a, streams, consumers, config);
    }
}
