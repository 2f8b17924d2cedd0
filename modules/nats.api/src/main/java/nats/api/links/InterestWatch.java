package nats.api.links;

/** A registration made by {@link Links#watchLocalInterest}. */
public interface InterestWatch extends AutoCloseable {

    /**
     * Calls {@code target} once for every local interest in force (as a change from nothing), account by
     * account, each account locked meanwhile: a change that happens during the replay reaches the watch's
     * listener either before the replay of its account or after it, never in between. A link that has just
     * connected joins the watch's audience first, then replays, and so misses nothing.
     */
    void replay(LocalInterestListener target);

    /** Stops the reports. */
    @Override
    void close();
}
