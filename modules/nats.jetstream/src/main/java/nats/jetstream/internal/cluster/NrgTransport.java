package nats.jetstream.internal.cluster;

import nats.api.messaging.InternalConnection;
import nats.api.messaging.Message;
import nats.api.messaging.Subscription;
import nats.raft.RaftNode;
import nats.raft.RaftSubjects;
import nats.raft.RaftTransport;

/**
 * RAFT frames of one group over NATS: each frame is published on {@code $NRG.<kind>.<group>.<member>} through the
 * system account's in-process connection, routes carry it to the server hosting that member, and its inbox
 * subscription hands it to {@link RaftNode#receive}.
 */
final class NrgTransport implements RaftTransport {

    private final InternalConnection connection;
    private final String group;
    private volatile Subscription inbox;

    NrgTransport(InternalConnection connection, String group) {
        this.connection = connection;
        this.group = group;
    }

    /** Delivers the frames addressed to {@code member} of this group to {@code node}. */
    void attach(String member, RaftNode node) {
        inbox = connection.subscribe(RaftSubjects.inbox(group, member), m -> node.receive(m.payload()));
    }

    @Override
    public void send(String peer, byte[] frame) {
        connection.publish(new Message(RaftSubjects.subject(group, peer, frame), "", Message.NO_HEADERS, frame));
    }

    void close() {
        Subscription s = inbox;
        if (s != null) {
            s.unsubscribe();
        }
    }
}
