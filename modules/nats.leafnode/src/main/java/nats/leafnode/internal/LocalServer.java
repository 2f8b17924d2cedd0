package nats.leafnode.internal;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import nats.api.accounts.PluginAccount;
import nats.api.messaging.InternalConnection;
import nats.api.messaging.Message;
import nats.api.messaging.Subscription;
import nats.transport.json.Json;

/**
 * What the leaf handshake needs to know of this server that other plugins own: whether it runs JetStream and in
 * which domain (Go's {@code opts.JetStream} and {@code opts.JetStreamDomain}: the {@code jetstream}/{@code domain}
 * fields of the leaf INFO and CONNECT, and the denies of addLeafNodeConnection), and its cluster's name (Go's
 * {@code cluster} of the leaf INFO and CONNECT). Plugins see no other plugin's settings, so this asks the server the
 * way any system client may: its own {@code $SYS.REQ.SERVER.<id>.VARZ}, whose {@code jetstream} section has a
 * {@code config} (with {@code domain}) only when JetStream runs, and whose {@code cluster} section a {@code name}. The answer is kept; a lookup that
 * gets none within 3 s is tried again next time. The plugin starts after JetStream's, so the answer is final.
 */
final class LocalServer {

    /** What was learned: JetStream on or off, its domain, the cluster's name (empty for none). */
    record State(boolean enabled, String domain, String cluster) {
        static final State NONE = new State(false, "", "");
    }

    private static final long WAIT_MILLIS = 3000;
    private static final long RETRY_MILLIS = 50;

    private final LeafNodes nodes;
    private volatile State known;

    LocalServer(LeafNodes nodes) {
        this.nodes = nodes;
    }

    /** The local JetStream state; {@link State#NONE} while the server cannot tell (that lookup is retried). */
    State get() {
        State s = known;
        if (s != null) {
            return s;
        }
        synchronized (this) {
            if (known == null) {
                lookUp().ifPresent(found -> known = found);
            }
            return known == null ? State.NONE : known;
        }
    }

    private Optional<State> lookUp() {
        Optional<PluginAccount> system = nodes.accounts().system();
        if (system.isEmpty()) {
            return Optional.of(State.NONE);
        }
        InternalConnection conn = system.get().connect("leafnode-jetstream-lookup");
        try {
            CompletableFuture<Message> answer = new CompletableFuture<>();
            String inbox = "_INBOX.leaf." + UUID.randomUUID().toString().replace("-", "");
            Subscription sub = conn.subscribe(inbox, answer::complete);
            try {
                // The system services start after the plugins: a remote dialled at start may ask before they
                // listen, so the request is repeated until answered.
                Message request = new Message("$SYS.REQ.SERVER." + nodes.identity().serverId() + ".VARZ", inbox,
                        Message.NO_HEADERS, new byte[0]);
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
                while (true) {
                    conn.publish(request);
                    try {
                        return Optional.of(parse(answer.get(RETRY_MILLIS, TimeUnit.MILLISECONDS).payload()));
                    } catch (TimeoutException e) {
                        if (System.nanoTime() > deadline) {
                            throw e;
                        }
                    }
                }
            } finally {
                sub.unsubscribe();
            }
        } catch (TimeoutException | ExecutionException | Json.JsonException e) {
            nodes.log().log(System.Logger.Level.DEBUG, "JetStream state not known yet: {0}", e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            conn.close();
        }
    }

    /**
     * Reads {@code data.jetstream.config.domain} (no {@code config}: JetStream is off) and {@code data.cluster.name}
     * of a VARZ answer.
     */
    static State parse(byte[] payload) throws Json.JsonException {
        Map<String, Object> doc = Json.parseObject(new String(payload, StandardCharsets.UTF_8));
        if (!(doc.get("data") instanceof Map<?, ?> data)) {
            throw new Json.JsonException("VARZ answer without data: " + doc.get("error"));
        }
        String cluster = data.get("cluster") instanceof Map<?, ?> c && c.get("name") instanceof String name ? name : "";
        if (data.get("jetstream") instanceof Map<?, ?> js && js.get("config") instanceof Map<?, ?> config) {
            Object domain = config.get("domain");
            return new State(true, domain == null ? "" : String.valueOf(domain), cluster);
        }
        return new State(false, "", cluster);
    }
}
