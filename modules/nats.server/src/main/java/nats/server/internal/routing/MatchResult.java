package nats.server.internal.routing;

/**
 * The subscriptions interested in one subject: plain ones, and queue subscriptions grouped by queue name
 * (one member of each group gets the message). Links to other servers are kept apart: their plain interest
 * once per link ({@link #links()}), however many of their subscriptions match; their queue interest as
 * members of the groups. Immutable once built.
 */
public final class MatchResult {

    static final MatchResult EMPTY = new MatchResult(new ServerSubscription[0], new ServerSubscription[0][],
            new ServerSubscription[0], false);

    private final ServerSubscription[] plain;
    private final ServerSubscription[][] queueGroups;
    private final ServerSubscription[] links;
    /** Whether anything here belongs to a link: the router then takes its link-aware path. */
    private final boolean involvesLinks;

    MatchResult(ServerSubscription[] plain, ServerSubscription[][] queueGroups, ServerSubscription[] links,
                boolean remoteQueueMembers) {
        this.plain = plain;
        this.queueGroups = queueGroups;
        this.links = links;
        this.involvesLinks = links.length > 0 || remoteQueueMembers;
    }

    /** Plain subscriptions of this server's own subscribers; do not modify. */
    public ServerSubscription[] plain() {
        return plain;
    }

    /**
     * Queue groups, each with at least one member (local ones, and links standing for the members they
     * announced); do not modify.
     */
    public ServerSubscription[][] queueGroups() {
        return queueGroups;
    }

    /** One plain subscription per link interested in the subject; do not modify. */
    public ServerSubscription[] links() {
        return links;
    }

    /** Whether a link holds any of the interest (plain, or as a queue member). */
    public boolean involvesLinks() {
        return involvesLinks;
    }

    public boolean isEmpty() {
        return plain.length == 0 && queueGroups.length == 0 && links.length == 0;
    }
}
