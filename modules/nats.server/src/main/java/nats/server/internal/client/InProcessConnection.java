package nats.server.internal.client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import nats.api.InternalConnection;
import nats.api.Message;
import nats.api.MessageHandler;
import nats.api.Subscription;
import nats.server.internal.routing.FlushSet;
import nats.server.internal.routing.MatchResult;
import nats.server.internal.routing.RoutedMessage;
import nats.server.internal.routing.Router;
import nats.server.internal.routing.ServerSubscription;
import nats.server.internal.routing.Sublist;
import nats.server.internal.routing.Subscriber;

/**
 * A client living inside the server process (plugins, system services). Messages for it are copied into
 * {@link Message}s and handed to handlers on one dispatcher virtual thread, so a slow handler never blocks
 * the publisher.
 */
public final class InProcessConnection implements InternalConnection, Subscriber {

    private static final System.Logger LOG = System.getLogger(InProcessConnection.class.getName());
    private static final Delivery STOP = new Delivery(null, null);

    private record Delivery(LocalSubscription subscription, Message message) {
    }

    private final Sublist sublist;
    private final String name;
    private final LinkedBlockingQueue<Delivery> queue = new LinkedBlockingQueue<>();
    private final AtomicLong nextSid = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ConcurrentHashMap<ServerSubscription, LocalSubscription> subscriptions = new ConcurrentHashMap<>();

    public InProcessConnection(Sublist sublist, String name) {
        this.sublist = sublist;
        this.name = name;
        Thread.ofVirtual().name("nats-internal-" + name).start(this::dispatch);
    }

    private final class LocalSubscription implements Subscription {
        final ServerSubscription server;
        final MessageHandler handler;

        LocalSubscription(String subject, String queueGroup, MessageHandler handler) {
            byte[] sid = Long.toString(nextSid.incrementAndGet()).getBytes(StandardCharsets.ISO_8859_1);
            this.server = new ServerSubscription(InProcessConnection.this, subject, queueGroup, sid);
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
                sublist.remove(server);
            }
        }
    }

    @Override
    public Subscription subscribe(String subject, MessageHandler handler) {
        return subscribe(subject, null, handler);
    }

    @Override
    public Subscription subscribe(String subject, String queueGroup, MessageHandler handler) {
        if (closed.get()) {
            throw new IllegalStateException("connection " + name + " is closed");
        }
        LocalSubscription sub = new LocalSubscription(subject, queueGroup, handler);
        // Registered before it is routable, so no message can arrive for an unknown subscription.
        subscriptions.put(sub.server, sub);
        try {
            sublist.insert(sub.server);
        } catch (Sublist.InvalidSubjectException e) {
            subscriptions.remove(sub.server);
            throw new IllegalArgumentException("invalid subject: " + subject, e);
        }
        return sub;
    }

    @Override
    public void publish(Message message) {
        RoutedMessage m = new RoutedMessage();
        byte[] subject = message.subject().getBytes(StandardCharsets.UTF_8);
        byte[] reply = message.replyTo().getBytes(StandardCharsets.UTF_8);
        byte[] data = new byte[message.headers().length + message.payload().length];
        System.arraycopy(message.headers(), 0, data, 0, message.headers().length);
        System.arraycopy(message.payload(), 0, data, message.headers().length, message.payload().length);
        m.subject = subject;
        m.subjectLength = subject.length;
        m.reply = reply;
        m.replyLength = reply.length;
        m.headerSize = message.headers().length > 0 ? message.headers().length : -1;
        m.data = data;
        m.dataLength = data.length;
        m.prepareSizes();
        MatchResult result = sublist.match(message.subject());
        FlushSet touched = new FlushSet();
        Router.deliver(result, m, this, true, touched);
        touched.flushAll();
    }

    @Override
    public boolean deliver(ServerSubscription subscription, RoutedMessage m) {
        if (closed.get()) {
            return false;
        }
        LocalSubscription target = subscriptions.get(subscription);
        if (target == null) {
            return false;
        }
        byte[] headers = m.hasHeaders() ? Arrays.copyOfRange(m.data, m.dataOffset, m.dataOffset + m.headerSize)
                : Message.NO_HEADERS;
        int payloadStart = m.dataOffset + Math.max(m.headerSize, 0);
        byte[] payload = Arrays.copyOfRange(m.data, payloadStart, m.dataOffset + m.dataLength);
        queue.add(new Delivery(target, new Message(m.subjectString(), m.replyString(), headers, payload)));
        return true;
    }

    @Override
    public void flushPending() {
        // Deliveries are queued individually; the dispatcher is already awake.
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
