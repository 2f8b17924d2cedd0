package nats.server.internal.routing;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/** One subscription held in a {@link Sublist}: who gets the messages, for which subject, under which sid. */
public final class ServerSubscription {

    private final Subscriber subscriber;
    private final String subject;
    private final String queue;
    private final byte[] sid;
    /** Messages delivered, counted atomically through {@link #DELIVERED}: a field, not an AtomicLong, so a
     *  delivery touches one object less (fan-outs to hundreds of subscribers are bound by cache misses). */
    private volatile long delivered;
    /** Auto-unsubscribe limit; 0 for none. Written by the owning connection only. */
    private volatile long max;
    private volatile boolean closed;
    /** What the subscriber keeps with the subscription (a plugin's handler); null when nothing. */
    private volatile Object attachment;
    /** Twins of this subscription in accounts it imports streams from; null when there are none. */
    private volatile ServerSubscription[] shadows;
    /** For a link's queue interest: how many members the other server has. 1 for everything else. */
    private volatile int weight = 1;

    public ServerSubscription(Subscriber subscriber, String subject, String queue, byte[] sid) {
        this.subscriber = subscriber;
        this.subject = subject;
        this.queue = queue;
        this.sid = sid;
    }

    public Subscriber subscriber() {
        return subscriber;
    }

    public String subject() {
        return subject;
    }

    /** The queue group, or null for a plain subscription. */
    public String queue() {
        return queue;
    }

    public boolean isQueue() {
        return queue != null;
    }

    /** The subscription id as the client sent it, ready to be written into MSG frames. */
    public byte[] sid() {
        return sid;
    }

    public String sidString() {
        return new String(sid, StandardCharsets.ISO_8859_1);
    }

    public long max() {
        return max;
    }

    public void setMax(long max) {
        this.max = max;
    }

    public long delivered() {
        return delivered;
    }

    /**
     * Counts one delivery against the auto-unsubscribe limit.
     *
     * @return 0 to deliver, 1 to deliver as the last message, -1 when the limit was already reached
     */
    public int countDelivery() {
        long limit = max;
        long n = (long) DELIVERED.getAndAdd(this, 1L) + 1;
        if (limit <= 0 || n < limit) {
            return 0;
        }
        return n == limit ? 1 : -1;
    }

    public Object attachment() {
        return attachment;
    }

    public void attach(Object value) {
        this.attachment = value;
    }

    public ServerSubscription[] shadows() {
        return shadows;
    }

    public void shadows(ServerSubscription[] twins) {
        this.shadows = twins;
    }

    /** How many queue members this subscription stands for (a link's remote members); 1 for local ones. */
    public int weight() {
        return weight;
    }

    public void weight(int members) {
        this.weight = Math.max(1, members);
    }

    public boolean isClosed() {
        return closed;
    }

    public void markClosed() {
        closed = true;
    }

    private static final VarHandle DELIVERED;

    static {
        try {
            DELIVERED = MethodHandles.lookup().findVarHandle(ServerSubscription.class, "delivered", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
