package nats.jetstream.internal.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import nats.api.messaging.InternalConnection;
import nats.api.messaging.Message;
import nats.api.messaging.Subscription;
import nats.jetstream.internal.engine.JsAccount;
import nats.jetstream.internal.engine.Nuid;
import nats.jetstream.internal.engine.Replicas;
import nats.jetstream.internal.engine.RestoredSnapshot;
import nats.jetstream.internal.engine.Stream;
import nats.jetstream.internal.model.ApiError;
import nats.jetstream.internal.model.ApiException;
import nats.jetstream.internal.model.JsErrors;
import nats.jetstream.store.StoredMessage;
import nats.transport.json.GoJson;

/**
 * {@code STREAM.RESTORE} of a clustered stream, on the leader of the group the meta leader created for it (as Go's
 * preferred leader does in {@code processStreamRestore}): it answers the request with the deliver subject, stages
 * the chunks (each acknowledged), and on the empty last chunk replicates the snapshot's messages through the group,
 * each under its own sequence and time (the mirrored-message entry, so every replica stores them alike), then the
 * snapshot's consumers with their states, and answers the last chunk with Go's {@code stream_create_response}.
 * Go instead restores on the leader and lets the followers catch up from it; the replicas end the same. A restore
 * that stalls (no chunk for 5 s, as Go) or fails deletes the stream, as Go's meta leader does.
 */
final class ClusteredRestore {

    static final String PENDING_TYPE = "stream_restore_response";
    private static final long STALL_MS = 5_000;
    private static final int MAX_IN_FLIGHT = 256;
    private static final long COMMIT_TIMEOUT_S = 10;

    private final JsCluster cluster;
    private final StreamReplica replica;
    private final JsAccount account;
    private final Stream stream;
    private Path staging;
    private OutputStream out;
    private Subscription subscription;
    private volatile ScheduledFuture<?> stall;
    private boolean ended;

    ClusteredRestore(JsCluster cluster, StreamReplica replica, JsAccount account) {
        this.cluster = cluster;
        this.replica = replica;
        this.account = account;
        this.stream = replica.stream();
    }

    /** Starts taking chunks and tells the client where to send them ({@code reply}: the restore request's). */
    void start(String reply) {
        InternalConnection conn = account.connection();
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("type", "io.nats.jetstream.api.v1." + PENDING_TYPE);
        try {
            Path dir = account.js().options().storeRoot().resolve("_snapshots");
            Files.createDirectories(dir);
            staging = Files.createTempFile(dir, "js-restore-", "");
            out = Files.newOutputStream(staging);
        } catch (IOException e) {
            response.put("error", ApiError.of(JsErrors.TEMP_STORAGE_FAILED).toJson());
            response.put("deliver_subject", "");
            publish(reply, GoJson.compact(response));
            end(false);
            return;
        }
        cluster.log().log(System.Logger.Level.INFO, "Starting restore for stream ''{0} > {1}''", account.name(),
                stream.name());
        String deliver = "$JS.SNAPSHOT.RESTORE." + stream.name() + "." + Nuid.next();
        subscription = conn.subscribe(deliver, this::chunk);
        armStall();
        response.put("deliver_subject", deliver);
        String body = GoJson.compact(response);
        publish(reply, body);
        ClusterRequests handler = cluster.requests();
        if (handler != null) {
            handler.answered(account, "", "", body); // as Go's leader: counted, with no subject or request
        }
    }

    private void armStall() {
        ScheduledFuture<?> old = stall;
        if (old != null) {
            old.cancel(false);
        }
        stall = account.js().timers().schedule(this::stalled, STALL_MS, TimeUnit.MILLISECONDS);
    }

    private synchronized void stalled() {
        if (!ended) {
            cluster.log().log(System.Logger.Level.WARNING, "restore for stream ''{0} > {1}'' is stalled",
                    account.name(), stream.name());
            closeStaging();
            end(false);
        }
    }

    private synchronized void chunk(Message m) {
        if (ended) {
            return;
        }
        try {
            if (m.payload().length > 0) {
                out.write(m.payload());
                armStall();
                if (m.hasReplyTo()) {
                    publish(m.replyTo(), "");
                }
                return;
            }
            out.close();
        } catch (IOException e) {
            closeStaging();
            publish(m.replyTo(), failure(e.toString()));
            end(false);
            return;
        }
        ended = true;
        stall.cancel(false);
        subscription.unsubscribe();
        String reply = m.replyTo();
        Thread.ofVirtual().name("jetstream-restore-" + stream.name()).start(() -> finish(reply));
    }

    /** Replicates the staged snapshot and answers the last chunk. */
    private void finish(String reply) {
        boolean ok = false;
        try (InputStream in = Files.newInputStream(staging);
             RestoredSnapshot snapshot = RestoredSnapshot.open(account, stream.config(), in)) {
            replicate(snapshot);
            ok = true;
            ClusterRequests handler = cluster.requests();
            if (handler != null && !reply.isEmpty()) {
                handler.answerRestored(stream, reply);
            }
            cluster.log().log(System.Logger.Level.INFO, "Completed restore for stream ''{0} > {1}''", account.name(),
                    stream.name());
        } catch (ApiException e) {
            publish(reply, failure(e.error()));
        } catch (IOException | RuntimeException e) {
            publish(reply, failure(e.toString()));
        } finally {
            closeStaging();
            end(ok);
        }
    }

    /** The snapshot's messages at their sequences, the sequences after the last one, then its consumers. */
    private void replicate(RestoredSnapshot snapshot) throws IOException {
        var state = snapshot.state();
        Deque<CompletableFuture<Long>> inFlight = new ArrayDeque<>();
        long stored = 0;
        for (long seq = state.firstSequence(); seq <= state.lastSequence() && seq > 0; seq++) {
            StoredMessage m = snapshot.load(seq).orElse(null);
            if (m == null) {
                continue;
            }
            if (!replica.isLeader()) {
                throw new IOException("leadership lost during the restore");
            }
            inFlight.add(replica.sourcing().mirrored(m.sequence(), m.timestamp(), m.subject(), m.headers(),
                    m.payload(), () -> true));
            stored = m.sequence();
            if (inFlight.size() >= MAX_IN_FLIGHT) {
                await(inFlight.poll());
            }
        }
        if (state.lastSequence() > stored) {
            inFlight.add(replica.node().propose(StreamSourcing.skippedEntry(state.lastSequence())));
        }
        while (!inFlight.isEmpty()) {
            await(inFlight.poll());
        }
        for (var c : snapshot.consumers().entrySet()) {
            Replicas.installConsumer(stream, c.getKey(), c.getValue().getKey(), c.getValue().getValue());
            await(replica.commitConsumer(c.getKey()));
        }
    }

    private static void await(CompletableFuture<?> f) throws IOException {
        try {
            f.get(COMMIT_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("not committed: " + e.getCause());
        }
    }

    /** The session is over: ingest resumes on success; otherwise the stream goes, through the meta leader. */
    private void end(boolean ok) {
        ended = true;
        if (subscription != null) {
            subscription.unsubscribe();
        }
        replica.restoreEnded();
        if (!ok) {
            String subject = "$JS.API.STREAM.DELETE." + stream.name();
            account.connection().publish(new Message(subject, "_INBOX.restore-cleanup." + Nuid.next(),
                    Message.NO_HEADERS, new byte[0]));
        }
    }

    private void closeStaging() {
        try {
            if (out != null) {
                out.close();
            }
            if (staging != null) {
                Files.deleteIfExists(staging);
            }
        } catch (IOException e) {
            // The staging directory is left to the next start.
        }
    }

    private static String failure(String text) {
        return failure(ApiError.of(JsErrors.STREAM_RESTORE, text));
    }

    private static String failure(ApiError error) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("type", "io.nats.jetstream.api.v1.stream_create_response");
        r.put("error", error.toJson());
        return GoJson.compact(r);
    }

    private void publish(String subject, String body) {
        if (subject != null && !subject.isEmpty()) {
            account.connection().publish(new Message(subject, "", Message.NO_HEADERS,
                    body.getBytes(StandardCharsets.UTF_8)));
        }
    }
}
