package nats.server.internal.account;

import java.nio.charset.StandardCharsets;

import nats.server.internal.routing.FlushSet;
import nats.server.internal.routing.MatchResult;
import nats.server.internal.routing.RoutedMessage;
import nats.server.internal.routing.Router;
import nats.server.internal.routing.ServerSubscription;
import nats.server.internal.routing.Subscriber;
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

    @Override
    public void flushPending() {
        // Deliveries through the import are flushed as they happen.
    }

    private boolean sampled() {
        AccountConfig.Latency latency = export.latency();
        return latency != null && (latency.samplingPercent() >= 100
                || java.util.concurrent.ThreadLocalRandom.current().nextInt(100) < latency.samplingPercent());
    }

    /** Adds {@code Nats-Request-Info: {"acc":...,"rtt":...}} to the request's headers. */
    private void withRequestInfo(RoutedMessage request, RoutedMessage original) {
        StringBuilder json = new StringBuilder("{\"acc\":\"").append(importer.name()).append('"');
        long rtt = original.origin == null ? 0 : original.origin.rttNanos();
        if (rtt > 0) {
            json.append(",\"rtt\":").append(rtt);
        }
        byte[] value = json.append("}\r\n").toString().getBytes(StandardCharsets.UTF_8);
        byte[] data = original.data;
        int off = original.dataOffset;
        int len = original.dataLength;
        byte[] out;
        int headerSize;
        if (original.hasHeaders()) {
            // Insert before the blank line that ends the header block.
            int headerEnd = original.headerSize - 2;
            headerSize = original.headerSize + REQUEST_INFO.length + value.length;
            out = new byte[len + REQUEST_INFO.length + value.length];
            System.arraycopy(data, off, out, 0, headerEnd);
            System.arraycopy(REQUEST_INFO, 0, out, headerEnd, REQUEST_INFO.length);
            System.arraycopy(value, 0, out, headerEnd + REQUEST_INFO.length, value.length);
            System.arraycopy(data, off + headerEnd, out, headerEnd + REQUEST_INFO.length + value.length,
                    len - headerEnd);
        } else {
            byte[] start = "NATS/1.0\r\n".getBytes(StandardCharsets.ISO_8859_1);
            headerSize = start.length + REQUEST_INFO.length + value.length + 2;
            out = new byte[headerSize + len];
            System.arraycopy(start, 0, out, 0, start.length);
            System.arraycopy(REQUEST_INFO, 0, out, start.length, REQUEST_INFO.length);
            System.arraycopy(value, 0, out, start.length + REQUEST_INFO.length, value.length);
            out[headerSize - 2] = '\r';
            out[headerSize - 1] = '\n';
            System.arraycopy(data, off, out, headerSize, len);
        }
        request.replaceData(out, headerSize);
    }
}
