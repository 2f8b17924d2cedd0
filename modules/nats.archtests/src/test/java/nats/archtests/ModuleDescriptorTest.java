package nats.archtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Requires;
import java.lang.module.ModuleFinder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks each module's compiled descriptor against DESIGN.md section 1. ArchUnit sees classes, not
 * {@code module-info}: a {@code requires nats.server} that no class uses yet, or an exported internal
 * package, only shows here.
 */
class ModuleDescriptorTest {

    static final List<String> EXISTING_MODULES = ProductionClassesTest.EXISTING_MODULES;
    static final Set<String> CORE_MODULES = Set.of("nats.api", "nats.transport", "nats.server", "nats.cli", "nats.bench");
    static final List<String> EXISTING_PLUGINS = List.of("nats.example.echo", "nats.jetstream", "nats.websocket",
            "nats.mqtt", "nats.cluster", "nats.leafnode");
    static final List<String> FUTURE_PLUGINS = List.of("nats.gateway");

    /** Libraries the plugins may require: they are not plugins themselves and read java.base only. */
    static final List<String> LIBRARIES = List.of("nats.raft");

    /** The JetStream storage SPI, and its backends: JetStream's plugins, found with ServiceLoader, not ServerPlugins. */
    static final String STORE_SPI = "nats.jetstream.store";
    static final List<String> STORE_BACKENDS = List.of("nats.jetstream.store.memory", "nats.jetstream.store.file");
    static final String STORE_PROVIDER = "nats.jetstream.store.StoreProvider";

    /**
     * What a plugin may require from the project, besides JDK modules (DESIGN.md 1): the JetStream storage SPI
     * too, which is JetStream's own small module (DESIGN.md 2, storage backends).
     */
    static final Set<String> PLUGIN_MAY_REQUIRE = Set.of("nats.api", "nats.transport", "nats.raft", STORE_SPI);

    /**
     * Modules of the third-party libraries that the root pom's enforcer admits at run time (netty-buffer,
     * BouncyCastle, snappy-java). DESIGN.md places netty-buffer in transport and bcrypt in the kernel, so
     * modules other than nats.api may require them; picocli is admitted for the launchers only.
     */
    static final List<String> LIBRARY_MODULE_PREFIXES =
            List.of("io.netty.buffer", "io.netty.common", "org.bouncycastle.", "org.xerial.snappy");

    // --- which modules are there -------------------------------------------------------------------------

    @Test
    void eachModuleIsOnTheClassPathOnce() {
        Map<String, List<String>> locations = ModuleArtifact.onClassPath().stream().collect(Collectors.groupingBy(
                ModuleArtifact::name, Collectors.mapping(artifact -> artifact.location().toString(), Collectors.toList())));
        locations.forEach((name, where) -> assertEquals(1, where.size(),
                () -> "expected one class path entry for module " + name + ", found " + where));
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("EXISTING_MODULES")
    void existingModuleIsFound(String name) {
        assertTrue(Found.MODULES.containsKey(name),
                () -> "expected module " + name + " (its jar or target/classes) on the test class path; found "
                        + Found.MODULES.keySet());
    }

    // --- rules for every module --------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("foundModules")
    void hasAVersion(String name) {
        assertTrue(descriptor(name).rawVersion().isPresent(),
                () -> "expected module " + name + " to record its version (javac --module-version)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("foundModules")
    void exportsNoInternalPackage(String name) {
        List<String> internal = descriptor(name).exports().stream().map(ModuleDescriptor.Exports::source)
                .filter(ModuleDescriptorTest::isInternal).sorted().toList();
        assertTrue(internal.isEmpty(), () -> "expected module " + name + " to export no internal package, exports " + internal);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("foundModules")
    void serviceFileMatchesProvides(String name) {
        ModuleArtifact artifact = Found.MODULES.get(name);
        // Services are declared in module-info (STYLE.md); a class-path services file may exist, but in step.
        artifact.serverPluginServices().ifPresent(entries -> assertEquals(
                new TreeSet<>(providers(artifact.descriptor())), new TreeSet<>(entries),
                () -> "expected META-INF/services/" + ModuleArtifact.SERVER_PLUGIN + " of " + name
                        + " to list exactly the 'provides " + ModuleArtifact.SERVER_PLUGIN + " with' classes of its descriptor"));
        artifact.serverPluginServices().ifPresent(entries -> assertEquals(new LinkedHashSet<>(entries).size(), entries.size(),
                () -> "expected no duplicate entry in the services file of " + name + ": " + entries));
    }

    // --- the core modules --------------------------------------------------------------------------------

    @Test
    void apiRequiresOnlyJavaBase() {
        Set<Requires> requires = descriptor("nats.api").requires();
        assertEquals(Set.of("java.base"), names(requires),
                "expected nats.api to require java.base only (the SPI must load with nothing else)");
        assertTrue(requires.iterator().next().modifiers().contains(Requires.Modifier.MANDATED),
                "expected nats.api's requires java.base to be the implicit (mandated) one");
    }

    @Test
    void apiExportsItsPackage() {
        Set<String> exported = descriptor("nats.api").exports().stream().map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet());
        assertTrue(exported.contains("nats.api"), () -> "expected nats.api to export package nats.api, exports " + exported);
    }

    @Test
    void transportRequiresOnlyApi() {
        ModuleDescriptor transport = descriptor("nats.transport");
        assertTrue(names(transport.requires()).contains("nats.api"), "expected nats.transport to require nats.api");
        assertRequiresOnly(transport, Set.of("nats.api"), false);
    }

    @Test
    void serverRequiresOnlyApiTransportAndJdk() {
        ModuleDescriptor server = descriptor("nats.server");
        assertTrue(names(server.requires()).containsAll(Set.of("nats.api", "nats.transport")),
                () -> "expected nats.server to require nats.api and nats.transport, requires " + names(server.requires()));
        assertRequiresOnly(server, Set.of("nats.api", "nats.transport"), true);
    }

    @Test
    void serverDiscoversPlugins() {
        Set<String> uses = descriptor("nats.server").uses();
        assertTrue(uses.contains(ModuleArtifact.SERVER_PLUGIN),
                () -> "expected nats.server to declare 'uses " + ModuleArtifact.SERVER_PLUGIN + "', uses " + uses);
    }

    @Test
    void cliRequiresTheServerAndNoPlugin() {
        ModuleDescriptor cli = descriptor("nats.cli");
        assertTrue(names(cli.requires()).contains("nats.server"), "expected nats.cli (the launcher) to require nats.server");
        // The storage SPI is a service interface, not a plugin: `store verify` finds the file backend through it.
        List<String> plugins = names(cli.requires()).stream().filter(ModuleDescriptorTest::isPluginName)
                .filter(name -> !name.equals(STORE_SPI)).toList();
        assertTrue(plugins.isEmpty(), () -> "expected nats.cli to find plugins at run time, not require " + plugins);
        assertTrue(names(cli.requires()).stream().noneMatch(STORE_BACKENDS::contains),
                "expected nats.cli to find the storage backends with ServiceLoader, not require one");
    }

    @Test
    void benchIsStandalone() {
        // nats-bench measures servers from the outside: it must not link any server code. Its storage scenario
        // drives the storage SPI (a library of its own, found with ServiceLoader), nothing else of the project.
        List<String> project = names(descriptor("nats.bench").requires()).stream()
                .filter(name -> name.startsWith("nats.") && !name.equals(STORE_SPI)).sorted().toList();
        assertTrue(project.isEmpty(), () -> "expected nats.bench to require no project module but the storage SPI,"
                + " requires " + project);
    }

    // --- the JetStream storage modules ----------------------------------------------------------------------

    @Test
    void storeSpiRequiresOnlyJavaBaseAndFindsProviders() {
        ModuleDescriptor spi = descriptor(STORE_SPI);
        assertEquals(Set.of("java.base"), names(spi.requires()),
                "expected the storage SPI to require java.base only");
        assertTrue(spi.exports().stream().anyMatch(e -> e.source().equals(STORE_SPI) && !e.isQualified()),
                "expected the storage SPI to export its package to everyone");
        assertTrue(spi.uses().contains(STORE_PROVIDER), () -> "expected the SPI to declare 'uses " + STORE_PROVIDER
                + "', uses " + spi.uses());
        spi.exports().stream().filter(e -> !e.source().equals(STORE_SPI)).forEach(e -> assertEquals(
                new TreeSet<>(STORE_BACKENDS), new TreeSet<>(e.targets()),
                () -> "expected the SPI's shared package " + e.source() + " exported to the backends alone"));
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("STORE_BACKENDS")
    void storeBackendReadsOnlyTheSpiAndProvidesAStoreProvider(String name) {
        ModuleDescriptor backend = descriptor(name);
        assertTrue(names(backend.requires()).contains(STORE_SPI), () -> "expected " + name + " to require " + STORE_SPI);
        List<String> refused = names(backend.requires()).stream()
                .filter(r -> !r.equals("java.base") && !r.equals(STORE_SPI) && !r.startsWith("org.xerial.snappy"))
                .sorted().toList();
        assertTrue(refused.isEmpty(), () -> "expected " + name + " to require only java.base, " + STORE_SPI
                + " (and snappy-java), never the server; it also requires " + refused);
        List<String> providers = backend.provides().stream().filter(p -> p.service().equals(STORE_PROVIDER))
                .flatMap(p -> p.providers().stream()).toList();
        assertFalse(providers.isEmpty(), () -> "expected " + name + " to declare 'provides " + STORE_PROVIDER + " with ...'");
    }

    // --- libraries -------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @FieldSource("LIBRARIES")
    void libraryRequiresOnlyJavaBaseAndExportsOnlyItsRootPackage(String name) {
        ModuleDescriptor library = descriptor(name);
        assertEquals(Set.of("java.base"), names(library.requires()),
                () -> "expected library " + name + " to require java.base only, requires " + names(library.requires()));
        Set<String> exported = library.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        assertEquals(Set.of(name), exported, () -> "expected library " + name + " to export its root package only");
        assertTrue(providers(library).isEmpty(), () -> "expected library " + name + " to provide no ServerPlugin");
    }

    // --- plugins -----------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("pluginModules")
    void pluginRequiresApiButNeverTheKernel(String name) {
        ModuleDescriptor plugin = descriptor(name);
        assertTrue(names(plugin.requires()).contains("nats.api"), () -> "expected plugin " + name + " to require nats.api");
        assertRequiresOnly(plugin, PLUGIN_MAY_REQUIRE, true);
    }

    @Test
    void websocketReadsOnlyTheApiAndTransport() {
        // A protocol listener: no replication, so not even nats.raft (issue 15).
        assertRequiresOnly(descriptor("nats.websocket"), Set.of("nats.api", "nats.transport"), true);
    }

    @Test
    void mqttReadsOnlyTheApiAndTransport() {
        // A protocol listener: JetStream is reached through its API over in-process clients, not its classes.
        assertRequiresOnly(descriptor("nats.mqtt"), Set.of("nats.api", "nats.transport"), true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pluginModules")
    void pluginProvidesServerPlugin(String name) {
        List<String> providers = providers(descriptor(name));
        assertFalse(providers.isEmpty(),
                () -> "expected plugin " + name + " to declare 'provides " + ModuleArtifact.SERVER_PLUGIN + " with ...'");
    }

    // --- helpers -----------------------------------------------------------------------------------------

    static Stream<String> foundModules() {
        return Found.MODULES.keySet().stream().sorted();
    }

    /**
     * The known plugins, built or not, and any other nats.* module found that is not a core module (the
     * storage modules have rules of their own).
     */
    static Stream<String> pluginModules() {
        Set<String> plugins = new TreeSet<>(EXISTING_PLUGINS);
        plugins.addAll(FUTURE_PLUGINS);
        Found.MODULES.keySet().stream().filter(name -> !CORE_MODULES.contains(name))
                .filter(name -> !name.equals(STORE_SPI) && !STORE_BACKENDS.contains(name))
                .filter(name -> !LIBRARIES.contains(name)).forEach(plugins::add);
        return plugins.stream();
    }

    /**
     * The descriptor of {@code name}. An existing module must be found; a future plugin that is not built
     * (or not yet a dependency of this module) skips the test instead.
     */
    private static ModuleDescriptor descriptor(String name) {
        ModuleArtifact artifact = Found.MODULES.get(name);
        if (artifact == null) {
            Assumptions.assumeFalse(FUTURE_PLUGINS.contains(name),
                    () -> "future plugin " + name + " is not on the class path yet");
            fail("expected module " + name + " on the test class path; found " + Found.MODULES.keySet());
        }
        return artifact.descriptor();
    }

    /**
     * Fails unless every {@code requires} is one of {@code project}, java.base, (if {@code jdk}) another JDK
     * module, or a module of an admitted library.
     */
    private static void assertRequiresOnly(ModuleDescriptor module, Set<String> project, boolean jdk) {
        List<String> refused = names(module.requires()).stream()
                .filter(name -> !project.contains(name) && !name.equals("java.base"))
                .filter(name -> name.startsWith("nats.") || !((jdk && isJdkModule(name)) || isAdmittedLibrary(name)))
                .sorted().toList();
        assertTrue(refused.isEmpty(), () -> "expected module " + module.name() + " to require only " + new TreeSet<>(project)
                + (jdk ? ", JDK modules" : ", java.base") + " and admitted libraries " + LIBRARY_MODULE_PREFIXES
                + "; it also requires " + refused);
    }

    private static List<String> providers(ModuleDescriptor module) {
        return module.provides().stream().filter(provides -> provides.service().equals(ModuleArtifact.SERVER_PLUGIN))
                .flatMap(provides -> provides.providers().stream()).toList();
    }

    private static Set<String> names(Set<Requires> requires) {
        return requires.stream().map(Requires::name).collect(Collectors.toSet());
    }

    private static boolean isInternal(String packageName) {
        return Arrays.asList(packageName.split("\\.")).contains("internal");
    }

    private static boolean isJdkModule(String name) {
        return (name.startsWith("java.") || name.startsWith("jdk.")) && ModuleFinder.ofSystem().find(name).isPresent();
    }

    private static boolean isAdmittedLibrary(String name) {
        return LIBRARY_MODULE_PREFIXES.stream().anyMatch(name::startsWith);
    }

    private static boolean isPluginName(String name) {
        return Layout.PLUGIN_NAMES.stream().anyMatch(plugin -> name.startsWith("nats." + plugin));
    }

    /** The project modules on the class path, read once. */
    private static final class Found {
        static final Map<String, ModuleArtifact> MODULES = ModuleArtifact.onClassPath().stream()
                .collect(Collectors.toMap(ModuleArtifact::name, artifact -> artifact, (first, second) -> first,
                        LinkedHashMap::new));
    }
}
