package nats.api.sessions;

/** What the kernel tells a plugin about a session it opened for it. */
@FunctionalInterface
public interface SessionEvents {

    /**
     * The kernel closed the session (credentials expired or revoked, account removed, permissions reloaded
     * away, server shutdown...): the plugin closes the client's connection, telling the client if its protocol
     * allows. Called once, from a kernel thread.
     *
     * @param reason Go's close reason, e.g. {@code Authentication Expired} or {@code Server Shutdown}
     */
    void closedByServer(String reason);

    /**
     * A publisher finished a batch of messages it delivered to this session's handlers: write what they
     * queued, so a burst leaves in few writes. Called on the publisher's thread; must not block.
     */
    default void flush() {
    }
}
