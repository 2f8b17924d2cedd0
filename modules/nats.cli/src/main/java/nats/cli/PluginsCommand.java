package nats.cli;

import java.util.List;
import java.util.concurrent.Callable;

import nats.server.NatsServer;
import nats.server.PluginInfo;
import nats.server.options.ServerOptions;
import nats.server.options.ServerStartException;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code nats-server plugins}: lists every plugin found, its version, module, origin and whether enabled. */
@Command(name = "plugins", description = "List built-in and drop-in plugins")
final class PluginsCommand implements Callable<Integer> {

    @ParentCommand
    Main parent;

    @Override
    public Integer call() {
        try {
            ServerOptions options = parent.buildOptions();
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
