package nats.jetstream;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import nats.api.ApiRange;
import nats.api.PluginException;
import nats.api.ServerContext;
import nats.api.ServerPlugin;
import nats.api.accounts.AccountListener;
import nats.api.accounts.PluginAccount;
import nats.jetstream.internal.api.ApiRouter;
import nats.jetstream.internal.cluster.JsCluster;
import nats.jetstream.internal.cluster.SingleServerSourcing;
import nats.jetstream.internal.config.AccountLimits;
import nats.jetstream.internal.config.JetStreamOptions;
import nats.jetstream.internal.engine.JetStream;
import nats.jetstream.internal.monitor.JetStreamMonitoring;
import nats.transport.config.ConfigProblem;

/**
 * The {@code jetstream} plugin: enabled by {@code -js}, {@code --enable jetstream} or a {@code jetstream {}}
 * block. It serves {@code $JS.API} in every account (the whole API where JetStream is enabled, Go's error
 * elsewhere), keeps streams and consumers in the storage backends, and adds JetStream to monitoring.
 */
public final class JetStreamPlugin implements ServerPlugin {

    private volatile JetStream js;
    private volatile ApiRouter router;
    private volatile JsCluster cluster;
    private AccountListener.Registration accounts;

    @Override
    public String id() {
        return "jetstream";
    }

    /**
     * 2.2: the stream ingest reports traced messages ({@code InboundMessage.trace()}) and syncs at the end of a
     * publisher's batch ({@code DirectHandler.Batched}).
     */
    @Override
    public ApiRange requiredApi() {
        return ApiRange.atLeast("2.3");
    }

    @Override
    public Optional<String> configSection() {
        return Optional.of("jetstream");
    }

    @Override
    public Set<String> accountSettings() {
        return Set.of("jetstream");
    }

    @Override
    public void validate(Map<String, Object> section) throws PluginException {
        try {
            JetStreamOptions.parse(section);
        } catch (ConfigProblem e) {
            throw new PluginException(e.getMessage(), e);
        }
    }

    @Override
    public void start(ServerContext context) throws PluginException {
        JetStreamOptions options;
        try {
            options = JetStreamOptions.parse(context.configSection());
        } catch (ConfigProblem e) {
            throw new PluginException(e.getMessage(), e);
        }
        System.Logger log = context.logger();
        if (!options.enabled()) {
            log.log(System.Logger.Level.INFO, "JetStream is disabled by its configuration");
            return;
        }
        JetStream engine;
        try {
            engine = new JetStream(context, options, getClass().getModule().getLayer());
            engine.followRemoteOrigins(SingleServerSourcing::new);
            engine.prepareStore();
        } catch (IOException | IllegalStateException e) {
            throw new PluginException("Can't start JetStream: " + e.getMessage(), e);
        }
        Banner.log(log, engine);
        js = engine;
        router = new ApiRouter(engine);
        // Routes start after this plugin: the cluster joins their gossip and runs once JetStream peers appear.
        JsCluster jsCluster = new JsCluster(engine, context);
        jsCluster.start();
        router.clustered(jsCluster);
        cluster = jsCluster;
        boolean globalOnly = !context.settings().operatorMode() && context.accounts().all().stream()
                .noneMatch(a -> !a.isSystem() && !a.name().equals("$G"));
        try {
            accounts = context.accounts().listen(new AccountListener() {
                @Override
                public void added(PluginAccount account) {
                    apply(account, globalOnly);
                }

                @Override
                public void updated(PluginAccount account) {
                    apply(account, globalOnly);
                }

                @Override
                public void removed(PluginAccount account) {
                    router.stop(account.name());
                    engine.disable(account.name());
                }
            });
        } catch (RuntimeException e) {
            engine.close();
            throw new PluginException("Can't start JetStream: " + e.getMessage(), e);
        }
        JetStreamMonitoring.register(context, engine, jsCluster);
        log.log(System.Logger.Level.INFO, "---------------- JETSTREAM ----------------");
    }

    /** Enables or disables JetStream in an account as its configuration or JWT says, and serves its API. */
    private void apply(PluginAccount account, boolean globalOnly) {
        JetStream engine = js;
        Optional<AccountLimits> limits = account.isSystem() ? Optional.empty() : limitsOf(account, globalOnly);
        if (limits.isPresent()) {
            engine.enable(account, limits.get());
            nats.jetstream.internal.api.DomainMappings.apply(account, engine.options().domain());
        } else {
            engine.disable(account.name());
        }
        router.serve(account);
    }

    private Optional<AccountLimits> limitsOf(PluginAccount account, boolean globalOnly) {
        Optional<String> claims = account.jwtClaimsJson();
        if (claims.isPresent()) {
            return AccountLimits.fromJwtClaims(claims.get());
        }
        Optional<Object> setting = account.setting("jetstream");
        if (setting.isPresent()) {
            try {
                return AccountLimits.fromSetting(Map.of(), "jetstream", setting.get());
            } catch (ConfigProblem e) {
                js.log().log(System.Logger.Level.ERROR, "account {0}: {1}", account.name(), e.getMessage());
                return Optional.empty();
            }
        }
        return globalOnly && account.name().equals("$G") ? Optional.of(AccountLimits.UNLIMITED) : Optional.empty();
    }

    @Override
    public void enterLameDuckMode() {
        // Streams keep serving until stop: acknowledged data is already durable.
    }

    @Override
    public void stop() {
        if (accounts != null) {
            accounts.close();
        }
        JsCluster c = cluster;
        if (c != null) {
            c.stop();
        }
        ApiRouter r = router;
        if (r != null) {
            r.stopAll();
        }
        JetStream engine = js;
        if (engine != null) {
            engine.close();
        }
    }
}
