package nats.jetstream.internal.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import nats.api.messaging.InternalConnection;
import nats.api.messaging.Message;
import nats.api.messaging.Subscription;
import nats.jetstream.internal.engine.JetStream;
import nats.jetstream.internal.engine.JsAccount;
import nats.jetstream.internal.engine.Nuid;
import nats.jetstream.internal.engine.Stream;
import nats.jetstream.internal.engine.SubjectRules;
import nats.jetstream.internal.model.ApiError;
import nats.jetstream.internal.model.ApiException;
import nats.jetstream.internal.model.JsErrors;
import nats.jetstream.internal.model.JsonIn;
import nats.jetstream.internal.model.StreamSettings;
import nats.transport.json.GoJson;

/**
 * {@code STREAM.SNAPSHOT} and {@code STREAM.RESTORE} with Go's chunk flow: snapshot chunks go to the client's
 * deliver subject with an ack reply and at most 8 MiB unacknowledged, an empty message ends them; a restore
 * takes chunks on {@code $JS.SNAPSHOT.RESTORE.<stream>.<id>}, acks each, and answers the final empty one with
 * the restored stream's info. The bytes are the store's own snapshot format.
 */
final class SnapshotRequests {

    private static final int DEFAULT_CHUNK = 128 * 1024;
    private static final long WINDOW = 8L * 1024 * 1024;

    private final JetStream js;

    SnapshotRequests(JetStream js) {
        this.js = js;
    }

    void snapshot(ApiRequest req) {
        req.type("stream_snapshot_response");
        if (req.isEmptyBody()) {
            throw new ApiException(JsErrors.BAD_REQUEST); // Go checks this before it looks the stream up
        }
        Stream stream = StreamRequests.stream(req.account, req.token(4));
        JsonIn in = new JsonIn(req.json(), "JSApiStreamSnapshotRequest");
        String deliver = in.string("deliver_subject");
        boolean noConsumers = in.bool("no_consumers");
        int chunk = (int) in.goInt("chunk_size");
        if (!SubjectRules.isValidSubject(deliver)) {
            throw new ApiException(JsErrors.SNAPSHOT_DELIVER_SUBJECT_INVALID);
        }
        InputStream data = stream.store().snapshot(!noConsumers);
        var state = stream.store().fastState();
        req.response.put("config", stream.config().toJson());
        req.response.put("state", InfoJson.streamState(stream, state, null, false));
        int chunkSize = chunk > 0 ? chunk : DEFAULT_CHUNK;
        JsAccount account = req.account;
        Thread.ofVirtual().name("jetstream-snapshot-" + stream.name()).start(() -> send(account, stream, data, deliver,
                chunkSize));
    }

    private void send(JsAccount account, Stream stream, InputStream data, String deliver, int chunkSize) {
        InternalConnection conn = account.connection();
        AtomicLong outstanding = new AtomicLong();
        Semaphore acked = new Semaphore(0);
        String ackSubject = "$JS.SNAPSHOT.ACK." + stream.name() + "." + Nuid.next();
        Subscription acks = conn.subscribe(ackSubject + ".>", m -> {
            String[] t = m.subject().split("\\.");
            try {
                outstanding.addAndGet(-Long.parseLong(t[5]));
            } catch (RuntimeException e) {
                return;
            }
            acked.release();
        });
        try (data) {
            byte[] buffer = new byte[chunkSize];
            for (int index = 1; ; index++) {
                int n = data.readNBytes(buffer, 0, chunkSize);
                if (n <= 0) {
                    break;
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (outstanding.get() > WINDOW && System.nanoTime() < deadline) {
                    acked.tryAcquire(10, TimeUnit.MILLISECONDS);
                }
                byte[] piece = java.util.Arrays.copyOf(buffer, n);
                conn.publish(new Message(deliver, ackSubject + "." + n + "." + index, Message.NO_HEADERS, piece));
                outstanding.addAndGet(n);
            }
        } catch (IOException | InterruptedException e) {
            js.log().log(System.Logger.Level.WARNING, "Snapshot of stream ''{0} > {1}'' failed: {2}", account.name(),
                    stream.name(), e.toString());
        } finally {
            conn.publish(new Message(deliver, "", Message.NO_HEADERS, new byte[0]));
            acks.unsubscribe();
        }
    }

    @SuppressWarnings("unchecked")
    void restore(ApiRequest req) {
        req.type("stream_restore_response");
        if (req.isEmptyBody()) {
            throw new ApiException(JsErrors.BAD_REQUEST);
        }
        Map<String, Object> body = req.json();
        Object config = body.get("config");
        StreamSettings cfg = StreamSettings.parse(config instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of());
        String name = req.token(4);
        if (!name.equals(cfg.name) && cfg.name.isEmpty()) {
            cfg.name = name;
        }
        if (req.account.stream(cfg.name).isPresent()) {
            throw new ApiException(JsErrors.STREAM_NAME_EXIST_RESTORE_FAILED);
        }
        Path staging;
        try {
            Path dir = js.options().storeRoot().resolve("_snapshots");
            Files.createDirectories(dir);
            staging = Files.createTempFile(dir, "js-restore-", "");
        } catch (IOException e) {
            throw new ApiException(JsErrors.TEMP_STORAGE_FAILED);
        }
        String deliver = "$JS.SNAPSHOT.RESTORE." + cfg.name + "." + Nuid.next();
        req.response.put("deliver_subject", deliver);
        new Restore(req.account, cfg, staging).listen(deliver);
    }

    /** One restore in progress: chunks are staged in a file until the empty one arrives. */
    private final class Restore {
        private final JsAccount account;
        private final StreamSettings cfg;
        private final Path staging;
        private final OutputStream out;
        private Subscription subscription;

        Restore(JsAccount account, StreamSettings cfg, Path staging) {
            this.account = account;
            this.cfg = cfg;
            this.staging = staging;
            try {
                this.out = Files.newOutputStream(staging);
            } catch (IOException e) {
                throw new ApiException(JsErrors.TEMP_STORAGE_FAILED);
            }
        }

        void listen(String deliver) {
            subscription = account.connection().subscribe(deliver, this::chunk);
        }

        private void chunk(Message m) {
            InternalConnection conn = account.connection();
            try {
                if (m.payload().length > 0) {
                    out.write(m.payload());
                    if (m.hasReplyTo()) {
                        conn.publish(new Message(m.replyTo(), "", Message.NO_HEADERS, new byte[0]));
                    }
                    return;
                }
                subscription.unsubscribe();
                out.close();
                String response = finish();
                if (m.hasReplyTo()) {
                    conn.publish(new Message(m.replyTo(), "", Message.NO_HEADERS,
                            response.getBytes(StandardCharsets.UTF_8)));
                }
            } catch (IOException e) {
                subscription.unsubscribe();
                reply(m, ApiError.of(JsErrors.STREAM_RESTORE, e.getMessage()));
            } finally {
                if (m.payload().length == 0) {
                    try {
                        Files.deleteIfExists(staging);
                    } catch (IOException e) {
                        // The staging directory is cleaned at the next start.
                    }
                }
            }
        }

        private String finish() throws IOException {
            Map<String, Object> resp = new LinkedHashMap<>();
            resp.put("type", "io.nats.jetstream.api.v1.stream_create_response");
            try (InputStream in = Files.newInputStream(staging)) {
                Stream stream = account.restoreStream(cfg, in);
                InfoJson.streamInfo(resp, stream, stream.store().fastState(), null, false);
            } catch (ApiException e) {
                Map<String, Object> err = new LinkedHashMap<>();
                err.put("type", resp.get("type"));
                err.put("error", e.error().toJson());
                return GoJson.compact(err);
            } catch (RuntimeException e) {
                Map<String, Object> err = new LinkedHashMap<>();
                err.put("type", resp.get("type"));
                err.put("error", ApiError.of(JsErrors.STREAM_RESTORE, e.getMessage()).toJson());
                return GoJson.compact(err);
            }
            return GoJson.compact(resp);
        }

        private void reply(Message m, ApiError error) {
            if (m.hasReplyTo()) {
                String body = "{\"type\":\"io.nats.jetstream.api.v1.stream_restore_response\",\"error\":"
                        + GoJson.compact(error.toJson()) + "}";
                account.connection().publish(new Message(m.replyTo(), "", Message.NO_HEADERS,
                        body.getBytes(StandardCharsets.UTF_8)));
            }
        }
    }
}
