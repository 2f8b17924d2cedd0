package nats.server.internal.account;

import java.nio.charset.StandardCharsets;

import nats.server.internal.auth.PermissionChecker;
import nats.server.internal.auth.ReplyPermissions;
import nats.server.internal.routing.FlushSet;
import nats.server.internal.routing.MatchResult;
import nats.server.internal.routing.RoutedMessage;
import nats.server.internal.routing.ResultCache;
import nats.server.internal.routing.Router;
import nats.server.internal.routing.Subscriber;

/**
 * The way in for every message a producer publishes, whoever it is (a network client, a plugin's session, an
 * in-process connection): the account's subject mappings, the user's publish permissions (with
 * allow_responses), the reserved {@code _R_.} replies, then routing through the account's sublist with a
 * per-producer result cache. One pipeline per producer; used by one thread at a time.
 */
public final class InboundPipeline {

    /** Whether a message may be routed. */
    public enum Admission {
        ALLOWED,
        /** The user may not publish to the (mapped) subject. */
        DENIED_SUBJECT,
        /** A client tried to use a reply subject reserved for the server ({@code _R_.}). */
        DENIED_REPLY
    }

    private static final byte[] SERVICE_REPLY = {'_', 'R', '_', '.'};
    private static final byte[] JS_ACK = {'$', 'J', 'S', '.', 'A', 'C', 'K', '.'};
    private static final byte[] GATEWAY_REPLY = {'_', 'G', 'R', '_', '.'};

    private final Subscriber self;
    private final FlushSet touched = new FlushSet();
    private ResultCache cache = new ResultCache();
    private volatile Account account;
    private volatile PermissionChecker permissions;
    private volatile ReplyPermissions replies;
    private final boolean clientRules;

    /**
     * @param self        the producer as a subscriber (skipped when it does not want its own messages)
     * @param clientRules whether client rules apply (reserved replies); the server's own publishers skip them
     */
    public InboundPipeline(Subscriber self, Account account, boolean clientRules) {
        this.self = self;
        this.account = account;
        this.clientRules = clientRules;
    }

    /** Moves the producer into another account (before it subscribes or publishes anything). */
    public void account(Account target) {
        if (target != account) {
            account = target;
            cache = new ResultCache();
        }
    }

    public Account account() {
        return account;
    }

    /** The user's permissions; null for none. Replaced on reload. */
    public void permissions(PermissionChecker checker, ReplyPermissions responses) {
        this.permissions = checker;
        this.replies = responses;
    }

    public PermissionChecker permissions() {
        return permissions;
    }

    public ReplyPermissions replyPermissions() {
        return replies;
    }

    /** Subscribers touched by routing since the last {@link #flush()}. */
    public FlushSet touched() {
        return touched;
    }

    /** Applies the account's mappings to {@code m} (in place) and checks it against the permissions. */
    public Admission admit(RoutedMessage m) {
        // The subject as a String is made at most once, and only when mappings or permissions need it.
        String subject = applyMappings(account, m);
        PermissionChecker checker = permissions;
        if (checker != null) {
            if (subject == null) {
                subject = m.subjectString();
            }
            if (!checker.canPublish(subject)) {
                ReplyPermissions responses = replies;
                if (responses == null || !responses.allowResponse(subject)) {
                    return Admission.DENIED_SUBJECT;
                }
            }
        }
        if (clientRules && m.replyLength > 3 && isReservedReply(m.reply, m.replyOffset, m.replyLength)) {
            return Admission.DENIED_REPLY;
        }
        return Admission.ALLOWED;
    }

    /**
     * Routes an admitted message to the account's subscribers.
     *
     * @param echo whether the producer's own subscriptions may receive it
     * @return whether anyone received it
     */
    public boolean route(RoutedMessage m, boolean echo) {
        MatchResult result = cache.lookup(account.sublist(), m.subject, m.subjectOffset, m.subjectLength);
        return !result.isEmpty() && Router.deliver(result, m, self, echo, touched);
    }

    /** Routes an admitted message to the links alone (see {@link Router#deliverToLinks}). */
    public boolean routeToLinks(RoutedMessage m) {
        MatchResult result = cache.lookup(account.sublist(), m.subject, m.subjectOffset, m.subjectLength);
        return !result.isEmpty() && Router.deliverToLinks(result, m, touched);
    }

    /** Wakes the subscribers routed to since the last flush. */
    public void flush() {
        touched.flushAll();
    }

    /**
     * Routes one message the server itself publishes into {@code account} (system events, plugins' in-process
     * publishes): the account's mappings apply, permissions do not; receivers are flushed at once.
     *
     * @param self the publishing subscriber, or null
     * @return whether anyone received it
     */
    public static boolean publishOnce(Account account, RoutedMessage m, Subscriber self) {
        applyMappings(account, m);
        // Go's gwReplyMapping on the account: an answer to a reply an internal subscriber was shown without its
        // _GR_. prefix goes back prefixed, to the links alone, as a client's answer does.
        byte[] routed = account.gatewayReplies().routedSubject(m.subject, m.subjectOffset, m.subjectLength);
        if (routed != null) {
            m.subject = routed;
            m.subjectOffset = 0;
            m.subjectLength = routed.length;
        }
        MatchResult result = account.sublist().match(m.subjectString());
        if (result.isEmpty()) {
            return false;
        }
        FlushSet touched = new FlushSet();
        boolean delivered = routed != null ? Router.deliverToLinks(result, m, touched)
                : Router.deliver(result, m, self, true, touched);
        touched.flushAll();
        return delivered;
    }

    /**
     * Applies the account's mappings to {@code m} in place (Go maps what clients and leaf nodes publish).
     *
     * @return the (mapped) subject as a String when the mappings needed it, else null
     */
    public static String applyMappings(Account account, RoutedMessage m) {
        SubjectMappings mappings = account.mappings();
        if (mappings == null) {
            return null;
        }
        String original = m.subjectString();
        String mapped = mappings.map(original);
        if (!mapped.equals(original)) {
            m.subject = mapped.getBytes(StandardCharsets.ISO_8859_1);
            m.subjectOffset = 0;
            m.subjectLength = m.subject.length;
            if (m.trace != null) {
                m.trace.mapped(mapped);
            }
        }
        return mapped;
    }

    /** Go's isReservedReply: service replies ({@code _R_.}), JetStream acks and gateway-routed replies. */
    private static boolean isReservedReply(byte[] reply, int off, int len) {
        return startsWith(reply, off, len, SERVICE_REPLY) && len >= SERVICE_REPLY.length
                || startsWith(reply, off, len, JS_ACK) && len > JS_ACK.length
                || startsWith(reply, off, len, GATEWAY_REPLY) && len > GATEWAY_REPLY.length;
    }

    private static boolean startsWith(byte[] b, int off, int len, byte[] prefix) {
        if (len < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[off + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
