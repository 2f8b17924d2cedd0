package nats.jetstream.testing;

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

/**
 * This server with JetStream, in-process on a random loopback port, its store under a test directory; started
 * from a config file so that tests exercise the same path as operators ({@code %s} is the store directory).
 */
public final class JsServer implements AutoCloseable {

    private final NatsServer server;
    private final Path storeDir;

    private JsServer(NatsServer server, Path storeDir) {
        this.server = server;
        this.storeDir = storeDir;
    }

    /** JetStream with the store in {@code dir}, nothing else configured. */
    public static JsServer start(Path dir) throws Exception {
        return start(dir, "jetstream { store_dir: \"%s\" }\n");
    }

    /** A server from a config template; {@code %s} is replaced by the store directory. */
    public static JsServer start(Path dir, String template) throws Exception {
        Path store = dir.resolve("store");
        Path conf = Files.writeString(dir.resolve("server-" + System.nanoTime() + ".conf"),
                template.replace("%s", store.toString()));
        ServerOptions options = new ServerOptions().host("127.0.0.1").port(0);
        List<String> warnings = ConfigFiles.load(conf, options, false);
        if (!warnings.isEmpty()) {
            throw new IOException("config warnings: " + warnings);
        }
        options.host("127.0.0.1").port(0);
        return new JsServer(NatsServer.start(options), store);
    }

    public int port() {
        return server.port();
    }

    public String url() {
        return "nats://127.0.0.1:" + port();
    }

    public Path storeDir() {
        return storeDir;
    }

    public Connection connect() throws IOException, InterruptedException {
        return Nats.connect(new Options.Builder().server(url()).connectionTimeout(Duration.ofSeconds(5))
                .maxReconnects(0).errorListener(new io.nats.client.ErrorListener() {
                }).build());
    }

    /**
     * A connection that reads subjects as UTF-8: without {@code supportUTF8Subjects} jnats widens each protocol-line
     * byte to a char, so a non-ASCII subject arrives as U+FFxx chars from any server, Go's included.
     */
    public Connection connectUtf8Subjects() throws IOException, InterruptedException {
        return Nats.connect(new Options.Builder().server(url()).connectionTimeout(Duration.ofSeconds(5))
                .maxReconnects(0).supportUTF8Subjects().errorListener(new io.nats.client.ErrorListener() {
                }).build());
    }

    public NatsServer server() {
        return server;
    }

    @Override
    public void close() {
        server.close();
    }
}
