package nats.server.internal.account;

import nats.server.internal.routing.RoutedMessage;
import nats.server.internal.routing.ServerSubscription;
import nats.server.internal.routing.SubjectMatcher;
import nats.server.internal.routing.Subscriber;
import nats.server.internal.routing.TraceDelivery;
import nats.server.internal.routing.TracedSubscriber;

/**
 * A stream one account takes from another: messages the exporter publishes on {@code from} reach the
 * importer's subscribers as {@code to}. Implemented as in Go with shadow subscriptions: a client's
 * subscription in the importer gets a twin in the exporter's sublist that forwards with the subject
 * rewritten.
 */
public final class StreamImport {

    private final Account exporter;
    private final String from;
    private final String to;
    /** Exporter subject to importer subject; null when both are the same. */
    private final SubjectTransform forward;
    /** Importer subject back to exporter subject, for subscriptions inside {@code to}. */
    private final SubjectTransform backward;
    /** Go's {@code allow_trace} on the import: traces go on into the importing account. */
    private final boolean allowTrace;

    StreamImport(Account exporter, String from, String to, boolean allowTrace) {
        this.allowTrace = allowTrace;
        this.exporter = exporter;
        this.from = from;
        this.to = to;
        if (from.equals(to)) {
            forward = null;
            backward = null;
        } else {
            forward = SubjectTransform.positional(from, to);
            backward = forward.reverse();
        }
    }

    public Account exporter() {
        return exporter;
    }

    public String from() {
        return from;
    }

    public String to() {
        return to;
    }

    /** The shadow of {@code sub} in the exporter, or null when the subscription and the import do not meet. */
    ServerSubscription shadowFor(ServerSubscription sub) {
        String subject = sub.subject();
        String shadowSubject;
        String filter = null;
        if (subject.equals(to) || SubjectMatcher.isSubsetMatch(to, subject)) {
            shadowSubject = from; // the subscription covers the whole import
        } else if (SubjectMatcher.isSubsetMatch(subject, to)) {
            shadowSubject = backward == null ? subject : backward.apply(subject);
        } else if (SubjectMatcher.hasWildcard(subject) && SubjectMatcher.collide(subject, to)) {
            shadowSubject = from; // partial overlap: take the whole import and filter on delivery
            filter = subject;
        } else {
            return null;
        }
        return new ServerSubscription(new Delivery(this, sub, filter), shadowSubject, sub.queue(), sub.sid());
    }

    String importedSubject(String exportedSubject) {
        return forward == null ? exportedSubject : forward.apply(exportedSubject);
    }

    /** Forwards what the shadow receives to the client's own subscription, under the importer's subject. */
    static final class Delivery implements Subscriber {

        private final StreamImport streamImport;
        private final ServerSubscription target;
        private final String filter;

        Delivery(StreamImport streamImport, ServerSubscription target, String filter) {
            this.streamImport = streamImport;
            this.target = target;
            this.filter = filter;
        }

        Account exporter() {
            return streamImport.exporter;
        }

        @Override
        public boolean deliver(ServerSubscription shadow, RoutedMessage m) {
            if (target.isClosed()) {
                return false;
            }
            String subject = streamImport.importedSubject(m.subjectString());
            if (filter != null && !SubjectMatcher.matches(subject, filter)) {
                return false;
            }
            if (m.trace != null) {
                return deliverTraced(m, subject);
            }
            return target.subscriber().deliver(target, m.redirected(subject, m.replyString()));
        }

        /**
         * Go's stream export entry; past it the message is traced only when the import allows it
         * ({@code allow_trace}), otherwise it is delivered untraced, or (trace only) not at all.
         */
        private boolean deliverTraced(RoutedMessage m, String subject) {
            m.trace.streamExport(target.subscriber() instanceof TracedSubscriber c ? c.traceAccount() : "", subject);
            RoutedMessage copy = m.redirected(subject, m.replyString());
            if (!streamImport.allowTrace) {
                if (m.trace.traceOnly()) {
                    return true;
                }
                copy.trace = null;
                return target.subscriber().deliver(target, copy);
            }
            return TraceDelivery.deliver(target, copy, null);
        }

        @Override
        public boolean takesTraceOnly(ServerSubscription subscription) {
            return true;
        }

        @Override
        public void flushPending() {
            target.subscriber().flushPending();
        }
    }
}
