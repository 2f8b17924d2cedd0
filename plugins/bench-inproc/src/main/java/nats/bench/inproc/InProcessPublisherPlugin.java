package nats.bench.inproc;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

import nats.api.ApiRange;
import nats.api.PluginException;
import nats.api.ServerContext;
import nats.api.ServerPlugin;
import nats.api.messaging.InternalConnection;
import nats.api.messaging.Message;
import nats.api.messaging.MessagePublisher;

/**
 * Publishes from inside the server for nats-bench's {@code inproc} scenario (issue 10 item 8: an in-process
 * publisher against network subscribers). A message on {@code $BENCH.inproc} whose payload is
 * {@code <subject> <count> <size>} makes the plugin publish {@code count} messages of {@code size} bytes on
 * {@code subject} with the byte-slice {@link MessagePublisher}, flushing the receivers once per 64 KiB of
 * messages, as a network publisher's reader does once per socket read. Requests are handled one after another,
 * in order, on the connection's dispatcher thread; the tool bounds how far it runs ahead of its subscribers.
 *
 * <p>For {@code inproc-sub} (network publisher, in-process subscriber) it also counts, with a direct handler on
 * the publisher's thread, every message published on {@code is.*}, and answers a request on
 * {@code $BENCH.inproc.count} with the count so far.
 */
public final class InProcessPublisherPlugin implements ServerPlugin {

    /** The subject the tool sends its publish orders to. */
    public static final String SUBJECT = "$BENCH.inproc";
    /** What the in-process subscriber receives, and where its count is asked for. */
    public static final String SINK = "is.*";
    public static final String COUNT = "$BENCH.inproc.count";
    private static final int BATCH_BYTES = 64 * 1024;
    /** Per-message overhead a network publisher's PUB line would add, for a comparable batch size. */
    private static final int FRAME_OVERHEAD = 24;

    private InternalConnection connection;
    private final LongAdder sunk = new LongAdder();

    @Override
    public String id() {
        return "bench-inproc";
    }

    @Override
    public ApiRange requiredApi() {
        return ApiRange.atLeast("2.0");
    }

    @Override
    public Optional<String> configSection() {
        return Optional.empty();
    }

    /** Dropping the jar into the plugins directory is how a benchmark run enables it. */
    @Override
    public boolean enabledByDefault() {
        return true;
    }

    @Override
    public void start(ServerContext context) throws PluginException {
        connection = context.connect("bench-inproc");
        MessagePublisher publisher = connection.publisher();
        connection.subscribe(SUBJECT, order -> {
            String[] parts = new String(order.payload(), StandardCharsets.US_ASCII).trim().split(" ");
            if (parts.length != 3) {
                context.logger().log(System.Logger.Level.WARNING, "ignoring order ''{0}''", String.join(" ", parts));
                return;
            }
            publish(publisher, parts[0].getBytes(StandardCharsets.US_ASCII), Long.parseLong(parts[1]),
                    Integer.parseInt(parts[2]));
        });
        connection.subscribeDirect(SINK, null, message -> {
            sunk.increment();
            return true;
        });
        connection.subscribe(COUNT, request -> {
            if (request.hasReplyTo()) {
                connection.publish(new Message(request.replyTo(), "", Message.NO_HEADERS,
                        Long.toString(sunk.sum()).getBytes(StandardCharsets.US_ASCII)));
            }
        });
        context.logger().log(System.Logger.Level.INFO, "publishing on orders sent to " + SUBJECT
                + ", counting messages on " + SINK);
    }

    private static void publish(MessagePublisher publisher, byte[] subject, long count, int size) {
        byte[] payload = new byte[size];
        int perBatch = Math.max(1, BATCH_BYTES / (size + subject.length + FRAME_OVERHEAD));
        int inBatch = 0;
        for (long i = 0; i < count; i++) {
            publisher.publish(subject, null, payload, 0, 0, size);
            if (++inBatch == perBatch) {
                publisher.flush();
                inBatch = 0;
            }
        }
        publisher.flush();
    }

    @Override
    public void stop() {
        if (connection != null) {
            connection.close();
        }
    }
}
