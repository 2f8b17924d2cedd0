package nats.gateway.internal;

import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import nats.api.links.Link;
import nats.api.links.LinkHandle;
import nats.api.links.LinkMessage;
import nats.api.links.LinkPublisher;
import nats.api.links.QueueRole;
import nats.api.messaging.ClientInfo;
import nats.api.messaging.MessageOrigin;

/**
 * Routes {@code _GR_.} replies as Go's handleGatewayReply and sendMsgToGateways do: holding interest in
 * {@code _GR_.>} in every account, it sends a reply for another cluster straight to that cluster's outbound
 * connection (whatever the interest there), and delivers one for this cluster (a route brought it from the
 * server that received it) to the local subscribers of the subject without the prefix.
 */
final class ReplyRouter implements Link {

    private static final String INTEREST = ReplyPrefix.PREFIX + ">";
    private static final int LOCAL_QUEUE = 4096;

    /** A reply kept for the local delivery thread. */
    private record Copied(String account, byte[] subjectBytes, byte[] replyBytes, byte[] data, int headerLength)
            implements LinkMessage {
        @Override
        public byte[] queuesArray() {
            return subjectBytes;
        }

        @Override
        public int queuesOffset() {
            return 0;
        }

        @Override
        public int queuesLength() {
            return 0;
        }

        @Override
        public byte[] subjectArray() {
            return subjectBytes;
        }

        @Override
        public int subjectOffset() {
            return 0;
        }

        @Override
        public int subjectLength() {
            return subjectBytes.length;
        }

        @Override
        public byte[] replyArray() {
            return replyBytes;
        }

        @Override
        public int replyOffset() {
            return 0;
        }

        @Override
        public int replyLength() {
            return replyBytes.length;
        }

        @Override
        public byte[] dataArray() {
            return data;
        }

        @Override
        public int dataOffset() {
            return 0;
        }

        @Override
        public int dataLength() {
            return data.length;
        }

        @Override
        public MessageOrigin origin() {
            return MessageOrigin.GATEWAY;
        }

        @Override
        public Optional<ClientInfo> client() {
            return Optional.empty();
        }
    }

    private final Gateways gateways;
    private final LinkHandle handle;
    private final BlockingQueue<Copied> local = new ArrayBlockingQueue<>(LOCAL_QUEUE);
    private final Thread deliverer;
    private volatile boolean closed;

    ReplyRouter(Gateways gateways) {
        this.gateways = gateways;
        this.handle = gateways.links().register(this);
        this.deliverer = Thread.ofPlatform().daemon().name("nats-gateway-replies").start(this::deliverLocally);
    }

    void accountAdded(String account) {
        handle.addInterest(account, INTEREST, null, 1);
    }

    void close() {
        closed = true;
        handle.close();
        deliverer.interrupt();
    }

    @Override
    public String name() {
        return "gateway replies";
    }

    @Override
    public MessageOrigin kind() {
        return MessageOrigin.GATEWAY;
    }

    /** Replies a route brings back are this link's too (Go routes them to the origin server). */
    @Override
    public boolean forwards(MessageOrigin origin) {
        return origin != MessageOrigin.GATEWAY;
    }

    @Override
    public QueueRole queueRole(MessageOrigin origin) {
        return QueueRole.NONE;
    }

    @Override
    public boolean send(LinkMessage m) {
        byte[] subject = m.subjectArray();
        int off = m.subjectOffset();
        if (closed || !ReplyPrefix.isRouted(subject, off, m.subjectLength())) {
            return false;
        }
        if (gateways.replyPrefix().isOwnCluster(subject, off)) {
            int skip = ReplyPrefix.LENGTH;
            Copied copy = new Copied(m.account(),
                    Arrays.copyOfRange(subject, off + skip, off + m.subjectLength()),
                    Arrays.copyOfRange(m.replyArray(), m.replyOffset(), m.replyOffset() + m.replyLength()),
                    Arrays.copyOfRange(m.dataArray(), m.dataOffset(), m.dataOffset() + m.dataLength()),
                    m.headerLength());
            return local.offer(copy);
        }
        if (m.origin() == MessageOrigin.ROUTE) {
            return false;
        }
        GatewayConnection c = gateways.outboundFor(subject, off);
        if (c == null) {
            return false;
        }
        boolean sent = c.sendDirect(m);
        c.flush();
        return sent;
    }

    @Override
    public void flush() {
    }

    @Override
    public long sentMessages() {
        return 0;
    }

    @Override
    public long sentBytes() {
        return 0;
    }

    private void deliverLocally() {
        LinkPublisher publisher = handle.publisher();
        while (!closed) {
            try {
                Copied c = local.take();
                publisher.publish(c);
                while ((c = local.poll()) != null) {
                    publisher.publish(c);
                }
                publisher.flush();
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
