package nats.server.internal.trace;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The server's message tracing (Go 2.11): decides whether a message that arrives is traced (its
 * {@code Nats-Trace-Dest} header, or a sampled {@code traceparent} in an account with a trace destination),
 * starts its {@link ActiveTrace}, and publishes finished events in order from one thread of its own, as Go's
 * internal send loop does (compressed as the message's {@code Accept-Encoding} asks, {@link EventEncoding}). Messages without headers never reach it.
 */
public final class MessageTracer {

    private static final System.Logger LOG = System.getLogger(MessageTracer.class.getName());

    /** Go's client kinds, as trace events number them. */
    public static final int CLIENT = 0;
    public static final int ROUTER = 1;
    public static final int GATEWAY = 2;
    public static final int LEAF = 4;

    /** Go's ErrMaxPayload text, as a refused message's ingress error. */
    static final String MAX_PAYLOAD_ERROR = "maximum payload exceeded";
    private static final String ACCEPT_ENCODING = "Accept-Encoding";

    /**
     * Publishes an event on a subject in an account: its header block ({@code Content-Encoding}) or null, and its
     * payload (the JSON, compressed when the traced message asked); false when the account is not known.
     */
    @FunctionalInterface
    public interface Sender {
        boolean send(String account, String subject, byte[] headers, byte[] payload);
    }

    /** An account's {@code msg_trace}: where W3C-triggered traces go, and the share of them sampled (1–100). */
    public record AccountTrace(String dest, int sampling) {
    }

    private final Supplier<Map<String, Object>> serverInfo;
    private final Sender sender;
    private final Function<String, AccountTrace> accountTraces;
    private final Predicate<String> accountExists;
    private final ExecutorService queue =
            Executors.newSingleThreadExecutor(Thread.ofVirtual().name("nats-msg-trace").factory());

    /**
     * @param serverInfo    Go's ServerInfo for the next event (name, id, sequence, time...)
     * @param accountTraces an account's trace settings by name, or null when it has none
     * @param accountExists whether an account is loaded (an origin account named by another server)
     */
    public MessageTracer(Supplier<Map<String, Object>> serverInfo, Sender sender,
                         Function<String, AccountTrace> accountTraces, Predicate<String> accountExists) {
        this.serverInfo = serverInfo;
        this.sender = sender;
        this.accountTraces = accountTraces;
        this.accountExists = accountExists;
    }

    /**
     * Starts a trace for a message a client published, or returns null (the usual answer, reached without
     * allocating when the header block names no trace header).
     *
     * @param data         the header block followed by the payload, from {@code off}
     * @param headerLength the header block's size (more than 0)
     * @param size         headers and payload, as Go's {@code msgsize}
     * @param name         the client's name from CONNECT ("" for none)
     * @param account      the client's account
     */
    public ActiveTrace fromClient(byte[] data, int off, int headerLength, int size, long cid, String name,
                                  String account, byte[] subject, int subjectOffset, int subjectLength) {
        if (!TraceHeaders.mayTrace(data, off, headerLength)) {
            return null;
        }
        return begin(data, off, headerLength, size, CLIENT, cid, name, account,
                new String(subject, subjectOffset, subjectLength, java.nio.charset.StandardCharsets.UTF_8), false);
    }

    /**
     * Starts a trace for a message another server forwarded (its hop and origin account come from the headers
     * that server set), or returns null.
     *
     * @param kind    {@link #ROUTER}, {@link #GATEWAY} or {@link #LEAF}
     * @param peer    the other server's name
     * @param account the account the message came in
     */
    public ActiveTrace fromLink(byte[] data, int off, int headerLength, int size, int kind, long cid, String peer,
                                String account, byte[] subject, int subjectOffset, int subjectLength) {
        if (!TraceHeaders.mayTrace(data, off, headerLength)) {
            return null;
        }
        return begin(data, off, headerLength, size, kind, cid, peer, account,
                new String(subject, subjectOffset, subjectLength, java.nio.charset.StandardCharsets.UTF_8), true);
    }

    private ActiveTrace begin(byte[] data, int off, int headerLength, int size, int kind, long cid, String name,
                              String account, String subject, boolean fromLink) {
        TraceHeaders.Parsed headers = TraceHeaders.parse(data, off, headerLength);
        boolean external = !headers.destFound() && headers.sampledParent();
        if (!headers.destFound() && !external) {
            return null;
        }
        String dest = null;
        boolean traceOnly = false;
        if (!external) {
            String only = headers.first(ActiveTrace.ONLY_HEADER);
            if (only != null) {
                String o = only.toLowerCase(java.util.Locale.ROOT);
                traceOnly = o.equals("1") || o.equals("true") || o.equals("on");
            }
            dest = headers.first(ActiveTrace.DEST_HEADER);
            if (dest == null || !isValidPublishSubject(dest)) {
                LOG.log(System.Logger.Level.ERROR, "Destination \"{0}\" is not valid, won''t be able to trace events",
                        dest == null ? "" : dest);
                if (!traceOnly) {
                    return null;
                }
                dest = null;
            }
        }
        String eventAccount = account;
        String hop = "";
        if (fromLink) {
            String origin = headers.first(ActiveTrace.ORIGIN_ACCOUNT_HEADER);
            if (origin != null && !origin.isEmpty()) {
                eventAccount = origin;
            }
            if (!accountExists.test(eventAccount)) {
                LOG.log(System.Logger.Level.ERROR, "Account \"{0}\" was not found, won''t be able to trace events",
                        eventAccount);
                if (!traceOnly) {
                    return null;
                }
                eventAccount = null;
            }
            String h = headers.first(ActiveTrace.HOP_HEADER);
            hop = h == null ? "" : h;
        }
        if (external) {
            AccountTrace settings = eventAccount == null ? null : accountTraces.apply(eventAccount);
            if (settings == null || settings.dest() == null || settings.dest().isEmpty()) {
                return null;
            }
            dest = settings.dest();
            // Sampling is decided by the server the message entered first; later ones follow the header.
            if (kind == CLIENT && !sampled(settings.sampling())) {
                TraceHeaders.disable(data, off, headerLength, "traceparent");
                return null;
            }
        }
        byte[] block = java.util.Arrays.copyOfRange(data, off, off + headerLength);
        // Go looks the name up in its case.
        List<String> encodings = headers.headers().get(ACCEPT_ENCODING);
        String acceptEncoding = encodings == null || encodings.isEmpty() ? null : encodings.get(0);
        return new ActiveTrace(this,
                new ActiveTrace.Request(headers.headers(), block, size, eventAccount, dest, traceOnly, hop,
                        acceptEncoding),
                new ActiveTrace.Arrival(kind, cid, name, account, subject));
    }

    /**
     * A client's message over the maximum payload is refused on its control line, before it arrives. When the part
     * that came in the same read names a trace destination ({@code Nats-Trace-Dest}, exact case, as Go's
     * getHeader), the event says why: an ingress entry with Go's error and neither account nor subject, and the
     * message's size. Go does this for clients only, and whatever the trace-only header says.
     *
     * @param data the bytes that followed the control line in the same read
     * @param size the size the control line announced
     */
    public void refusedForSize(byte[] data, int off, int len, int size, long cid, String name, String account) {
        String dest = len <= 0 ? null : TraceHeaders.exactValue(data, off, len, ActiveTrace.DEST_HEADER);
        if (dest == null || dest.isEmpty() || account == null) {
            return;
        }
        String acceptEncoding = TraceHeaders.exactValue(data, off, len, ACCEPT_ENCODING);
        ActiveTrace trace = new ActiveTrace(this,
                new ActiveTrace.Request(Map.of(), new byte[0], size, account, dest, false, "", acceptEncoding),
                new ActiveTrace.Arrival(CLIENT, cid, name, "", ""));
        trace.ingressError(MAX_PAYLOAD_ERROR);
        trace.finish();
    }

    /** Go's IsValidPublishSubject: a valid subject with no wildcard token. */
    static boolean isValidPublishSubject(String subject) {
        if (!nats.transport.protocol.Subjects.isValidSubject(subject)) {
            return false;
        }
        for (String token : subject.split("\\.", -1)) {
            if (token.equals("*") || token.equals(">")) {
                return false;
            }
        }
        return true;
    }

    static boolean sampled(int sampling) {
        return sampling <= 0 || sampling >= 100 || ThreadLocalRandom.current().nextInt(100) <= sampling;
    }

    /** Publishes a finished event after those finished before it; the JSON is made on the sending thread. */
    void publish(ActiveTrace trace) {
        if (trace.eventAccount() == null || trace.dest() == null) {
            return;
        }
        try {
            queue.execute(() -> {
                try {
                    byte[] json = trace.toJson(serverInfo.get());
                    EventEncoding encoding = EventEncoding.of(trace.acceptEncoding());
                    sender.send(trace.eventAccount(), trace.dest(), encoding.headerBlock(), encoding.encode(json));
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "message trace event failed", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Shutting down.
        }
    }

    /** Stops the sending thread after what is queued (bounded). */
    public void close() {
        queue.shutdown();
        try {
            queue.awaitTermination(1, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
