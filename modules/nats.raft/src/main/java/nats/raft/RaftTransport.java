package nats.raft;

/**
 * How a node's RPCs reach the other members. Delivery may lose, duplicate, reorder or delay frames: the
 * protocol tolerates all of it. Frames arriving for this node are handed to {@link RaftNode#receive(byte[])}.
 */
public interface RaftTransport {

    /**
     * Sends one encoded RPC to {@code peer}; must not block for long (queue it). The same frame may go to several
     * peers: never modify it.
     */
    void send(String peer, byte[] frame);
}
