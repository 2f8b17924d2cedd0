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

    /**
     * Delivers the frames addressed to {@code member} of this group to {@code node}. A direct subscription: the
     * route's reader decodes each frame off its own buffer and queues it for the node's thread (receiving never
     * blocks), rather than handing a copy to the connection's dispatcher thread first, which cost every RAFT
     * round two more thread wake-ups (the append on the follower, its answer on the leader).
     */
    void attach(String member, RaftNode node) {
        inbox = connection.subscribeDirect(RaftSubjects.inbox(group, member), null, m -> {
            node.receive(m.dataArray(), m.dataOffset() + m.headerLength(), m.dataLength() - m.headerLength());
            return true;
        });
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
