package nats.server.internal.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import nats.api.ApiRange;
import nats.api.ApiVersion;
import nats.api.PluginException;
import nats.api.ServerContext;
import nats.api.ServerPlugin;
import nats.server.options.ServerStartException;
import org.junit.jupiter.api.Test;

/** Enablement, dependency order, refusal and rollback of plugins (issue 2, plugin kernel). */
class PluginLifecycleTest {

    private final List<String> events = new ArrayList<>();

    /** A plugin that records start and stop, depends on others and may refuse to start. */
    private class FakePlugin implements ServerPlugin {
        final String id;
        final Set<String> deps;
        final boolean refuse;
        final String section;

        FakePlugin(String id, Set<String> deps, boolean refuse, String section) {
            this.id = id;
            this.deps = deps;
            this.refuse = refuse;
            this.section = section;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public ApiRange requiredApi() {
            return ApiRange.current();
        }

        @Override
        public Optional<String> configSection() {
            return Optional.ofNullable(section);
        }

        @Override
        public Set<String> dependsOn() {
            return deps;
        }

        @Override
        public void start(ServerContext context) throws PluginException {
            if (refuse) {
                throw new PluginException("store directory is not writable");
            }
            events.add("start " + id);
        }

        @Override
        public void stop() {
            events.add("stop " + id);
        }
    }

    private DiscoveredPlugin plugin(String id, String... deps) {
        return new DiscoveredPlugin(new FakePlugin(id, Set.of(deps), false, null), "built-in");
    }

    @Test
    void startsInDependencyOrderAndStopsInReverse() throws Exception {
        List<DiscoveredPlugin> plugins = List.of(plugin("mqtt", "jetstream"), plugin("jetstream", "raft"),
                plugin("raft"));
        PluginLifecycle lifecycle = new PluginLifecycle();
        lifecycle.startAll(plugins, p -> null);
        lifecycle.stopAll();
        assertEquals(List.of("start raft", "start jetstream", "start mqtt", "stop mqtt", "stop jetstream", "stop raft"),
                events, "dependencies start first and stop last");
    }

    @Test
    void startsAfterOrdersOnlyWhenTheOtherIsEnabled() throws Exception {
        FakePlugin cluster = new FakePlugin("cluster", Set.of(), false, null) {
            @Override
            public Set<String> startsAfter() {
                return Set.of("gateway");
            }
        };
        new PluginLifecycle().startAll(List.of(new DiscoveredPlugin(cluster, "built-in"), plugin("gateway")),
                p -> null);
        assertEquals(List.of("start gateway", "start cluster"), events, "gateways start before routes when both run");
        events.clear();
        new PluginLifecycle().startAll(List.of(new DiscoveredPlugin(cluster, "built-in")), p -> null);
        assertEquals(List.of("start cluster"), events, "a plugin named by startsAfter may be absent");
    }

    @Test
    void aRefusingPluginStopsThoseAlreadyStartedAndNamesItself() {
        List<DiscoveredPlugin> plugins = List.of(plugin("raft"),
                new DiscoveredPlugin(new FakePlugin("jetstream", Set.of("raft"), true, null), "drop-in (js.jar)"));
        ServerStartException e = assertThrows(ServerStartException.class,
                () -> new PluginLifecycle().startAll(plugins, p -> null), "a refusal fails the start");
        assertTrue(e.getMessage().contains("'jetstream'") && e.getMessage().contains("js.jar")
                && e.getMessage().contains("store directory is not writable"),
                "the message names the plugin, its jar and its reason: " + e.getMessage());
        assertEquals(List.of("start raft", "stop raft"), events, "nothing is left running half-configured");
    }

    @Test
    void aBuiltInModulesRefusalIsItsOwnGoText() {
        List<DiscoveredPlugin> plugins = List.of(new DiscoveredPlugin(new FakePlugin("jetstream", Set.of(), true, null),
                DiscoveredPlugin.BUILT_IN));
        ServerStartException e = assertThrows(ServerStartException.class,
                () -> new PluginLifecycle().startAll(plugins, p -> null), "a refusal fails the start");
        assertEquals("store directory is not writable", e.getMessage(), "printed as Go prints it: nats-server: <text>");
    }

    @Test
    void missingDependencyAndCyclesAreRefused() {
        ServerStartException missing = assertThrows(ServerStartException.class,
                () -> PluginLifecycle.startOrder(List.of(plugin("mqtt", "jetstream"))), "missing dependency");
        assertTrue(missing.getMessage().contains("needs plugin 'jetstream'"), missing.getMessage());
        ServerStartException cycle = assertThrows(ServerStartException.class,
                () -> PluginLifecycle.startOrder(List.of(plugin("a", "b"), plugin("b", "a"))), "cycle");
        assertTrue(cycle.getMessage().contains("cycle"), cycle.getMessage());
    }

    @Test
    void enabledByFlagByConfigSectionOrByDefault() throws Exception {
        DiscoveredPlugin byFlag = plugin("mqtt");
        DiscoveredPlugin bySection = new DiscoveredPlugin(new FakePlugin("websocket", Set.of(), false, "websocket"),
                "built-in");
        DiscoveredPlugin off = plugin("gateway");
        List<DiscoveredPlugin> enabled = PluginLifecycle.enabled(List.of(byFlag, bySection, off), Set.of("mqtt"),
                Set.of("websocket"));
        assertEquals(List.of(byFlag, bySection), enabled, "--enable and a config block switch plugins on");
        assertFalse(enabled.contains(off), "other plugins stay off");
    }

    @Test
    void unknownEnableIdListsAvailableIds() {
        ServerStartException e = assertThrows(ServerStartException.class,
                () -> PluginLifecycle.enabled(List.of(plugin("mqtt"), plugin("websocket")), Set.of("mqttt"), Set.of()),
                "an unknown id is refused");
        assertEquals("unknown plugin 'mqttt' (asked for by --enable); available: mqtt, websocket", e.getMessage(),
                "the message names the bad id and the available ones");
    }

    @Test
    void apiRangeAcceptsSameMajorAtOrAboveMinimumOnly() {
        ApiRange range = ApiRange.atLeast("1.0");
        assertTrue(range.accepts(new ApiVersion(1, 0)), "same version");
        assertTrue(range.accepts(new ApiVersion(1, 3)), "later minor adds only");
        assertFalse(range.accepts(new ApiVersion(2, 0)), "a new major version breaks plugins");
        assertFalse(ApiRange.atLeast("1.2").accepts(new ApiVersion(1, 1)), "older minor lacks what the plugin uses");
        assertThrows(IllegalArgumentException.class, () -> ApiVersion.parse("one.two"), "malformed version");
    }

    @Test
    void duplicateIdsAreRefusedNamingBothOrigins() {
        DiscoveredPlugin builtIn = plugin("mqtt");
        DiscoveredPlugin dropIn = new DiscoveredPlugin(new FakePlugin("mqtt", Set.of(), false, null),
                "drop-in (mqtt-fork.jar)");
        ServerStartException e = assertThrows(ServerStartException.class,
                () -> PluginLoader.checkDuplicates(List.of(builtIn, dropIn)), "two plugins with one id");
        assertTrue(e.getMessage().contains("'mqtt' is provided twice") && e.getMessage().contains("mqtt-fork.jar"),
                "the message names the id and the jar: " + e.getMessage());
    }

    @Test
    void pluginNeedingAnotherApiMajorIsRefused() {
        ServerPlugin future = new FakePlugin("future", Set.of(), false, null) {
            @Override
            public ApiRange requiredApi() {
                return ApiRange.atLeast("3.0");
            }
        };
        ServerStartException e = assertThrows(ServerStartException.class,
                () -> PluginLoader.checkApiVersions(List.of(new DiscoveredPlugin(future, "drop-in (future.jar)"))),
                "an incompatible API version is refused");
        assertTrue(e.getMessage().contains("future.jar") && e.getMessage().contains("needs plugin API [3.0, 4.0)")
                && e.getMessage().contains("offers " + ApiVersion.CURRENT), e.getMessage());
    }
}
