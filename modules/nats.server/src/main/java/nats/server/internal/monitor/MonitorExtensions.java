package nats.server.internal.monitor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

import nats.api.monitoring.AccountDocument;
import nats.api.monitoring.HealthCheck;
import nats.api.monitoring.MonitorDocument;
import nats.api.monitoring.MonitorException;
import nats.api.monitoring.MonitorQuery;
import nats.api.monitoring.Monitoring;

/**
 * What plugins add to monitoring: documents served on the HTTP port and as system requests, {@code /varz} and
 * statistics sections, INFO fields, health checks and Prometheus metrics. The kernel's endpoints consult it; with no plugin it is
 * empty and costs one map lookup per request.
 */
public final class MonitorExtensions implements Monitoring {

    private record Registered(String requestName, MonitorDocument document) {
    }

    private final Map<String, Registered> byPath = new ConcurrentHashMap<>();
    private final Map<String, MonitorDocument> byRequest = new ConcurrentHashMap<>();
    private final Map<String, AccountDocument> accountDocuments = new ConcurrentHashMap<>();
    private final Map<String, Supplier<Object>> varz = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, Supplier<Object>> statsz = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, java.util.function.Function<String, Object>> accountFields =
            java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<HealthCheck> health = new CopyOnWriteArrayList<>();
    private final PluginMetrics metrics = new PluginMetrics();
    private final List<Consumer<String>> newRequestNames = new CopyOnWriteArrayList<>();
    private final java.util.function.BiConsumer<String, Supplier<Object>> infoFields;
    private final Runnable announceInfo;

    /** Without a server to announce INFO to (tests of the documents alone). */
    public MonitorExtensions(java.util.function.BiConsumer<String, Supplier<Object>> infoFields) {
        this(infoFields, () -> { });
    }

    /**
     * @param infoFields   where INFO fields go (the kernel's INFO builder)
     * @param announceInfo sends the INFO again to the clients that accept asynchronous INFO
     */
    public MonitorExtensions(java.util.function.BiConsumer<String, Supplier<Object>> infoFields,
                             Runnable announceInfo) {
        this.infoFields = infoFields;
        this.announceInfo = announceInfo;
    }

    @Override
    public void document(String path, String requestName, MonitorDocument document) {
        byPath.put(path, new Registered(requestName, document));
        if (!requestName.isEmpty()) {
            byRequest.put(requestName, document);
            newRequestNames.forEach(l -> l.accept(requestName));
        }
    }

    @Override
    public void accountDocument(String requestName, AccountDocument document) {
        accountDocuments.put(requestName, document);
    }

    @Override
    public void varzSection(String name, Supplier<Object> section) {
        varz.put(name, section);
    }

    @Override
    public void infoField(String name, Supplier<Object> value) {
        infoFields.accept(name, value);
    }

    @Override
    public void announceInfo() {
        announceInfo.run();
    }

    @Override
    public void accountField(String name, java.util.function.Function<String, Object> value) {
        accountFields.put(name, java.util.Objects.requireNonNull(value, "value"));
    }

    /** Puts the plugins' fields of {@code account}'s details into {@code info} (an existing key keeps its place). */
    void putAccountFields(String account, Map<String, Object> info) {
        List<Map.Entry<String, java.util.function.Function<String, Object>>> fields;
        synchronized (accountFields) {
            fields = new ArrayList<>(accountFields.entrySet());
        }
        for (Map.Entry<String, java.util.function.Function<String, Object>> f : fields) {
            Object value = f.getValue().apply(account);
            if (value != null) {
                info.put(f.getKey(), value);
            }
        }
    }

    @Override
    public void statszSection(String name, Supplier<Object> section) {
        statsz.put(name, section);
    }

    @Override
    public void healthCheck(HealthCheck check) {
        health.add(check);
    }

    @Override
    public void metrics(nats.api.monitoring.MetricsSource source) {
        metrics.add(java.util.Objects.requireNonNull(source, "source"));
    }

    /** The plugins' metrics sources. */
    PluginMetrics pluginMetrics() {
        return metrics;
    }

    /** Told the request name of every document registered from now on (the system account subscribes it). */
    public void onNewRequestName(Consumer<String> listener) {
        newRequestNames.add(listener);
    }

    /** Request names registered so far. */
    public List<String> requestNames() {
        return new ArrayList<>(byRequest.keySet());
    }

    /** The document served at an HTTP path, if a plugin registered one. */
    Optional<MonitorDocument> forPath(String path) {
        Registered r = byPath.get(path);
        return r == null ? Optional.empty() : Optional.of(r.document());
    }

    /** The document answering a system request name ({@code JSZ}), if a plugin registered one. */
    public Optional<MonitorDocument> forRequest(String name) {
        return Optional.ofNullable(byRequest.get(name));
    }

    public Optional<AccountDocument> forAccountRequest(String name) {
        return Optional.ofNullable(accountDocuments.get(name));
    }

    /** Fills {@code varz}'s plugin sections (replacing the empty placeholders Go shows without the feature). */
    void addVarzSections(Map<String, Object> v) {
        synchronized (varz) {
            varz.forEach((name, section) -> {
                // A null section is left out, as Go's omitempty fields (connect_urls without a cluster change).
                Object value = section.get();
                if (value != null) {
                    v.put(name, value);
                }
            });
        }
    }

    /** The plugin sections of the statistics events. */
    public Map<String, Object> statszSections() {
        Map<String, Object> out = new LinkedHashMap<>();
        synchronized (statsz) {
            statsz.forEach((name, section) -> out.put(name, section.get()));
        }
        return out;
    }

    /** The first failing check's error, empty when all pass. */
    Optional<String> failingHealthCheck(MonitorQuery query) {
        for (HealthCheck check : health) {
            Optional<String> error = check.check(query);
            if (error.isPresent()) {
                return error;
            }
        }
        return Optional.empty();
    }

    /** Runs a plugin document; a refusal becomes Go's answer with the plugin's status (a bad request unless said). */
    static Object run(MonitorDocument document, MonitorQuery query) throws GoFormat.BadRequest {
        try {
            return document.document(query);
        } catch (MonitorException e) {
            throw new GoFormat.BadRequest(e.status(), e.getMessage());
        }
    }
}
