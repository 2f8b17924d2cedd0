package nats.api.links;

/**
 * The kernel's side of links to other servers, from {@link nats.api.ServerContext#links()}. A plugin that
 * connects this server to others (routes, gateways, leaf nodes) does three things through it:
 * <ol>
 *   <li>{@linkplain #register registers} each connection as a {@link Link}, and through the returned
 *       {@link LinkHandle} records the interest the other side announces (its {@code RS+}/{@code RS-}) and
 *       injects the messages it receives;</li>
 *   <li>receives, on its {@link Link}, each message routed on this server that matches that interest, at
 *       most once per message however many of its subscriptions match;</li>
 *   <li>{@linkplain #watchLocalInterest watches} the interest of this server's own subscribers (clients,
 *       in-process subscribers), to announce it to the other side.</li>
 * </ol>
 * Whatever is not used costs nothing: without links and watches the message path is the one of a single
 * server.
 */
public interface Links {

    /**
     * Registers a connection to another server; from now on its interest may be recorded and its messages
     * injected. Closing the handle removes all its interest.
     */
    LinkHandle register(Link link);

    /**
     * Starts telling {@code listener} how the interest of this server's own subscribers changes, in every
     * account (those loaded now and later). Interest of links is not reported. Nothing is reported for the
     * state before the call: use {@link InterestWatch#replay} for it.
     */
    InterestWatch watchLocalInterest(LocalInterestListener listener);

    /**
     * Like {@link #watchLocalInterest}, with the interest of this server's links of the given kinds counted as
     * subscribers too: a gateway announces the interest of its whole cluster (local subscribers and the routes'),
     * as Go's gateways do. Each subscription of a link counts once, whatever queue weight it carries.
     *
     * @since API 2.2
     */
    InterestWatch watchInterest(LocalInterestListener listener, java.util.Set<nats.api.messaging.MessageOrigin> linkKinds);

    /**
     * How many links of {@code kind}, registered now, are {@linkplain Link#boundAccount bound} to {@code account}
     * (Go's {@code nleafs} of an account for leaf connections): JetStream leaves a request unanswered in an
     * account without JetStream that has leaf connections, since a server over them may answer it.
     *
     * @since API 2.4
     */
    default int boundLinkCount(String account, nats.api.messaging.MessageOrigin kind) {
        return 0;
    }

    /**
     * Leaf connections bound to {@code account} on the other servers of the cluster, as their account connection
     * events report them (Go's {@code nrleafs}): with {@link #boundLinkCount}, whether a server over a leaf
     * connection anywhere in the cluster may answer the account's JetStream requests.
     *
     * @since API 2.5
     */
    default int remoteLeafCount(String account) {
        return 0;
    }

    /**
     * Adds a participant in what routes tell each other about other kinds of links (Go's gateway URLs in route
     * INFO, gateway gossip); a plugin adds it in its start, before the cluster plugin starts (which
     * {@link nats.api.ServerPlugin#startsAfter()} arranges).
     *
     * @since API 2.2
     */
    void addRouteGossip(RouteGossip participant);

    /**
     * The participants added so far, for the plugin that runs routes.
     *
     * @since API 2.2
     */
    java.util.List<RouteGossip> routeGossip();

    /**
     * Tells {@code listener} of every subscription in force in {@code account} (as a change from nothing), then
     * of every change of interest there, whoever holds it: this server's subscribers and every link's recorded
     * interest (each change names its holder). The replay and the start of the reports happen under the
     * account's lock, so no change is missed or counted twice. A leaf node keeps a count per subject with it.
     *
     * @return the registration; empty when the account is not known here
     * @since API 2.2
     */
    default java.util.Optional<InterestFeed> watchAllInterest(String account, InterestListener listener) {
        throw new UnsupportedOperationException("this kernel does not report link interest");
    }
}
