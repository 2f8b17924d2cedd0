package nats.server.internal.monitor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code /dashboard}: one self-contained HTML page (inline script, style and SVG charts) that polls this
 * monitoring port's own JSON endpoints, by relative URLs so it works under {@code http_base_path}, and draws
 * connections, message and byte rates, subscriptions, slow consumers, CPU, per-account rates and, when the
 * server has them, JetStream, routes, gateways and leaf nodes. It fetches nothing from anywhere else.
 */
final class Dashboard {

    static final String PATH = "/dashboard";

    private static volatile String page;

    private Dashboard() {
    }

    /** The page, read once from the module's resources. */
    static String page() {
        String p = page;
        if (p == null) {
            try (InputStream in = Dashboard.class.getResourceAsStream("dashboard.html")) {
                if (in == null) {
                    throw new IllegalStateException("dashboard.html is missing from the nats.server module");
                }
                p = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            page = p;
        }
        return p;
    }
}
