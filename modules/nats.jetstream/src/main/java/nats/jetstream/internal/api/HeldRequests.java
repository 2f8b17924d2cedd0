package nats.jetstream.internal.api;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import nats.api.messaging.InternalConnection;
import nats.api.messaging.Message;
import nats.jetstream.internal.cluster.JsCluster;

/**
 * Requests about a clustered stream that arrived while its group had no serving leader: during an election, or
 * while a new leader applies what its predecessors committed. Every server receives each request and only the
 * serving leader answers, so in that window nobody would (a consumer create under a leader change went unanswered).
 * A replica that leads but does not serve yet, or knows no leader, keeps the request for up to {@link #HOLD_MS}: it
 * handles it itself once it serves, or publishes it again once another member leads (that leader answers it). A
 * replica that knows another leader leaves the request to it, so in the steady state nothing is held.
 *
 * <p>A leader remembers for a while the reply subjects of the changes it handled (consumer create and delete,
 * purge, message delete, step-down), so a request published again by a replica that held it is not applied twice.
 */
final class HeldRequests {

    /** How long a request is held (a client's API timeout is typically 5 s). */
    static final long HOLD_MS = 4_000;
    private static final long REMEMBER_MS = 15_000;

    private record Held(String account, String stream, InternalConnection connection, Message message, long since) {
    }

    private final JsCluster cluster;
    private final Handler handler;
    private final List<Held> held = new ArrayList<>();
    private final Map<String, Long> handled = new LinkedHashMap<>();
    private boolean draining;

    /** Handles a request as if it had just arrived (the API router's entry). */
    interface Handler {
        void handle(String account, InternalConnection connection, Message m);
    }

    HeldRequests(JsCluster cluster, Handler handler) {
        this.cluster = cluster;
        this.handler = handler;
    }

    /** Keeps the request if this server must (see the class comment); true when it did. */
    synchronized boolean holdIfLeaderless(String account, String stream, InternalConnection connection, Message m) {
        if (!cluster.awaitsStreamLeader(account, stream)) {
            return false;
        }
        held.add(new Held(account, stream, connection, m, System.nanoTime()));
        if (!draining) {
            draining = true;
            Thread.ofVirtual().name("jetstream-held-requests").start(this::drain);
        }
        return true;
    }

    /**
     * The serving leader is about to handle a change request: false if it handled one with this reply subject
     * lately (the same request, published again by a replica that held it).
     */
    synchronized boolean firstTime(Message m) {
        if (m.replyTo().isEmpty()) {
            return true;
        }
        long now = System.nanoTime();
        for (Iterator<Long> it = handled.values().iterator(); it.hasNext(); ) {
            if (now - it.next() < TimeUnit.MILLISECONDS.toNanos(REMEMBER_MS)) {
                break; // in insertion order: the rest is younger
            }
            it.remove();
        }
        return handled.putIfAbsent(m.replyTo(), now) == null;
    }

    /**
     * A change this server handled as leader could not be committed because its leadership ended: the request goes
     * to whoever serves next (held here, or published again to a known leader), as if it had arrived now; false when
     * this server still serves (the commit failed for another reason) or nobody does, and the caller answers.
     */
    boolean retryElsewhere(String account, String stream, InternalConnection connection, Message m) {
        if (cluster.isStreamLeader(account, stream)) {
            return false;
        }
        synchronized (this) {
            handled.remove(m.replyTo()); // should this server lead again, it handles the request afresh
        }
        if (holdIfLeaderless(account, stream, connection, m)) {
            return true;
        }
        if (cluster.otherStreamLeaderKnown(account, stream)) {
            connection.publish(m);
            return true;
        }
        return false;
    }

    private void drain() {
        while (true) {
            List<Held> ready = new ArrayList<>();
            List<Held> leave = new ArrayList<>();
            synchronized (this) {
                long now = System.nanoTime();
                for (Iterator<Held> it = held.iterator(); it.hasNext(); ) {
                    Held h = it.next();
                    if (cluster.isStreamLeader(h.account, h.stream)) {
                        ready.add(h);
                        it.remove();
                    } else if (cluster.otherStreamLeaderKnown(h.account, h.stream)) {
                        leave.add(h);
                        it.remove();
                    } else if (now - h.since > TimeUnit.MILLISECONDS.toNanos(HOLD_MS)) {
                        it.remove();
                    }
                }
                if (held.isEmpty() && ready.isEmpty() && leave.isEmpty()) {
                    draining = false;
                    return;
                }
            }
            for (Held h : ready) {
                handler.handle(h.account, h.connection, h.message);
            }
            for (Held h : leave) {
                h.connection.publish(h.message); // to every server again: the new leader answers it
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
