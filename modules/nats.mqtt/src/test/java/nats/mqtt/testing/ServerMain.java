package nats.mqtt.testing;

import java.nio.file.Path;

import nats.server.ConfigFiles;
import nats.server.NatsServer;
import nats.server.options.ServerOptions;

/** Runs this server (JetStream and MQTT from the test class path) in a child JVM on a config file, to be killed. */
public final class ServerMain {

    private ServerMain() {
    }

    public static void main(String[] args) throws Exception {
        ServerOptions options = new ServerOptions();
        ConfigFiles.load(Path.of(args[0]), options, true);
        NatsServer server = NatsServer.start(options);
        server.awaitShutdown();
    }
}
