package nats.server.internal.plugin;

import java.util.HashMap;
import java.util.Map;

import nats.api.links.Link;
import nats.api.links.LinkMessage;
import nats.api.links.LinkPublisher;
import nats.api.messaging.MessageOrigin;
import nats.server.internal.account.Account;
import nats.server.internal.account.Accounts;
import nats.server.internal.routing.FlushSet;
import nats.server.internal.routing.MatchResult;
import nats.server.internal.routing.ResultCache;
import nats.server.internal.routing.RoutedMessage;
import nats.server.internal.routing.Router;
import nats.server.internal.trace.ActiveTrace;
import nats.server.internal.trace.MessageTracer;

/**
 * Routes what one link's reader received: in the account the message names, as the link's kind of origin,
 * with its queue groups, through a per-account result cache; receivers are woken once per read. Used by one
 * thread; allocates nothing in steady state.
 */
final class LinkInjector implements LinkPublisher {

    private final Accounts accounts;
    private final RoutedMessage m = new RoutedMessage();
    private final FlushSet touched = new FlushSet();
    private final Map<Account, ResultCache> caches = new HashMap<>();
    private String lastName;
    private Account lastAccount;
    private ResultCache lastCache;
    private long inMsgsCounting;
    private long inBytesCounting;
    private volatile long inMsgs;
    private volatile long inBytes;

    private final Link link;
    private final MessageTracer tracer;
    private final int traceKind;

    LinkInjector(Link link, Accounts accounts, MessageTracer tracer) {
        this.link = link;
        this.accounts = accounts;
        this.tracer = tracer;
        MessageOrigin kind = link.kind();
        this.traceKind = kind == MessageOrigin.GATEWAY ? MessageTracer.GATEWAY
                : kind == MessageOrigin.LEAF ? MessageTracer.LEAF : MessageTracer.ROUTER;
        m.kind = kind;
        m.sourceLink = link;
        m.producerMayStall = false;
    }

    @Override
    public boolean publish(LinkMessage in) {
        inMsgsCounting++;
        inBytesCounting += in.dataLength();
        String name = in.account();
        if (!name.equals(lastName)) {
            // Messages never load an account (Go drops those of an account it does not know).
            Account account = accounts.get(name);
            if (account == null) {
                return false;
            }
            lastName = name;
            lastAccount = account;
            lastCache = caches.computeIfAbsent(account, a -> new ResultCache());
        }
        m.subject = in.subjectArray();
        m.subjectOffset = in.subjectOffset();
        m.subjectLength = in.subjectLength();
        m.reply = in.replyArray();
        m.replyOffset = in.replyOffset();
        m.replyLength = in.replyLength();
        m.data = in.dataArray();
        m.dataOffset = in.dataOffset();
        m.dataLength = in.dataLength();
        m.headerSize = in.headerLength() > 0 ? in.headerLength() : -1;
        m.queues = in.queuesArray();
        m.queuesOffset = in.queuesOffset();
        m.queuesLength = in.queuesLength();
        m.originAccount = lastAccount.name();
        m.originCluster = in.originCluster();
        m.shownSubject = null;
        if (m.replyLength > 0) {
            nats.server.internal.routing.JetStreamReplies.decode(m);
        }
        m.prepareSizes();
        m.anyQueueGroup = false;
        if (traceKind == MessageTracer.LEAF && lastAccount.mappings() != null) {
            // Go's parser maps what leaf nodes publish as it maps clients' (JetStream domains rely on it).
            byte[] before = m.subject;
            nats.server.internal.account.InboundPipeline.applyMappings(lastAccount, m);
            m.anyQueueGroup = m.subject != before && m.queuesLength == 0;
        }
        // A traced message (Go 2.11) carries the hop the sending server gave it; this server sends its own event.
        ActiveTrace traced = m.headerSize > 0 ? tracer.fromLink(m.data, m.dataOffset, m.headerSize, m.dataLength,
                traceKind, link.connectionId(), link.peerName(), name, m.subject, m.subjectOffset, m.subjectLength)
                : null;
        m.trace = traced;
        MatchResult result = lastCache.lookup(lastAccount.sublist(), m.subject, m.subjectOffset, m.subjectLength);
        boolean delivered = !result.isEmpty() && Router.deliver(result, m, null, true, touched);
        if (traced != null) {
            m.trace = null;
            traced.finish();
        }
        return delivered;
    }

    @Override
    public void flush() {
        inMsgs = inMsgsCounting;
        inBytes = inBytesCounting;
        touched.flushAll();
    }

    long inMsgs() {
        return inMsgs;
    }

    long inBytes() {
        return inBytes;
    }
}
