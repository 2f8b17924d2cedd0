package nats.server.internal.plugin;

import java.util.List;
import java.util.Optional;

import nats.api.links.InterestListener;
import nats.api.links.Link;
import nats.server.internal.routing.ServerSubscription;
import nats.server.internal.routing.Sublist;

/**
 * Every change of interest in one account, this server's subscribers' and links', passed on to the
 * {@link InterestListener}s of {@link nats.api.links.Links#watchAllInterest} with the holder of each. Runs under
 * the sublist's lock, so changes arrive in order; added with a replay of what the sublist holds.
 */
final class AccountAllInterest implements Sublist.ChangeListener {

    private final String account;
    private final List<InterestListener> listeners;
    private final System.Logger log;

    AccountAllInterest(String account, List<InterestListener> listeners, System.Logger log) {
        this.account = account;
        this.listeners = listeners;
        this.log = log;
    }

    @Override
    public void inserted(ServerSubscription sub) {
        emit(listeners, sub, 1);
    }

    @Override
    public void removed(ServerSubscription sub) {
        emit(listeners, sub, -1);
    }

    /** Reports {@code sub} to {@code to} as new, or as gone ({@code sign} -1). */
    void emit(List<InterestListener> to, ServerSubscription sub, int sign) {
        Optional<Link> holder;
        if (sub.subscriber() instanceof LinkEndpoint endpoint) {
            holder = Optional.of(endpoint.link());
        } else if (sub.subscriber().announcesToLeaves()) {
            holder = Optional.empty();
        } else {
            return;
        }
        int delta = sign * AccountInterest.weight(sub);
        for (InterestListener listener : to) {
            try {
                listener.interestChanged(account, sub.subject(), sub.queue(), delta, holder);
            } catch (RuntimeException e) {
                log.log(System.Logger.Level.WARNING, "interest listener failed on " + sub.subject(), e);
            }
        }
    }
}
