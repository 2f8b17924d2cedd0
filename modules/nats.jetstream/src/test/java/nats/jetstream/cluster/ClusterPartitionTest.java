package nats.jetstream.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import nats.transport.json.Json;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clustered JetStream under network partitions between server processes (issue 17): three servers dial each other
 * only through a {@link RouteProxy}, which drops what one server sends another on command, one way or both, while
 * the connections stay open. An R3 file stream takes two jnats asynchronous publishers, one on a server that stays
 * connected and one on the stream leader's own server (the one that would see an acknowledgement given without a
 * quorum). After the partition heals every replica, made leader in turn, must serve exactly the acknowledged
 * messages at their acknowledged sequences, all alike, and no sequence may have been acknowledged twice.
 */
@Tag("slow")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClusterPartitionTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String STREAM = "P";

    @TempDir
    Path dir;

    /**
     * The leader's outbound traffic is dropped, its inbound kept: the followers hear nothing from it, elect one of
     * them, and the old leader, hearing their votes, follows. It acknowledges nothing meanwhile (nothing it proposes
     * can reach a quorum), and after the heal it takes the new leader's log.
     */
    @Test
    void leaderOutboundCut() throws Exception {
        new Scenario(dir).run((s, leader, followers) -> {
            long term = s.streamMember(leader).term();
            for (String f : followers) {
                s.proxy.cut(leader, f);
            }
            s.markCut();
            String next = s.awaitLeaderOtherThan(leader);
            assertTrue(followers.contains(next), next);
            s.awaitNotLeading(leader);
            // It hears the others (its inbound is kept): it takes the new leader's term while still cut.
            s.awaitMember(leader, m -> m.term() > term, "in a term after " + term);
            s.bystander.awaitAcked(s.bystander.ackedCount() + 300, WAIT);
            s.assertNoAckFromCutLeader();
            s.proxy.heal();
        }, "leader's outbound cut");
    }

    /**
     * The other way round: the leader's inbound is dropped, its outbound kept. The followers hear its heartbeats
     * but it hears no acknowledgement: nothing commits, its quorum check steps it down, and the followers elect one
     * of them; its own pre-votes get no answer, so it cannot win or raise the term.
     */
    @Test
    void leaderInboundCut() throws Exception {
        new Scenario(dir).run((s, leader, followers) -> {
            for (String f : followers) {
                s.proxy.cut(f, leader);
            }
            s.markCut();
            String next = s.awaitLeaderOtherThan(leader);
            assertTrue(followers.contains(next), next);
            s.awaitNotLeading(leader);
            s.bystander.awaitAcked(s.bystander.ackedCount() + 300, WAIT);
            s.assertNoAckFromCutLeader();
            s.proxy.heal();
        }, "leader's inbound cut");
    }

    /**
     * Both directions between the leader and the others are dropped: the leader, without a quorum, steps down
     * (quorum check) instead of claiming leadership forever, the others elect a leader and go on, and after the heal
     * the old leader follows it.
     */
    @Test
    void leaderIsolatedThenHealed() throws Exception {
        new Scenario(dir).run((s, leader, followers) -> {
            long term = s.streamMember(leader).term();
            s.proxy.isolate(leader, followers);
            s.markCut();
            String next = s.awaitLeaderOtherThan(leader);
            assertTrue(followers.contains(next), next);
            s.awaitNotLeading(leader);
            // It hears nobody: its pre-votes get no answer, so it does not raise its term while cut off.
            assertEquals(term, s.streamMember(leader).term(), leader + "'s term while isolated");
            s.bystander.awaitAcked(s.bystander.ackedCount() + 300, WAIT);
            s.assertNoAckFromCutLeader();
            s.proxy.heal();
        }, "leader isolated");
    }

    /**
     * A follower's outbound traffic is dropped (its acknowledgements of appends get lost): the leader commits with
     * the other follower. Then the same follower's inbound traffic is dropped instead (it hears no leader but can
     * still ask for votes): pre-votes keep it from deposing a leader the others hear, so the term stays. Both
     * times it catches up after the heal.
     */
    @Test
    void followerCutOneWayEachWay() throws Exception {
        new Scenario(dir).run((s, leader, followers) -> {
            String follower = followers.getFirst();
            List<String> others = JsCluster3.NAMES.stream().filter(n -> !n.equals(follower)).toList();
            long term = s.streamMember(leader).term();
            for (String o : others) {
                s.proxy.cut(follower, o);
            }
            int before = s.bystander.ackedCount();
            Thread.sleep(4_000);
            s.proxy.heal();
            assertTrue(s.bystander.ackedCount() > before + 500, "acknowledged while " + follower
                    + " could not answer: " + (s.bystander.ackedCount() - before));
            ReplicaContents.awaitCurrent(s.jsm, STREAM, WAIT);
            for (String o : others) {
                s.proxy.cut(o, follower);
            }
            before = s.bystander.ackedCount();
            Thread.sleep(4_000); // past two election timeouts of the cut follower
            Member now = s.streamMember(leader);
            s.proxy.heal();
            assertTrue(s.bystander.ackedCount() > before + 500, "acknowledged while " + follower
                    + " heard nothing: " + (s.bystander.ackedCount() - before));
            assertEquals("LEADER", now.state(), leader + " still leads");
            assertEquals(term, now.term(), "the cut follower's elections did not move the term");
        }, "follower cut one way, then the other");
    }

    @FunctionalInterface
    interface Fault {
        void inject(Scenario s, String leader, List<String> followers) throws Exception;
    }

    /** A stream's group as one server's {@code /raftz} shows its member. */
    record Member(String state, long term) {
    }

    /** Three servers behind the proxy, the stream, the two publishers, and the checks after the fault. */
    static final class Scenario {

        final Path dir;
        /** The bystander's publishes per second (the other publisher's a quarter of it). */
        final int rate;
        RouteProxy proxy;
        JsProcesses3 cluster;
        JetStreamManagement jsm;
        AckedPublisher bystander;
        AckedPublisher onLeader;
        int onLeaderAtCut;

        Scenario(Path dir) {
            this(dir, 400);
        }

        Scenario(Path dir, int rate) {
            this.dir = dir;
            this.rate = rate;
        }

        void run(Fault fault, String what) throws Exception {
            try (JsProcesses3 c = new JsProcesses3(dir)) {
                cluster = c;
                proxy = c.throughProxy();
                c.startAll();
                c.awaitMetaLeader();
                try (Connection admin = c.connect()) {
                    admin.jetStreamManagement().addStream(StreamConfiguration.builder().name(STREAM).subjects("p")
                            .replicas(3).storageType(StorageType.File).build());
                }
                String leader;
                try (Connection admin = c.connect()) {
                    leader = StreamLeaders.await(admin.jetStreamManagement(), STREAM, WAIT);
                }
                List<String> followers = JsCluster3.NAMES.stream().filter(n -> !n.equals(leader)).toList();
                try (Connection nc = c.connect(followers.getLast());
                     Connection leaderClient = c.connect(leader);
                     AckedPublisher b = new AckedPublisher(nc, "p", "b-", 64, rate, rate * 100);
                     AckedPublisher l = new AckedPublisher(leaderClient, "p", "l-", 16, rate / 4,
                             rate * 25)) {
                    bystander = b;
                    onLeader = l;
                    jsm = nc.jetStreamManagement();
                    try {
                        b.awaitAcked(rate, WAIT);
                        l.awaitAcked(rate / 4, WAIT);
                        assertEquals(leader, StreamLeaders.await(jsm, STREAM, WAIT), "the leader before the fault");
                        fault.inject(this, leader, followers);
                        b.awaitAcked(b.ackedCount() + rate / 2, WAIT); // after the heal
                        b.finish(WAIT);
                        l.finish(WAIT);
                        verify(nc, what);
                    } catch (AssertionError | Exception e) {
                        printState();
                        throw e;
                    }
                }
            }
        }

        private void verify(Connection nc, String what) throws Exception {
            assertEquals(List.of(), bystander.violations(), "acknowledgements after " + what);
            assertEquals(List.of(), onLeader.violations(), "acknowledgements after " + what);
            Map<Long, String> acked = new TreeMap<>(bystander.acked());
            for (Map.Entry<Long, String> e : onLeader.acked().entrySet()) {
                String other = acked.putIfAbsent(e.getKey(), e.getValue());
                assertEquals(null, other, "sequence " + e.getKey() + " acknowledged for " + other + " and for "
                        + e.getValue());
            }
            ReplicaContents.awaitCurrent(jsm, STREAM, WAIT);
            System.out.println("ClusterPartitionTest: " + what + ": " + acked.size() + " acknowledged, "
                    + (bystander.retries() + onLeader.retries()) + " republished");
            ReplicaContents.check(nc, jsm, STREAM, JsCluster3.NAMES, acked, WAIT);
        }

        /**
         * Notes what the publisher on the leader's server has acknowledged a second after the cut (what was
         * committed before it may be acknowledged a moment later): nothing more until the heal.
         */
        void markCut() throws InterruptedException {
            Thread.sleep(1_000);
            onLeaderAtCut = onLeader.ackedCount();
        }

        /** What each server's stream member says and its log's last lines, for a failure's report. */
        private void printState() {
            for (String n : JsCluster3.NAMES) {
                try {
                    String log = cluster.log(n);
                    System.out.println("--- " + n + ": " + streamMember(n) + "\n"
                            + log.substring(Math.max(0, log.length() - 6000)));
                } catch (Exception | AssertionError e) {
                    System.out.println("--- " + n + ": " + e);
                }
            }
        }

        /** The publisher on the cut leader's server got no acknowledgement while the leader had no quorum. */
        void assertNoAckFromCutLeader() {
            assertEquals(onLeaderAtCut, onLeader.ackedCount(), "acknowledgements through the cut-off leader's server");
        }

        String awaitLeaderOtherThan(String old) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            String seen = "";
            while (System.nanoTime() < deadline) {
                seen = StreamLeaders.leaderOrEmpty(jsm, STREAM);
                if (!seen.isEmpty() && !seen.equals(old)) {
                    return seen;
                }
                Thread.sleep(100);
            }
            throw new AssertionError("no leader other than " + old + " within " + WAIT + " (last seen: " + seen + ")");
        }

        /** Waits until {@code name}'s own member of the stream's group no longer says it leads. */
        void awaitNotLeading(String name) throws Exception {
            awaitMember(name, m -> !m.state().equals("LEADER"), "not leading (10 s after it was cut off)");
        }

        /** Waits up to 10 s until {@code name}'s member of the stream's group is {@code wanted}. */
        void awaitMember(String name, java.util.function.Predicate<Member> wanted, String what) throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            Member m = streamMember(name);
            while (!wanted.test(m)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(name + " is not " + what + ": " + m);
                }
                Thread.sleep(100);
                m = streamMember(name);
            }
        }

        @SuppressWarnings("unchecked")
        Member streamMember(String name) throws Exception {
            Map<String, Object> doc = Json.parseObject(cluster.monitor(name, "/raftz"));
            Map<String, Object> groups = (Map<String, Object>) doc.getOrDefault("$SYS", Map.of());
            for (Map.Entry<String, Object> g : groups.entrySet()) {
                if (g.getKey().startsWith("S-")) {
                    Map<String, Object> m = (Map<String, Object>) g.getValue();
                    return new Member(String.valueOf(m.get("state")), ((Number) m.get("term")).longValue());
                }
            }
            throw new AssertionError(name + " runs no member of the stream's group: " + doc);
        }
    }
}
