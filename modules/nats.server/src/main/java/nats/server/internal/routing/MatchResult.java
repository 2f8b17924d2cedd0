package nats.server.internal.routing;

/**
 * The subscriptions interested in one subject: plain ones, and queue subscriptions grouped by queue name
 * (one member of each group gets the message). Immutable once built.
 */
public final class MatchResult {

    static final MatchResult EMPTY = new MatchResult(new ServerSubscription[0], new ServerSubscription[0][]);

    private final ServerSubscription[] plain;
    private final ServerSubscription[][] queueGroups;

    MatchResult(ServerSubscription[] plain, ServerSubscription[][] queueGroups) {
        this.plain = plain;
        this.queueGroups = queueGroups;
    }

    /** Plain subscriptions; do not modify. */
    public ServerSubscription[] plain() {
        return plain;
    }

    /** Queue groups, each with at least one member; do not modify. */
    public ServerSubscription[][] queueGroups() {
        return queueGroups;
    }

    public boolean isEmpty() {
        return plain.length == 0 && queueGroups.length == 0;
    }
}
