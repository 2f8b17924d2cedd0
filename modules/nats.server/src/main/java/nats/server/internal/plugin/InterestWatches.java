package nats.server.internal.plugin;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import nats.api.accounts.PluginAccount;
import nats.server.internal.routing.ServerSubscription;
import nats.server.internal.routing.SubjectMatcher;
import nats.server.internal.routing.Sublist;

/**
 * Go's sublist notifications for one account: plugins watch literal subjects (a push consumer's deliver
 * subject) and hear when the first subscriber arrives and the last one leaves. Costs nothing per message;
 * each subscription change is compared with the watched subjects only while there are watches.
 */
final class InterestWatches implements Sublist.ChangeListener {

    private final Sublist sublist;
    private final List<Watch> watches = new CopyOnWriteArrayList<>();

    private final class Watch implements PluginAccount.InterestWatch {
        final String subject;
        final PluginAccount.InterestListener listener;
        /** Guarded by the sublist's write lock (changes) or this watch (start). */
        boolean interested;

        Watch(String subject, PluginAccount.InterestListener listener) {
            this.subject = subject;
            this.listener = listener;
        }

        void recheck() {
            boolean now = !sublist.match(subject).isEmpty();
            if (now != interested) {
                interested = now;
                listener.interestChanged(now);
            }
        }

        @Override
        public void close() {
            watches.remove(this);
            if (watches.isEmpty()) {
                sublist.removeListener(InterestWatches.this);
            }
        }
    }

    InterestWatches(Sublist sublist) {
        this.sublist = sublist;
    }

    synchronized PluginAccount.InterestWatch watch(String literalSubject, PluginAccount.InterestListener listener) {
        Watch watch = new Watch(literalSubject, listener);
        if (watches.isEmpty()) {
            sublist.addListener(this);
        }
        watches.add(watch);
        synchronized (watch) {
            watch.interested = !sublist.match(literalSubject).isEmpty();
            listener.interestChanged(watch.interested);
        }
        return watch;
    }

    @Override
    public void inserted(ServerSubscription sub) {
        changed(sub);
    }

    @Override
    public void removed(ServerSubscription sub) {
        changed(sub);
    }

    private void changed(ServerSubscription sub) {
        for (Watch watch : watches) {
            if (SubjectMatcher.matches(watch.subject, sub.subject())) {
                synchronized (watch) {
                    watch.recheck();
                }
            }
        }
    }
}
