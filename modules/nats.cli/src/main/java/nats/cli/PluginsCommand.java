package nats.cli;

import java.util.List;

import nats.server.NatsServer;
import nats.server.PluginInfo;
import nats.server.options.ServerOptions;
import nats.server.options.ServerStartException;

/** {@code nats-server plugins}: lists every plugin found, its version, module, origin and whether enabled. */
final class PluginsCommand {

    private PluginsCommand() {
    }

    /** Lists the plugins with the options the parent command's flags give; returns the exit code. */
    static int run(ParsedFlags flags) {
        try {
            ServerOptions options = Main.buildOptions(flags);
            List<PluginInfo> plugins = NatsServer.listPlugins(options);
            System.out.println("Built-in modules:");
            System.out.printf("  %-24s %s%n", "MODULE", "VERSION");
            NatsServer.builtInModules().forEach((name, version) -> System.out.printf("  %-24s %s%n", name, version));
            System.out.println();
            System.out.println("Plugins:");
            System.out.printf("%-14s %-12s %-24s %-8s %s%n", "ID", "VERSION", "MODULE", "ENABLED", "ORIGIN");
            if (plugins.isEmpty()) {
                System.out.println("(none found)");
            }
            for (PluginInfo p : plugins) {
                System.out.printf("%-14s %-12s %-24s %-8s %s%n", p.id(), p.version(), p.module(),
                        p.enabled() ? "yes" : "no", p.origin());
            }
            return Main.EXIT_OK;
        } catch (ServerStartException e) {
            System.err.println("nats-server: " + e.getMessage());
            return Main.EXIT_FAILURE;
        }
    }
}
