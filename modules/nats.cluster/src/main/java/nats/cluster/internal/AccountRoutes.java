package nats.cluster.internal;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import nats.api.links.RemoteInterest;
import nats.transport.json.JsonWriter;

/**
 * Go 2.10's move of an account to routes of its own while the cluster runs (reloadClusterPoolAndAccounts and
 * processRouteInfo): the server whose reload pins the account tells each peer over the pooled connection that
 * carried it (an INFO with {@code route_account} and {@code route_acc_add_reqid}); the peer pins the account too,
 * forgets the interest it had from that connection and answers with the same INFO without the account; the first
 * server waits for the answers (at most 2 s, as Go), then dials the account's own routes, over which both sides
 * send the account's interest again. Accounts a peer pinned this way are kept here, besides the configured ones.
 */
final class AccountRoutes {

    /** Go's wait for the peers' answers. */
    private static final long ANSWER_WAIT_MILLIS = 2000;

    private final Cluster cluster;
    private final Set<String> pinnedByPeers = ConcurrentHashMap.newKeySet();
    /** Accounts pinned at a peer's request whose routes to the other peers this server dialled already. */
    private final Set<String> dialledToOthers = ConcurrentHashMap.newKeySet();
    private volatile String requestId = "";
    private volatile CountDownLatch answers;

    AccountRoutes(Cluster cluster) {
        this.cluster = cluster;
    }

    /** Accounts pinned because a peer asked, not by this server's configuration. */
    Set<String> pinnedByPeers() {
        return pinnedByPeers;
    }

    /** The configuration now pins {@code account} (or no longer does): it is not one pinned for a peer any more. */
    void forget(String account) {
        pinnedByPeers.remove(account);
        dialledToOthers.remove(account);
    }

    /**
     * Tells every pooling peer, over the pooled connection that carries each account now, that the accounts get
     * routes of their own; drops the interest those connections brought for them, and waits for the answers.
     * Called before the new configuration takes effect, so the slot is the one under the old pool size.
     */
    void announce(List<String> accounts, ClusterConfig current) {
        String id = UUID.randomUUID().toString().replace("-", "");
        int sent = 0;
        Map<Route, List<byte[]>> lines = new LinkedHashMap<>();
        for (String account : accounts) {
            int slot = PoolIndex.of(account, current.routesPoolSize());
            boolean pinnedBefore = current.pinned(cluster.settings().systemAccount()).contains(account)
                    || pinnedByPeers.contains(account);
            for (Route r : cluster.registeredRoutes()) {
                if (!r.account().isEmpty() || r.noPool || (!pinnedBefore && r.poolIdx != slot)) {
                    continue;
                }
                dropInterest(r, account);
                lines.computeIfAbsent(r, k -> new java.util.ArrayList<>())
                        .add(infoLine(current.announcedPoolSize(), account, id));
                sent++;
            }
        }
        if (sent == 0) {
            return;
        }
        CountDownLatch latch = new CountDownLatch(sent);
        answers = latch;
        requestId = id;
        lines.forEach((route, protos) -> protos.forEach(route::sendLine));
        try {
            if (!latch.await(ANSWER_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                cluster.log().log(System.Logger.Level.WARNING,
                        "Timed out waiting for confirmation from all routes regarding per-account routes changes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            requestId = "";
            answers = null;
        }
    }

    /**
     * An INFO with {@code route_acc_add_reqid} on an established route: a peer pins an account (it names one), or
     * a peer's answer to this server's announcement (it names none).
     */
    void onInfo(Route route, RemoteInfo info) {
        String account = info.routeAccount();
        if (account.isEmpty()) {
            CountDownLatch latch = answers;
            if (latch != null && info.routeAccReqId().equals(requestId)) {
                latch.countDown();
            }
            return;
        }
        if (!cluster.isPinned(account)) {
            pinnedByPeers.add(account);
        }
        // The account's interest comes again over its own routes: what the pooled ones brought goes.
        for (Route r : cluster.registeredRoutes()) {
            if (r.account().isEmpty() && !r.noPool) {
                dropInterest(r, account);
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>(info.json());
        answer.remove("route_account");
        JsonWriter json = new JsonWriter();
        json.value(answer);
        route.sendLine(("INFO " + json + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A peer refused this server's route for {@code account} ("No route for account"): when the account was pinned
     * only at a peer's request, that peer unpinned it (its reload), so it goes back to the pool here too and its
     * interest is sent over the pooled connection that carries it. Accounts this server's configuration pins stay.
     *
     * @return whether the account was unpinned
     */
    boolean refusedByPeer(String account) {
        if (!pinnedByPeers.remove(account)) {
            return false;
        }
        dialledToOthers.remove(account);
        cluster.log().log(System.Logger.Level.INFO, "Account \"{0}\" no longer has routes of its own: a peer unpinned it",
                account);
        cluster.replayInterest((a, subject, queue, weight) -> {
            if (a.equals(account)) {
                for (Route r : cluster.registeredRoutes()) {
                    if (r.account().isEmpty() && r.carries(a)) {
                        r.sendInterest(a, subject, queue, weight);
                    }
                }
            }
        });
        return true;
    }

    /**
     * An account's own route to a peer registered: interest for the account that the peer's pooled connections
     * still brought (sent in the moment before the peer switched, Go's transitioning state) goes, so no message
     * of the account goes to the peer twice.
     */
    void registered(Route dedicated) {
        String peer = dedicated.handshake.remoteId();
        String account = dedicated.account();
        for (Route r : cluster.registeredRoutes()) {
            if (r.account().isEmpty() && !r.noPool && peer.equals(r.handshake.remoteId())) {
                dropInterest(r, account);
            }
        }
        if (pinnedByPeers.contains(account) && dialledToOthers.add(account)) {
            dialOtherPeers(account, peer);
        }
    }

    /**
     * The server that pinned the account dials every peer once they all answered; the peers it told dial each
     * other (once the first route of the account registered here, so they all pinned it by then).
     */
    private void dialOtherPeers(String account, String except) {
        Set<String> done = new java.util.HashSet<>(Set.of(except));
        for (Route r : cluster.registeredRoutes()) {
            RouteUrl url = r.handshake.url();
            String peer = r.handshake.remoteId();
            if (!r.account().isEmpty() || r.noPool || url == null || !done.add(peer)
                    || cluster.hasAccountRoute(peer, account)) {
                continue;
            }
            cluster.solicitRoute(url, false, account);
        }
    }

    private static void dropInterest(Route route, String account) {
        for (RemoteInterest i : route.interest()) {
            if (i.account().equals(account)) {
                route.dropInterest(i);
            }
        }
    }

    /** Go's INFO of a per-account route change: only the pool size, the account and the request id. */
    private static byte[] infoLine(int poolSize, String account, String id) {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (poolSize > 0) {
            fields.put("route_pool_size", poolSize);
        }
        fields.put("route_account", account);
        fields.put("route_acc_add_reqid", id);
        return RouteInfoWriter.infoLine(fields);
    }
}
