package nats.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import nats.cluster.testing.GoNode;
import nats.cluster.testing.Node;
import nats.cluster.testing.Ports;
import nats.testing.Clients;
import nats.testing.Monitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our servers and Debian's Go nats-server 2.9.10 in one cluster: ours joining a Go mesh, Go joining ours, and gossip
 * through either as the seed; messages, requests and queue groups cross every pair.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MixedClusterTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    @Test
    void oursJoinsAGoMeshThroughAGoSeed() throws Exception {
        GoNode.assumeAvailable();
        try (GoNode goA = GoNode.start(dir, "GA", Ports.free(), "name: mixed", "");
             GoNode goB = GoNode.start(dir, "GB", Ports.free(), "name: mixed, routes: [\"" + goA.routeUrl() + "\"]", "");
             Node ours = Node.start(dir, "J", Ports.free(), "name: mixed, routes: [\"" + goA.routeUrl() + "\"]", "")) {
            Monitor.awaitRoutes(WAIT, 2, goA.httpPort, goB.httpPort, ours.httpPort);
            assertEquals(Stream.of(goA.serverId(), goB.serverId()).sorted().toList(), Monitor.remoteIds(ours.httpPort),
                    "ours learned GB from the Go seed");
            exercise(goA.clientUrl(), goB.clientUrl(), ours.clientUrl(), goA.httpPort);
            assertNoErrors(goA);
            assertNoErrors(goB);
        }
    }

    @Test
    void goJoinsOursAndLearnsTheOthersFromOurSeed() throws Exception {
        GoNode.assumeAvailable();
        try (Node seed = Node.start(dir, "JA", Ports.free(), "name: mixed", "");
             Node ours = Node.start(dir, "JB", Ports.free(), "name: mixed, routes: [\"" + seed.routeUrl() + "\"]", "");
             GoNode go = GoNode.start(dir, "GC", Ports.free(), "name: mixed, routes: [\"" + seed.routeUrl() + "\"]", "")) {
            Monitor.awaitRoutes(WAIT, 2, seed.httpPort, ours.httpPort, go.httpPort);
            assertEquals(Stream.of(seed.serverId(), ours.serverId()).sorted().toList(), Monitor.remoteIds(go.httpPort),
                    "Go learned JB from our seed");
            exercise(go.clientUrl(), seed.clientUrl(), ours.clientUrl(), go.httpPort);
            assertNoErrors(go);
        }
    }

    @Test
    void twoOfOursLearnEachOtherThroughAGoSeed() throws Exception {
        GoNode.assumeAvailable();
        try (GoNode seed = GoNode.start(dir, "GS", Ports.free(), "name: mixed", "");
             Node b = Node.start(dir, "JB", Ports.free(), "name: mixed, routes: [\"" + seed.routeUrl() + "\"]", "");
             Node c = Node.start(dir, "JC", Ports.free(), "name: mixed, routes: [\"" + seed.routeUrl() + "\"]", "")) {
            Monitor.awaitRoutes(WAIT, 2, seed.httpPort, b.httpPort, c.httpPort);
            assertEquals(Stream.of(seed.serverId(), c.serverId()).sorted().toList(), Monitor.remoteIds(b.httpPort),
                    "JB learned JC from the Go seed");
            exercise(b.clientUrl(), seed.clientUrl(), c.clientUrl(), b.httpPort);
            assertNoErrors(seed);
        }
    }

    /**
     * Cluster {@code no_advertise} keeps a server's client URLs from clients; it does not stop route gossip, in Go
     * 2.9.10 (its processRouteInfo and forwardNewRouteInfoToKnownServers do not look at it) as here: joiners given
     * only a seed with {@code no_advertise} still learn each other from it, whichever server is the seed. (The
     * partition tests rely on this knowledge: they keep peers on their proxy with {@code advertise} instead.)
     */
    @Test
    void noAdvertiseDoesNotStopRouteGossipAsInGo() throws Exception {
        GoNode.assumeAvailable();
        try (GoNode goSeed = GoNode.start(dir, "GS", Ports.free(), "name: quiet, no_advertise: true", "");
             Node b = Node.start(dir, "JB", Ports.free(), "name: quiet, routes: [\"" + goSeed.routeUrl() + "\"]", "");
             Node c = Node.start(dir, "JC", Ports.free(), "name: quiet, routes: [\"" + goSeed.routeUrl() + "\"]", "")) {
            Monitor.awaitRoutes(WAIT, 2, goSeed.httpPort, b.httpPort, c.httpPort);
            assertEquals(Stream.of(goSeed.serverId(), c.serverId()).sorted().toList(), Monitor.remoteIds(b.httpPort),
                    "JB learned JC from the Go seed with no_advertise");
        }
        try (Node seed = Node.start(dir, "JS", Ports.free(), "name: quiet2, no_advertise: true", "");
             GoNode go = GoNode.start(dir, "GB", Ports.free(), "name: quiet2, routes: [\"" + seed.routeUrl() + "\"]", "");
             Node c = Node.start(dir, "JD", Ports.free(), "name: quiet2, routes: [\"" + seed.routeUrl() + "\"]", "")) {
            Monitor.awaitRoutes(WAIT, 2, seed.httpPort, go.httpPort, c.httpPort);
            assertEquals(Stream.of(seed.serverId(), c.serverId()).sorted().toList(), Monitor.remoteIds(go.httpPort),
                    "Go learned JD from our seed with no_advertise");
        }
    }

    /** The Go server found nothing wrong with what ours sent (it logs protocol trouble as errors). */
    private static void assertNoErrors(GoNode go) throws java.io.IOException {
        List<String> errors = go.log().lines().filter(l -> l.contains("[ERR]")).toList();
        assertEquals(List.of(), errors, "Go logged no errors");
    }

    /** Pub/sub and requests between every pair, a queue group over all three published at {@code first}. */
    private static void exercise(String first, String second, String third, int firstHttp) throws Exception {
        List<String> urls = List.of(first, second, third);
        int i = 0;
        for (String from : urls) {
            for (String to : urls) {
                if (!from.equals(to)) {
                    Clients.assertPubSub(from, to, "mix.ps." + i);
                    Clients.assertRequestReply(from, to, "mix.rr." + i);
                    i++;
                }
            }
        }
        Clients.assertBurst(first, second, "mix.burst.1", 5000, 700);
        Clients.assertBurst(second, third, "mix.burst.2", 5000, 700);
        Clients.assertBurst(third, first, "mix.burst.3", 5000, 700);
        Clients.assertQueueExactlyOnce(first, urls, 1500, () -> Monitor.await(WAIT,
                "the publisher's server knows the other servers' queue members",
                () -> Monitor.remoteQueueSubscriptions(firstHttp, "workers") == 2));
    }
}
