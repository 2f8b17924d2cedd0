package nats.example.raft;

import java.util.ArrayList;
import java.util.List;
import nats.api.messaging.InternalConnection;
import nats.api.messaging.Message;
import nats.api.messaging.Subscription;
import nats.raft.RaftNode;
import nats.raft.RaftSubjects;
import nats.raft.RaftTransport;

/**
 * RAFT frames over NATS subjects: each frame is published on {@code $NRG.<kind>.<group>.<member>} through an
 * in-process client (the system account's, so clients never see them), and routes carry it to the server
 * hosting that member, whose inbox subscription hands it to {@link RaftNode#receive}.
 */
final class NrgTransport implements RaftTransport, AutoCloseable {

    private final InternalConnection connection;
    private final String group;
    private final List<Subscription> inboxes = new ArrayList<>();

    NrgTransport(InternalConnection connection, String group) {
        this.connection = connection;
        this.group = group;
    }

    /** Delivers the frames addressed to {@code member} to {@code node}. */
    void attach(String member, RaftNode node) {
        inboxes.add(connection.subscribe(RaftSubjects.inbox(group, member), message -> node.receive(message.payload())));
    }

    @Override
    public void send(String peer, byte[] frame) {
        connection.publish(new Message(RaftSubjects.subject(group, peer, frame), "", Message.NO_HEADERS, frame));
    }

    @Override
    public void close() {
        inboxes.forEach(Subscription::unsubscribe);
        inboxes.clear();
    }
}
