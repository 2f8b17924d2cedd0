package nats.jetstream.cluster;

import java.nio.file.Path;

import nats.server.ConfigFiles;
import nats.server.NatsServer;
import nats.server.options.ServerOptions;

/** Runs one of our servers (with JetStream and routes, from the test class path) in a child JVM on a config file. */
public final class ServerMain {

    private ServerMain() {
    }

    public static void main(String[] args) throws Exception {
        ServerOptions options = new ServerOptions();
        ConfigFiles.load(Path.of(args[0]), options, true);
        NatsServer server = NatsServer.start(options);
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown));
        server.awaitShutdown();
    }
}
