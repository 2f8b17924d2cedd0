package nats.server.internal.plugin;

import nats.api.links.Link;
import nats.api.links.LinkMessage;
import nats.api.links.QueueRole;
import nats.api.messaging.MessageOrigin;
import nats.server.internal.routing.RemoteSubscriber;

/** A link's interest in one account, as the router sees it: the subscriber of the link's subscriptions there. */
final class LinkEndpoint implements RemoteSubscriber {

    private final Link link;
    private final String account;
    private volatile boolean closed;

    LinkEndpoint(Link link, String account) {
        this.link = link;
        this.account = account;
    }

    @Override
    public String account() {
        return account;
    }

    @Override
    public boolean forwards(MessageOrigin origin) {
        return link.forwards(origin);
    }

    @Override
    public QueueRole queueRole(MessageOrigin origin) {
        return link.queueRole(origin);
    }

    /** A leaf node accepted here counts as local interest for routes and gateways (Go's hub). */
    @Override
    public boolean announcesInterest() {
        return link.sharesInterest();
    }

    @Override
    public boolean acceptsFrom(Link source) {
        return source == null || source.passesTo(link);
    }

    Link link() {
        return link;
    }

    @Override
    public boolean forward(LinkMessage message) {
        return !closed && link.send(message);
    }

    @Override
    public void flushPending() {
        link.flush();
    }

    void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return link.name() + " in " + account;
    }
}
