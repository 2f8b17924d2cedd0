package nats.example.raft;

import java.nio.file.Path;
import nats.server.ConfigFiles;
import nats.server.NatsServer;
import nats.server.options.ServerOptions;

/** One server (kernel, cluster plugin, this plugin, from the test class path) in a child JVM, on a config file. */
public final class ProbeServerMain {

    private ProbeServerMain() {
    }

    public static void main(String[] args) throws Exception {
        ServerOptions options = new ServerOptions();
        ConfigFiles.load(Path.of(args[0]), options, true);
        NatsServer server = NatsServer.start(options);
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown));
        server.awaitShutdown();
    }
}
