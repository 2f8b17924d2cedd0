package nats.server.internal.client;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import nats.api.messaging.DirectHandler;
import nats.api.messaging.InternalConnection;
import nats.api.messaging.Message;
import nats.api.messaging.MessageHandler;
import nats.api.messaging.MessageOrigin;
import nats.api.messaging.MessagePublisher;
import nats.api.messaging.Subscription;
import nats.server.internal.account.Account;
import nats.server.internal.account.InboundPipeline;
import nats.server.internal.routing.GatewayReplies;
import nats.server.internal.routing.RoutedMessage;
import nats.server.internal.routing.ServerSubscription;
import nats.server.internal.routing.Sublist;
import nats.server.internal.routing.Subscriber;

/**
 * A client living inside the server process (plugins, system services), bound to one account. Queued
 * subscriptions get copies as {@link Message}s on one dispatcher virtual thread, so a slow handler never
 * blocks the publisher; direct subscriptions run their handler on the publisher's thread with the message as
 * byte slices. Its messages are the server's own: the account's mappings apply, permissions do not.
 */
public final class InProcessConnection implements InternalConnection, Subscriber {

    private static final System.Logger LOG = System.getLogger(InProcessConnection.class.getName());
    private static final Delivery STOP = new Delivery(null, null);

    private record Delivery(LocalSubscription subscription, Message message) {
    }

    private final Account account;
    private final String name;
    private final LinkedBlockingQueue<Delivery> queue = new LinkedBlockingQueue<>();
    private final AtomicLong nextSid = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ConcurrentHashMap<ServerSubscription, LocalSubscription> subscriptions = new ConcurrentHashMap<>();
    private final AtomicBoolean dispatching = new AtomicBoolean();

    public InProcessConnection(Account account, String name) {
        this.account = account;
        this.name = name;
    }

    private final class LocalSubscription implements Subscription {
        final ServerSubscription server;
        final MessageHandler handler;

        LocalSubscription(String subject, String queueGroup, MessageHandler handler, DirectHandler direct) {
            byte[] sid = Long.toString(nextSid.incrementAndGet()).getBytes(StandardCharsets.ISO_8859_1);
            this.server = new ServerSubscription(InProcessConnection.this, subject, queueGroup, sid);
            this.server.attach(direct);
            this.handler = handler;
        }

        @Override
        public String subject() {
            return server.subject();
        }

        @Override
        public void unsubscribe() {
            if (subscriptions.remove(server) != null) {
                server.markClosed();
                account.sublist().remove(server);
            }
        }
    }

    @Override
    public Subscription subscribe(String subject, MessageHandler handler) {
        return subscribe(subject, null, handler);
    }

    @Override
    public Subscription subscribe(String subject, String queueGroup, MessageHandler handler) {
        startDispatcher();
        return add(new LocalSubscription(subject, queueGroup, handler, null));
    }

    @Override
    public Subscription subscribeDirect(String subject, String queueGroup, DirectHandler handler) {
        return add(new LocalSubscription(subject, queueGroup, null, handler));
    }

    private Subscription add(LocalSubscription sub) {
        if (closed.get()) {
            throw new IllegalStateException("connection " + name + " is closed");
        }
        // Registered before it is routable, so no message can arrive for an unknown subscription.
        subscriptions.put(sub.server, sub);
        try {
            account.sublist().insert(sub.server);
        } catch (Sublist.InvalidSubjectException e) {
            subscriptions.remove(sub.server);
            throw new IllegalArgumentException("invalid subject: " + sub.subject(), e);
        }
        return sub;
    }

    /** The dispatcher thread exists only once a queued subscription needs it. */
    private void startDispatcher() {
        if (dispatching.compareAndSet(false, true)) {
            Thread.ofVirtual().name("nats-internal-" + name).start(this::dispatch);
        }
    }

    @Override
    public void publish(Message message) {
        RoutedMessage m = routed(message.subject().getBytes(StandardCharsets.UTF_8),
                message.replyTo().getBytes(StandardCharsets.UTF_8), join(message.headers(), message.payload()),
                0, message.headers().length, message.headers().length + message.payload().length);
        InboundPipeline.publishOnce(account, m, this);
    }

    /**
     * Go's gwReplyMapping on the account: a publish to a reply an in-process client was shown without its
     * {@code _GR_.} prefix (within two seconds) goes back as the prefixed subject, to the links alone (the
     * requester's gateway), as a client's answer does. True when {@code m} was rewritten so. (Single publishes
     * get the same from {@link InboundPipeline#publishOnce}.)
     */
    private boolean toGatewayReply(RoutedMessage m) {
        byte[] routed = account.gatewayReplies().routedSubject(m.subject, m.subjectOffset, m.subjectLength);
        if (routed == null) {
            return false;
        }
        m.subject = routed;
        m.subjectOffset = 0;
        m.subjectLength = routed.length;
        return true;
    }

    @Override
    public MessagePublisher publisher() {
        return new BatchPublisher();
    }

    @Override
    public boolean hasInterest(String subject) {
        return !account.sublist().match(subject).isEmpty();
    }

    /** A publisher for one thread: its own message and result cache, receivers flushed per batch. */
    private final class BatchPublisher implements MessagePublisher {

        private final InboundPipeline pipeline = new InboundPipeline(InProcessConnection.this, account, false);
        private final RoutedMessage m = newMessage();

        @Override
        public boolean publish(byte[] subject, byte[] reply, byte[] data, int offset, int headerLength, int length) {
            m.set(subject, reply, data, offset, headerLength, length);
            pipeline.admit(m);
            return toGatewayReply(m) ? pipeline.routeToLinks(m) : pipeline.route(m, true);
        }

        @Override
        public boolean deliver(byte[] routeSubject, byte[] shownSubject, byte[] reply, byte[] data, int offset,
                               int headerLength, int length) {
            m.set(routeSubject, reply, data, offset, headerLength, length);
            m.shownSubject = shownSubject;
            pipeline.admit(m);
            return toGatewayReply(m) ? pipeline.routeToLinks(m) : pipeline.route(m, true);
        }

        @Override
        public void flush() {
            pipeline.flush();
        }
    }

    private RoutedMessage routed(byte[] subject, byte[] reply, byte[] data, int offset, int headerLength,
                                 int length) {
        RoutedMessage m = newMessage();
        m.set(subject, reply, data, offset, headerLength, length);
        return m;
    }

    private RoutedMessage newMessage() {
        RoutedMessage m = new RoutedMessage();
        m.kind = MessageOrigin.INTERNAL;
        m.originAccount = account.name();
        return m;
    }

    private static byte[] join(byte[] headers, byte[] payload) {
        if (headers.length == 0) {
            return payload;
        }
        byte[] data = new byte[headers.length + payload.length];
        System.arraycopy(headers, 0, data, 0, headers.length);
        System.arraycopy(payload, 0, data, headers.length, payload.length);
        return data;
    }

    @Override
    public boolean deliver(ServerSubscription subscription, RoutedMessage m) {
        if (closed.get()) {
            return false;
        }
        // As Go's deliverMsg for internal subscriptions: the handler sees a gateway reply without its _GR_.
        // prefix, and the account remembers it, so whichever in-process client answers reaches the requester.
        int replySkip = m.hasReply() ? GatewayReplies.prefixLength(m.reply, m.replyOffset, m.replyLength) : 0;
        if (replySkip == 0) {
            return deliverAsIs(subscription, m);
        }
        account.gatewayReplies().track(m.reply, m.replyOffset, m.replyLength);
        m.replyOffset += replySkip;
        m.replyLength -= replySkip;
        try {
            return deliverAsIs(subscription, m);
        } finally {
            // The same message goes on to the match's other subscribers (and links) with its prefix.
            m.replyOffset -= replySkip;
            m.replyLength += replySkip;
        }
    }

    private boolean deliverAsIs(ServerSubscription subscription, RoutedMessage m) {
        if (subscription.attachment() instanceof DirectHandler direct) {
            try {
                boolean accepted = direct.onMessage(m);
                if (accepted && direct instanceof DirectHandler.Batched batched) {
                    batchEnds.get().add(batched);
                }
                return accepted;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "direct handler of " + name + " on " + m.subjectString()
                        + " failed", e);
                return false;
            }
        }
        LocalSubscription target = subscriptions.get(subscription);
        if (target == null) {
            return false;
        }
        queue.add(new Delivery(target, m.toMessage()));
        return true;
    }

    @Override
    public void flushPending() {
        // Queued deliveries need nothing (the dispatcher is awake); batched direct handlers hear the batch end.
        BatchEnds ends = batchEnds.get();
        if (ends.size > 0) {
            ends.run();
        }
    }

    /**
     * The batched direct handlers (of any in-process connection) that accepted a message in the current
     * thread's batch, each once. The batch's end reaches {@link #flushPending} on the same thread (the
     * producer's flush set holds every connection it delivered to), so a per-thread list needs no lock.
     */
    private static final class BatchEnds {
        private DirectHandler.Batched[] handlers = new DirectHandler.Batched[4];
        private int size;

        void add(DirectHandler.Batched handler) {
            for (int i = size - 1; i >= 0; i--) {
                if (handlers[i] == handler) {
                    return;
                }
            }
            if (size == handlers.length) {
                handlers = java.util.Arrays.copyOf(handlers, size * 2);
            }
            handlers[size++] = handler;
        }

        private DirectHandler.Batched[] spare = new DirectHandler.Batched[4];

        void run() {
            // Taken first: a handler's end of batch may publish, and so start a nested batch on this thread.
            int n = size;
            DirectHandler.Batched[] taken = handlers;
            handlers = spare != null ? spare : new DirectHandler.Batched[4];
            spare = null;
            size = 0;
            for (int i = 0; i < n; i++) {
                try {
                    taken[i].endOfBatch();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "end of batch of a direct handler failed", e);
                }
                taken[i] = null;
            }
            spare = taken;
        }
    }

    private static final ThreadLocal<BatchEnds> batchEnds = ThreadLocal.withInitial(BatchEnds::new);

    /** A trace-only message reaches a direct handler that says it only reports on it (JetStream's ingest). */
    @Override
    public boolean takesTraceOnly(ServerSubscription subscription) {
        return subscription.attachment() instanceof DirectHandler direct && direct.acceptsTraceOnly();
    }

    private void dispatch() {
        while (true) {
            Delivery d;
            try {
                d = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (d == STOP) {
                return;
            }
            if (d.subscription().server.isClosed()) {
                continue;
            }
            try {
                d.subscription().handler.onMessage(d.message());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "handler of " + name + " on " + d.message().subject()
                        + " failed", e);
            }
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            for (LocalSubscription sub : subscriptions.values()) {
                sub.unsubscribe();
            }
            queue.add(STOP);
        }
    }
}
