package nats.jetstream.internal.cluster;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.function.IntSupplier;

import nats.api.messaging.InternalConnection;
import nats.api.messaging.Message;
import nats.jetstream.internal.engine.JetStream;
import nats.jetstream.internal.engine.JsAccount;
import nats.jetstream.internal.engine.Stream;
import nats.transport.json.GoJson;
import nats.transport.json.Json;

/**
 * The cluster's JetStream usage per account, shared as Go's servers share theirs ({@code $JSC.ARU}, every 1.5 s):
 * each server publishes, about once a second, the memory and storage its own replicas hold (so an R3 stream counts
 * three times, as in Go's account info) and the consumers of the streams it leads (each consumer counted once, as
 * Go counts consumer assignments), and the API requests it answered (Go's {@code usageApi}, {@code usageErr}). Account info adds what the other servers sent to this server's own figures.
 * The subject is ours ({@code $JSC.JSU.<node>}, JSON), not Go's binary {@code $JSC.ARU}.
 */
final class UsageGossip {

    static final String SUBJECT_PREFIX = "$JSC.JSU.";
    /** A server whose report is older than this is left out (it stopped, or its routes are down). */
    private static final long STALE_NANOS = 5_000_000_000L;

    /** Usage of one account. */
    record Usage(long memory, long storage, long consumers, long api, long apiErrors) {
        static final Usage NONE = new Usage(0, 0, 0, 0, 0);

        Usage plus(Usage o) {
            return new Usage(memory + o.memory, storage + o.storage, consumers + o.consumers, api + o.api,
                    apiErrors + o.apiErrors);
        }
    }

    private record Report(Map<String, Usage> accounts, int haAssets, long receivedAt) {
    }

    private final JetStream js;
    private final String selfId;
    /** Whether this server leads the stream (account, stream); consumers run on the stream's leader only. */
    private final BiPredicate<String, String> leads;
    /** Whether the stream (account, stream) is assigned in the meta group. */
    private final BiPredicate<String, String> assigned;
    /** This server's {@code ha_assets}, consumers' groups included (Go's placement reads it from the statistics). */
    private final IntSupplier haAssets;
    private final Map<String, Report> reports = new ConcurrentHashMap<>();

    UsageGossip(JetStream js, String selfId, BiPredicate<String, String> leads, BiPredicate<String, String> assigned,
                IntSupplier haAssets) {
        this.js = js;
        this.selfId = selfId;
        this.leads = leads;
        this.assigned = assigned;
        this.haAssets = haAssets;
    }

    /** This server's usage of an account: its replicas' bytes, and the consumers it runs. */
    Usage local(JsAccount account) {
        long consumers = 0;
        for (Stream s : account.streams()) {
            if (!assigned.test(account.name(), s.name()) || leads.test(account.name(), s.name())) {
                consumers += s.consumerCount();
            }
        }
        return new Usage(account.memoryUsed(), account.storeUsed(), consumers, account.apiTotal(),
                account.apiErrors());
    }

    /** The account's usage over the cluster: this server's and every fresh report of the others. */
    Usage total(JsAccount account) {
        Usage sum = local(account);
        long now = System.nanoTime();
        for (Map.Entry<String, Report> e : reports.entrySet()) {
            if (!e.getKey().equals(selfId) && now - e.getValue().receivedAt() < STALE_NANOS) {
                sum = sum.plus(e.getValue().accounts().getOrDefault(account.name(), Usage.NONE));
            }
        }
        return sum;
    }

    /** Sends this server's usage of every account that has streams here. */
    void publish(InternalConnection system) {
        Map<String, Object> accounts = new LinkedHashMap<>();
        for (JsAccount a : js.accounts()) {
            if (a.streams().isEmpty() && a.apiTotal() == 0) {
                continue;
            }
            Usage u = local(a);
            accounts.put(a.name(), Map.of("memory", u.memory(), "storage", u.storage(), "consumers", u.consumers(),
                    "api", u.api(), "api_errors", u.apiErrors()));
        }
        byte[] body = GoJson.compact(Map.of("accounts", accounts, "ha_assets", haAssets.getAsInt()))
                .getBytes(StandardCharsets.UTF_8);
        system.publish(new Message(SUBJECT_PREFIX + selfId, "", Message.NO_HEADERS, body));
    }

    /** Another server's report: it replaces that server's previous one whole. */
    void receive(Message m) {
        String node = m.subject().substring(SUBJECT_PREFIX.length());
        if (node.equals(selfId)) {
            return;
        }
        Map<String, Object> body = Json.parseObject(new String(m.payload(), StandardCharsets.UTF_8));
        Map<String, Usage> accounts = new LinkedHashMap<>();
        if (body.get("accounts") instanceof Map<?, ?> all) {
            for (Map.Entry<?, ?> e : all.entrySet()) {
                if (e.getKey() instanceof String name && e.getValue() instanceof Map<?, ?> u) {
                    accounts.put(name, new Usage(number(u.get("memory")), number(u.get("storage")),
                            number(u.get("consumers")), number(u.get("api")), number(u.get("api_errors"))));
                }
            }
        }
        reports.put(node, new Report(accounts, (int) number(body.get("ha_assets")), System.nanoTime()));
    }

    /** The {@code ha_assets} another server reported lately, 0 when none is fresh. */
    int haAssets(String node) {
        Report r = reports.get(node);
        return r == null || System.nanoTime() - r.receivedAt() >= STALE_NANOS ? 0 : r.haAssets();
    }

    private static long number(Object v) {
        return v instanceof Number n ? n.longValue() : 0;
    }
}
