package nats.example.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import nats.api.ApiRange;
import nats.api.PluginException;
import nats.api.ServerContext;
import nats.api.ServerPlugin;
import nats.api.accounts.AccountListener;
import nats.api.accounts.PluginAccount;
import nats.api.messaging.InternalConnection;
import nats.api.messaging.Message;
import nats.api.monitoring.MonitorException;
import nats.api.net.BoundListener;
import nats.api.net.ListenerSpec;
import nats.api.sessions.AuthOverride;
import nats.api.sessions.ClientProtocolSpec;

/**
 * Uses each element of the plugin contract so the image tests can check it from outside:
 * <ul>
 *   <li>accounts: answers {@code $PROBE.echo} in every account (an account added later included) with a direct
 *       handler, replying {@code <account>:<payload>};</li>
 *   <li>listeners and sessions: {@code probe { line_port }} serves {@link LineSession}'s text protocol;
 *       {@code probe { nats_port }} hands each connection to the kernel's NATS protocol with its own
 *       credentials ({@code probe}/{@code secret}) and an extra INFO field;</li>
 *   <li>monitoring: {@code /probez} and {@code $SYS.REQ.SERVER.PING.PROBEZ}, a {@code /varz} section, an INFO
 *       field, a health check that fails while {@code $PROBE.unhealthy} was the last command;</li>
 *   <li>config: {@code validate} refuses a negative port with a clear text; only {@code greeting} reloads.</li>
 * </ul>
 */
public final class ProbePlugin implements ServerPlugin {

    private final Map<String, InternalConnection> byAccount = new ConcurrentHashMap<>();
    private final AtomicLong echoes = new AtomicLong();
    private final List<BoundListener> listeners = new ArrayList<>();
    private volatile String greeting = "hello";
    private volatile boolean unhealthy;
    private volatile boolean lameDuck;
    private AccountListener.Registration accounts;

    @Override
    public String id() {
        return "probe";
    }

    @Override
    public ApiRange requiredApi() {
        return ApiRange.atLeast("2.1");
    }

    @Override
    public Optional<String> configSection() {
        return Optional.of("probe");
    }

    @Override
    public void validate(Map<String, Object> section) throws PluginException {
        for (String key : List.of("line_port", "nats_port")) {
            Object value = section.get(key);
            if (value != null && !(value instanceof Long port && port >= -1 && port <= 65535)) {
                throw new PluginException("probe: " + key + " must be a port number (-1 for any), got " + value);
            }
        }
    }

    @Override
    public void start(ServerContext context) throws PluginException {
        Map<String, Object> section = context.configSection();
        greeting = String.valueOf(section.getOrDefault("greeting", "hello"));
        accounts = context.accounts().listen(new AccountListener() {
            @Override
            public void added(PluginAccount account) {
                serveEcho(account);
            }

            @Override
            public void removed(PluginAccount account) {
                InternalConnection gone = byAccount.remove(account.name());
                if (gone != null) {
                    gone.close();
                }
            }
        });
        String host = context.settings().host();
        try {
            if (section.get("line_port") instanceof Long port) {
                listeners.add(context.listeners().open(new ListenerSpec("probe", host, port.intValue(),
                        Optional.empty(), "Listening for probe clients on"),
                        connection -> new LineSession(connection, context.clientSessions(), () -> greeting)));
            }
            if (section.get("nats_port") instanceof Long port) {
                ClientProtocolSpec spec = new ClientProtocolSpec("nats",
                        Optional.of(new AuthOverride(Map.of("username", "probe", "password", "secret"))),
                        Map.of("probe", true), Optional.empty());
                listeners.add(context.listeners().open(new ListenerSpec("probe_nats", host, port.intValue(),
                        Optional.empty(), "Listening for probe NATS clients on"), connection -> {
                            context.clientSessions().serveClientProtocol(connection, spec);
                            return nats.api.net.ConnectionReader.HANDED_OVER;
                        }));
            }
        } catch (IOException e) {
            throw new PluginException("probe: cannot listen: " + e.getMessage(), e);
        }
        context.monitoring().document("/probez", "PROBEZ", query -> {
            if (query.option("fail", "fail").map(Boolean::parseBoolean).orElse(false)) {
                throw new MonitorException("probe refused: fail was asked for");
            }
            return document();
        });
        context.monitoring().varzSection("probe", () -> Map.of("echoes", echoes.get()));
        context.monitoring().infoField("probe_api", () -> context.identity().serverName());
        context.monitoring().healthCheck(query -> unhealthy ? Optional.of("probe is unhealthy") : Optional.empty());
        context.monitoring().metrics(m -> m.counter("jnatsd_probe_echoes_total", "Requests the probe echoed")
                .sample(echoes.get()));
    }

    private void serveEcho(PluginAccount account) {
        InternalConnection connection = account.connect("probe");
        byAccount.put(account.name(), connection);
        connection.subscribeDirect("$PROBE.echo", null, m -> {
            if (!m.hasReply()) {
                return true;
            }
            byte[] body = (account.name() + ":" + new String(m.copyPayload(), StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8);
            echoes.incrementAndGet();
            connection.publish(new Message(m.reply(), "", Message.NO_HEADERS, body));
            return true;
        });
        connection.subscribe("$PROBE.unhealthy", message -> unhealthy = true);
        connection.subscribe("$PROBE.healthy", message -> unhealthy = false);
    }

    private Map<String, Object> document() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("accounts", byAccount.keySet().stream().sorted().toList());
        doc.put("echoes", echoes.get());
        doc.put("greeting", greeting);
        doc.put("lame_duck", lameDuck);
        return doc;
    }

    @Override
    public void checkReload(Map<String, Object> current, Map<String, Object> fresh) throws PluginException {
        Map<String, Object> a = new LinkedHashMap<>(current);
        Map<String, Object> b = new LinkedHashMap<>(fresh);
        a.remove("greeting");
        b.remove("greeting");
        if (!a.equals(b)) {
            throw new PluginException("config reload not supported for probe ports");
        }
    }

    @Override
    public void applyReload(Map<String, Object> current, Map<String, Object> fresh) {
        greeting = String.valueOf(fresh.getOrDefault("greeting", "hello"));
    }

    @Override
    public void enterLameDuckMode() {
        lameDuck = true;
    }

    @Override
    public void stop() {
        if (accounts != null) {
            accounts.close();
        }
        listeners.forEach(BoundListener::close);
        byAccount.values().forEach(InternalConnection::close);
    }
}
