package nats.server.internal.trace;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import nats.api.messaging.JetStreamTrace;
import nats.api.messaging.MessageOrigin;
import nats.api.messaging.MessageTrace;
import nats.transport.json.GoJson;

/**
 * One traced message on this server: Go's MsgTraceEvent being filled in (ingress, subject mapping, stream
 * exports, service imports, JetStream, egresses, in the order they happen) and published to the trace
 * destination in the origin account when the message is done with here. Only traced messages create one, so it
 * may allocate. Entries are added under its lock: a stream's writer may complete its entry on another thread.
 */
public final class ActiveTrace implements MessageTrace {

    /** Go's texts for deliveries that did not happen. */
    public static final String ERROR_NO_ECHO = "Not delivered because of no echo";
    public static final String ERROR_PUB_VIOLATION = "Not delivered because publish denied for this subject";
    public static final String ERROR_SUB_DENY = "Not delivered because subscription denies this subject";
    public static final String ERROR_SUB_CLOSED = "Not delivered because subscription is closed";
    public static final String ERROR_CLIENT_CLOSED = "Not delivered because client is closed";
    public static final String ERROR_AUTO_SUB_EXCEEDED = "Not delivered because auto-unsubscribe exceeded";

    private final MessageTracer tracer;
    private final Map<String, List<String>> headers;
    /** A copy of the header block as received, for the copies sent to other servers. */
    private final byte[] headerBlock;
    private final int size;
    private final String ingressAccount;
    private final String eventAccount;
    private final String dest;
    private final boolean traceOnly;
    /** The hop id this server was given ("" on the first server). */
    private final String hop;
    private final String acceptEncoding;
    private final Map<String, Object> ingress;
    private final List<Map<String, Object>> events = new ArrayList<>(4);
    private int hops;
    /** The ingress side and each JetStream entry must be done before the event goes. */
    private final AtomicInteger pending = new AtomicInteger(1);

    /**
     * What the message asked for: its headers as reported, where events go, trace only, the hop it came with, and
     * how events are to be compressed ({@code Accept-Encoding}, or null).
     */
    record Request(Map<String, List<String>> headers, byte[] headerBlock, int size, String eventAccount, String dest,
                   boolean traceOnly, String hop, String acceptEncoding) {
    }

    /** How the message arrived: Go's connection kind, cid and name, the account and subject. */
    record Arrival(int kind, long cid, String name, String account, String subject) {
    }

    ActiveTrace(MessageTracer tracer, Request request, Arrival arrival) {
        this.tracer = tracer;
        this.headers = request.headers();
        this.headerBlock = request.headerBlock();
        this.size = request.size();
        this.ingressAccount = arrival.account();
        this.eventAccount = request.eventAccount();
        this.dest = request.dest();
        this.traceOnly = request.traceOnly();
        this.hop = request.hop();
        this.acceptEncoding = request.acceptEncoding();
        ingress = entry("in");
        ingress.put("kind", arrival.kind());
        ingress.put("cid", arrival.cid());
        putIfNotEmpty(ingress, "name", arrival.name());
        ingress.put("acc", arrival.account());
        ingress.put("subj", arrival.subject());
        events.add(ingress);
    }

    /** Switches a message copy's trace headers off (Go's disableTraceHeaders): no server further on traces it. */
    public static void disableHeaders(byte[] data, int off, int headerLength) {
        if (headerLength > 0) {
            TraceHeaders.disable(data, off, headerLength, DEST_HEADER);
            TraceHeaders.disable(data, off, headerLength, "traceparent");
        }
    }

    @Override
    public boolean traceOnly() {
        return traceOnly;
    }

    String eventAccount() {
        return eventAccount;
    }

    String dest() {
        return dest;
    }

    /** The traced message's {@code Accept-Encoding}, or null. */
    String acceptEncoding() {
        return acceptEncoding;
    }

    /** The ingress was refused (a publish permission): Go's error text on the ingress entry. */
    public synchronized void ingressError(String error) {
        ingress.put("error", error);
    }

    /** The account's mapping changed the subject. */
    public synchronized void mapped(String to) {
        Map<String, Object> e = entry("sm");
        e.put("to", to);
        events.add(e);
    }

    /** A stream export took the message into {@code account} as {@code to}. */
    public synchronized void streamExport(String account, String to) {
        Map<String, Object> e = entry("se");
        e.put("acc", account);
        e.put("to", to);
        events.add(e);
    }

    /** A service import sends the message, published as {@code from}, to {@code account} as {@code to}. */
    public synchronized void serviceImport(String account, String from, String to) {
        Map<String, Object> e = entry("si");
        e.put("acc", account);
        e.put("from", from);
        e.put("to", to);
        events.add(e);
    }

    /**
     * The message went to a client's subscription (or did not: {@code error}). The account is named when it is
     * not the one the message came in (a service import's exporter).
     */
    public synchronized void clientEgress(long cid, String name, String account, String subject, String queue,
                                          String error) {
        Map<String, Object> e = entry("eg");
        e.put("kind", MessageTracer.CLIENT);
        e.put("cid", cid);
        putIfNotEmpty(e, "name", name);
        if (account != null && !account.equals(ingressAccount)) {
            e.put("acc", account);
        }
        putIfNotEmpty(e, "sub", subject);
        putIfNotEmpty(e, "queue", queue);
        putIfNotEmpty(e, "error", error);
        events.add(e);
    }

    @Override
    public synchronized String nextHop() {
        hops++;
        return hop.isEmpty() ? Integer.toString(hops) : hop + "." + hops;
    }

    @Override
    public byte[] headersForHop(String account, String nextHop) {
        byte[] block = headerBlock;
        if (eventAccount != null && !eventAccount.equals(account)) {
            block = TraceHeaders.withHeader(block, ORIGIN_ACCOUNT_HEADER, eventAccount);
        }
        return TraceHeaders.withHeader(block, HOP_HEADER, nextHop);
    }

    @Override
    public synchronized void linkEgress(MessageOrigin kind, long connectionId, String peerName, String nextHop,
                                        String error) {
        Map<String, Object> e = entry("eg");
        e.put("kind", switch (kind) {
            case GATEWAY -> MessageTracer.GATEWAY;
            case LEAF -> MessageTracer.LEAF;
            default -> MessageTracer.ROUTER;
        });
        e.put("cid", connectionId);
        putIfNotEmpty(e, "name", peerName);
        putIfNotEmpty(e, "hop", nextHop);
        putIfNotEmpty(e, "error", error);
        events.add(e);
    }

    @Override
    public synchronized JetStreamTrace jetStream(String stream) {
        Map<String, Object> e = entry("js");
        e.put("stream", stream);
        int index = events.size();
        events.add(e);
        pending.incrementAndGet();
        return (subject, noInterest, error) -> {
            synchronized (this) {
                // The time the stream decided is the more telling one, as in Go.
                Map<String, Object> done = entry("js");
                done.put("stream", stream);
                putIfNotEmpty(done, "subject", subject);
                if (noInterest) {
                    done.put("nointerest", true);
                }
                putIfNotEmpty(done, "error", error);
                events.set(index, done);
            }
            release();
        };
    }

    /** The ingress side is done with the message: the event goes now, or when the last JetStream entry is done. */
    public void finish() {
        release();
    }

    private void release() {
        if (pending.decrementAndGet() == 0) {
            tracer.publish(this);
        }
    }

    /** Go's MsgTraceEvent: server, request (headers, size), hops, events. */
    synchronized byte[] toJson(Map<String, Object> server) {
        Map<String, Object> request = new LinkedHashMap<>();
        if (!headers.isEmpty()) {
            request.put("header", headers);
        }
        if (size > 0) {
            request.put("msgsize", size);
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("server", server);
        event.put("request", request);
        if (hops > 0) {
            event.put("hops", hops);
        }
        event.put("events", events);
        return GoJson.compact(event).getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, Object> entry(String type) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", type);
        e.put("ts", Instant.now());
        return e;
    }

    private static void putIfNotEmpty(Map<String, Object> m, String key, String value) {
        if (value != null && !value.isEmpty()) {
            m.put(key, value);
        }
    }
}
