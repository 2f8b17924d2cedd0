package nats.mqtt.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import nats.server.ConfigFiles;
import nats.server.NatsServer;
import nats.server.options.ServerOptions;
import nats.testing.Ports;

/**
 * This server with JetStream and MQTT, in-process on random loopback ports, its store under a test directory;
 * started from a config file as an operator would. The template may use {@code %store} (the store directory)
 * and {@code %mqtt} (the MQTT port); without an {@code mqtt} block one is added.
 */
public final class MqttTestServer implements AutoCloseable {

    private final NatsServer server;
    private final Path storeDir;
    private final int mqttPort;
    private final Path dir;
    private final String template;
    private int webSocketPort;

    private MqttTestServer(NatsServer server, Path dir, Path storeDir, int mqttPort, String template) {
        this.server = server;
        this.dir = dir;
        this.storeDir = storeDir;
        this.mqttPort = mqttPort;
        this.template = template;
    }

    /** A named server with JetStream and an MQTT listener. */
    public static MqttTestServer start(Path dir) throws Exception {
        return start(dir, "");
    }

    /** The default configuration plus {@code extra} (which may hold its own {@code mqtt} block). */
    public static MqttTestServer start(Path dir, String extra) throws Exception {
        String template = "server_name: mqtt-test\njetstream { store_dir: \"%store\" }\n" + extra
                + (extra.contains("mqtt {") || extra.contains("mqtt:") ? "" : "\nmqtt { port: %mqtt }\n");
        // A free port may be taken by someone else before the server binds it: try a few.
        Exception last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                return startTemplate(dir, template, Ports.free());
            } catch (nats.server.options.ServerStartException e) {
                if (!String.valueOf(e.getMessage()).contains("Address already in use")) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    /** Exactly the template, with the given MQTT port. */
    public static MqttTestServer startTemplate(Path dir, String template, int mqttPort) throws Exception {
        Path store = dir.resolve("store");
        Path conf = Files.writeString(dir.resolve("server-" + System.nanoTime() + ".conf"),
                template.replace("%store", store.toString()).replace("%mqtt", Integer.toString(mqttPort)));
        ServerOptions options = new ServerOptions().host("127.0.0.1").port(0);
        List<String> warnings = ConfigFiles.load(conf, options, false);
        if (!warnings.isEmpty()) {
            throw new IOException("config warnings: " + warnings);
        }
        options.host("127.0.0.1").port(0);
        return new MqttTestServer(NatsServer.start(options), dir, store, mqttPort, template);
    }

    /** Stops this server and starts a new one on the same store and MQTT port. */
    public MqttTestServer restart() throws Exception {
        server.close();
        return startTemplate(dir, template, mqttPort);
    }

    /** Records the websocket port the caller configured. */
    public MqttTestServer withWebSocketPort(int port) {
        webSocketPort = port;
        return this;
    }

    public int webSocketPort() {
        return webSocketPort;
    }

    public int mqttPort() {
        return mqttPort;
    }

    public String mqttUrl() {
        return "tcp://127.0.0.1:" + mqttPort;
    }

    public int port() {
        return server.port();
    }

    public String natsUrl() {
        return "nats://127.0.0.1:" + port();
    }

    public Path storeDir() {
        return storeDir;
    }

    public NatsServer server() {
        return server;
    }

    public Connection nats() throws IOException, InterruptedException {
        return Nats.connect(new Options.Builder().server(natsUrl()).connectionTimeout(Duration.ofSeconds(5))
                .maxReconnects(0).errorListener(new io.nats.client.ErrorListener() {
                }).build());
    }

    @Override
    public void close() {
        server.close();
    }
}
