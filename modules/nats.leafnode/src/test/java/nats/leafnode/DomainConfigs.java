package nats.leafnode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Config text of the JetStream-domain tests: a server's {@code jetstream} block with its domain and own store, and
 * the plain Go hub and Go leaf around it (client and monitoring ports, the hub's leaf listener or the leaf's remote).
 */
final class DomainConfigs {

    private DomainConfigs() {
    }

    /** A {@code jetstream} block for {@code domain}, stored in {@code dir/name}. */
    static String jetStream(Path dir, String domain, String name) throws IOException {
        Path store = Files.createDirectories(dir.resolve(name));
        return "jetstream { domain: " + domain + ", store_dir: \"" + store + "\" }\n";
    }

    /** A Go hub on client port {@code port} listening for leaf nodes on {@code leafPort}. */
    static String goHub(int port, int httpPort, String jetStream, int leafPort) {
        return "listen: 127.0.0.1:" + port + "\nhttp: 127.0.0.1:" + httpPort + "\n" + jetStream
                + "leafnodes { listen: 127.0.0.1:" + leafPort + " }\n";
    }

    /** A Go leaf on client port {@code port} connecting to the hub's leaf URL {@code hubLeafUrl}. */
    static String goLeaf(int port, int httpPort, String jetStream, String hubLeafUrl) {
        return "listen: 127.0.0.1:" + port + "\nhttp: 127.0.0.1:" + httpPort + "\n" + jetStream
                + "leafnodes { remotes: [{url: \"" + hubLeafUrl + "\"}] }\n";
    }
}
