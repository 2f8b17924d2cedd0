package nats.server.internal.account;

import java.nio.charset.StandardCharsets;

import nats.server.internal.routing.FlushSet;
import nats.server.internal.routing.MatchResult;
import nats.server.internal.routing.RoutedMessage;
import nats.server.internal.routing.Router;
import nats.server.internal.routing.ServerSubscription;
import nats.server.internal.routing.Subscriber;
import nats.server.internal.trace.ActiveTrace;
import nats.server.options.AccountConfig;

/**
 * A service one account uses from another. It sits in the importer's sublist as a subscription on the
 * local subject; a request published there is re-published in the exporter on the export's subject, with
 * its reply replaced by a {@code _R_} subject that routes the responses back, and with a
 * {@code Nats-Request-Info} header naming the requesting account, as the Go server does.
 */
public final class ServiceImport implements Subscriber {

    /** More hops than any sane import chain; stops messages circling through import cycles. */
    private static final int MAX_HOPS = 8;
    private static final byte[] REQUEST_INFO = "Nats-Request-Info: ".getBytes(StandardCharsets.ISO_8859_1);

    private final Account importer;
    private final Account exporter;
    private final String localSubject;
    private final String remoteSubject;
    /** Local to remote subject when the import uses wildcards and renames; null otherwise. */
    private final SubjectTransform transform;
    private final AccountConfig.Export export;

    ServiceImport(Account importer, Account exporter, String localSubject, String remoteSubject,
                  AccountConfig.Export export) {
        this.importer = importer;
        this.exporter = exporter;
        this.localSubject = localSubject;
        this.remoteSubject = remoteSubject;
        this.export = export;
        this.transform = localSubject.equals(remoteSubject) ? null
                : SubjectTransform.positional(localSubject, remoteSubject);
    }

    public String localSubject() {
        return localSubject;
    }

    public Account exporter() {
        return exporter;
    }

    @Override
    public boolean deliver(ServerSubscription subscription, RoutedMessage m) {
        if (m.importHops >= MAX_HOPS) {
            return false;
        }
        String subject = m.subjectString();
        String target = transform != null ? transform.apply(subject)
                : nats.server.internal.routing.SubjectMatcher.hasWildcard(localSubject) ? subject : remoteSubject;
        ServiceResponses responses = exporter.responses();
        LatencyTracking tracking = sampled() ? LatencyTracking.start(exporter, export.latency().subject(), m) : null;
        String reply = m.hasReply() ? responses.register(importer, m.replyString(), export, tracking) : "";
        RoutedMessage request = m.redirected(target, reply);
        withRequestInfo(request, m);
        if (m.trace != null && !traced(m, request, subject, target)) {
            if (!reply.isEmpty()) {
                responses.forget(reply);
            }
            return true;
        }
        MatchResult result = exporter.sublist().match(target);
        FlushSet touched = new FlushSet();
        boolean delivered = !result.isEmpty() && Router.deliver(result, request, null, true, touched);
        touched.flushAll();
        if (!delivered && !reply.isEmpty()) {
            responses.forget(reply);
        }
        // As in Go, the import itself took the message: the requester waits rather than hearing "no responders".
        return true;
    }

    /**
     * Go's service import entry. Past it the request is traced only when the export allows it
     * ({@code allow_trace}); otherwise it goes on untraced, its trace headers switched off so that no server
     * further on starts a trace, or, when only the trace was asked for, not at all.
     *
     * @return whether the request goes on
     */
    private boolean traced(RoutedMessage m, RoutedMessage request, String subject, String target) {
        m.trace.serviceImport(exporter.name(), subject, target);
        if (export.allowTrace()) {
            return true;
        }
        if (m.trace.traceOnly()) {
            return false;
        }
        request.trace = null;
        ActiveTrace.disableHeaders(request.data, request.dataOffset, Math.max(0, request.headerSize));
        return true;
    }

    @Override
    public boolean takesTraceOnly(ServerSubscription subscription) {
        return true;
    }

    @Override
    public void flushPending() {
        // Deliveries through the import are flushed as they happen.
    }

    /** Every server of a cluster holds its own imports: Go does not announce their subscriptions to routes. */
    @Override
    public boolean announcesInterest() {
        return false;
    }

    /** A leaf node must know of the import to send its clients' requests here (Go's initLeafNodeSmapAndSendSubs). */
    @Override
    public boolean announcesToLeaves() {
        return true;
    }

    private boolean sampled() {
        AccountConfig.Latency latency = export.latency();
        return latency != null && (latency.samplingPercent() >= 100
                || java.util.concurrent.ThreadLocalRandom.current().nextInt(100) < latency.samplingPercent());
    }

    /**
     * Sets {@code Nats-Request-Info} on the request, as Go's setHeader does: any such header already there is
     * removed and the new one goes last. The first import names the requester's account and round trip
     * ({@code {"acc":...,"rtt":...}}); a further import in a chain keeps that and adds itself as {@code svc}.
     */
    private void withRequestInfo(RoutedMessage request, RoutedMessage original) {
        byte[] data = original.data;
        int off = original.dataOffset;
        int len = original.dataLength;
        // The header block without its closing blank line, and without an earlier Nats-Request-Info.
        java.io.ByteArrayOutputStream header = new java.io.ByteArrayOutputStream(64);
        String previous = null;
        if (original.hasHeaders()) {
            int end = off + original.headerSize - 2;
            int lineStart = off;
            for (int i = off; i + 1 < end + 2; i++) {
                if (data[i] == '\r' && data[i + 1] == '\n') {
                    String line = new String(data, lineStart, i - lineStart, StandardCharsets.ISO_8859_1);
                    if (lineStart > off && line.regionMatches(true, 0, "Nats-Request-Info:", 0, 18)) {
                        previous = line.substring(18).strip();
                    } else {
                        header.write(data, lineStart, i + 2 - lineStart);
                    }
                    lineStart = i + 2;
                    i++;
                    if (lineStart >= end) {
                        break;
                    }
                }
            }
        } else {
            header.writeBytes("NATS/1.0\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        header.writeBytes(REQUEST_INFO);
        header.writeBytes((requestInfo(original, previous) + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        int headerSize = header.size();
        int bodyStart = original.hasHeaders() ? original.headerSize : 0;
        byte[] out = java.util.Arrays.copyOf(header.toByteArray(), headerSize + len - bodyStart);
        System.arraycopy(data, off + bodyStart, out, headerSize, len - bodyStart);
        request.replaceData(out, headerSize);
    }

    /** Go's ClientInfo fields that can appear here, in its order; {@code svc} follows {@code acc}. */
    private static final java.util.List<String> CLIENT_INFO_ORDER = java.util.List.of("start", "host", "id", "acc",
            "svc", "user", "name", "lang", "ver", "rtt", "server", "cluster", "alts", "stop", "jwt", "issuer_key",
            "name_tag", "tags", "kind", "client_type", "client_id");

    private String requestInfo(RoutedMessage original, String previous) {
        if (original.importHops > 0 && previous != null) {
            try {
                java.util.Map<String, Object> info = new java.util.HashMap<>(
                        nats.transport.json.Json.parseObject(previous));
                info.put("svc", importer.name());
                nats.transport.json.JsonWriter json = new nats.transport.json.JsonWriter().beginObject();
                for (String key : CLIENT_INFO_ORDER) {
                    if (info.containsKey(key)) {
                        json.name(key).value(info.get(key));
                    }
                }
                return json.endObject().toString();
            } catch (nats.transport.json.Json.JsonException e) {
                // Not ours to keep: start afresh below.
            }
        }
        StringBuilder json = new StringBuilder("{\"acc\":\"").append(importer.name()).append('"');
        long rtt = original.publisher == null ? 0 : original.publisher.rttNanos();
        if (rtt > 0) {
            json.append(",\"rtt\":").append(rtt);
        }
        return json.append('}').toString();
    }
}
