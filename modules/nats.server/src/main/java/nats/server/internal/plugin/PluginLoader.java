package nats.server.internal.plugin;

import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolutionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import nats.api.ApiVersion;
import nats.api.ServerPlugin;
import nats.server.options.ServerStartException;

/**
 * Finds plugins: those in the boot layer (built into the image) and those in jars dropped into the plugins
 * directory, which get one child {@link ModuleLayer} of their own. Anything wrong with a plugin (a
 * duplicate id, a jar that does not resolve, an API version the kernel does not offer) refuses the start
 * with a message naming the jar and the reason.
 */
public final class PluginLoader {

    private PluginLoader() {
    }

    public static List<DiscoveredPlugin> discover(Path pluginsDir) throws ServerStartException {
        List<DiscoveredPlugin> found = new ArrayList<>();
        for (ServerPlugin plugin : load(builtIns())) {
            found.add(new DiscoveredPlugin(plugin, DiscoveredPlugin.BUILT_IN));
        }
        if (pluginsDir != null && Files.isDirectory(pluginsDir)) {
            found.addAll(loadDropIns(pluginsDir));
        }
        checkDuplicates(found);
        checkApiVersions(found);
        return found;
    }

    /**
     * The built-in plugins: with nothing on the class path (the image), those of this module's layer alone. The
     * class-loader lookup finds the same providers and then also looks for class-path ones: it opens every
     * module's {@code META-INF/services} copy through {@code jrt:} (the image's index, inflating and parsing six
     * files), about 20 ms of a start.
     */
    private static ServiceLoader<ServerPlugin> builtIns() {
        ModuleLayer layer = PluginLoader.class.getModule().getLayer();
        if (layer != null && System.getProperty("java.class.path", "").isEmpty()) {
            return ServiceLoader.load(layer, ServerPlugin.class);
        }
        return ServiceLoader.load(ServerPlugin.class, PluginLoader.class.getClassLoader());
    }

    private static List<ServerPlugin> load(ServiceLoader<ServerPlugin> loader) throws ServerStartException {
        List<ServerPlugin> plugins = new ArrayList<>();
        try {
            for (ServiceLoader.Provider<ServerPlugin> provider : loader.stream().toList()) {
                plugins.add(provider.get());
            }
        } catch (ServiceConfigurationError e) {
            throw new ServerStartException("plugin could not be loaded: " + e.getMessage(), e);
        }
        return plugins;
    }

    private static List<DiscoveredPlugin> loadDropIns(Path dir) throws ServerStartException {
        List<Path> jars;
        try (Stream<Path> files = Files.list(dir)) {
            jars = files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new ServerStartException("cannot read plugins directory " + dir + ": " + e.getMessage(), e);
        }
        if (jars.isEmpty()) {
            return List.of();
        }
        ModuleLayer parent = PluginLoader.class.getModule().getLayer();
        if (parent == null) {
            throw new ServerStartException("drop-in plugins in " + dir
                    + " need the server to run on the module path (it runs on the class path)");
        }
        ModuleFinder finder = ModuleFinder.of(jars.toArray(Path[]::new));
        Map<String, Path> jarOfModule = new HashMap<>();
        Set<ModuleReference> refs;
        try {
            refs = finder.findAll();
        } catch (FindException e) {
            throw new ServerStartException("drop-in plugin jar in " + dir + " is not a valid module: "
                    + e.getMessage(), e);
        }
        for (ModuleReference ref : refs) {
            ref.location().ifPresent(uri -> jarOfModule.put(ref.descriptor().name(), Path.of(uri)));
            if (parent.findModule(ref.descriptor().name()).isPresent()) {
                throw new ServerStartException("drop-in plugin " + jarName(jarOfModule, ref.descriptor().name())
                        + " duplicates built-in module " + ref.descriptor().name());
            }
        }
        Set<String> roots = refs.stream().map(r -> r.descriptor().name()).collect(Collectors.toSet());
        ModuleLayer layer;
        try {
            Configuration cf = parent.configuration().resolveAndBind(finder, ModuleFinder.of(), roots);
            layer = parent.defineModulesWithOneLoader(cf, PluginLoader.class.getClassLoader());
        } catch (FindException | ResolutionException | LayerInstantiationException e) {
            throw new ServerStartException("drop-in plugins in " + dir + " do not resolve: " + e.getMessage(), e);
        }
        List<DiscoveredPlugin> result = new ArrayList<>();
        for (ServerPlugin plugin : load(ServiceLoader.load(layer, ServerPlugin.class))) {
            Module module = plugin.getClass().getModule();
            if (module.getLayer() == layer) {
                result.add(new DiscoveredPlugin(plugin, "drop-in (" + jarName(jarOfModule, module.getName()) + ")"));
            }
        }
        return result;
    }

    private static String jarName(Map<String, Path> jarOfModule, String module) {
        Path jar = jarOfModule.get(module);
        return jar == null ? module : jar.getFileName().toString();
    }

    static void checkDuplicates(List<DiscoveredPlugin> found) throws ServerStartException {
        Map<String, DiscoveredPlugin> byId = new HashMap<>();
        for (DiscoveredPlugin p : found) {
            DiscoveredPlugin earlier = byId.putIfAbsent(p.plugin().id(), p);
            if (earlier != null) {
                throw new ServerStartException("plugin id '" + p.plugin().id() + "' is provided twice: by "
                        + earlier.moduleName() + " " + earlier.origin() + " and by " + p.moduleName() + " "
                        + p.origin());
            }
        }
    }

    static void checkApiVersions(List<DiscoveredPlugin> found) throws ServerStartException {
        for (DiscoveredPlugin p : found) {
            if (!p.plugin().requiredApi().accepts(ApiVersion.CURRENT)) {
                throw new ServerStartException("plugin '" + p.plugin().id() + "' " + p.origin() + " needs plugin API "
                        + p.plugin().requiredApi() + " but this server offers " + ApiVersion.CURRENT);
            }
        }
    }
}
