package nats.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The public API on real threads and files: elections, replication, failover, transfer, membership, repair. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RaftNodeTest {

    private static final List<Member> THREE = List.of(Member.voter("n1"), Member.voter("n2"), Member.voter("n3"));

    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void proposeAll(RaftNode leader, int from, int to) throws Exception {
        List<CompletableFuture<Long>> acks = new ArrayList<>();
        for (int i = from; i < to; i++) {
            acks.add(leader.propose(bytes("m" + i)));
        }
        for (CompletableFuture<Long> ack : acks) {
            ack.get(10, TimeUnit.SECONDS);
        }
    }

    private static LocalCluster three(Path dir, long snapshotThreshold) {
        LocalCluster c = new LocalCluster(dir, snapshotThreshold);
        THREE.forEach(m -> c.start(m.id(), THREE));
        return c;
    }

    @Test
    void electsOneLeaderReplicatesAndReads() throws Exception {
        try (LocalCluster c = three(dir, 100_000)) {
            RaftNode leader = c.awaitLeader();
            proposeAll(leader, 0, 200);
            LocalCluster.await(() -> c.logs.values().stream().allMatch(l -> l.size() == 200), "200 entries everywhere");
            for (LocalCluster.Log log : c.logs.values()) {
                assertEquals("m199", new String(log.entries.get(199), StandardCharsets.UTF_8), "expected order kept");
            }
            long read = leader.readIndex().get(5, TimeUnit.SECONDS);
            assertTrue(read >= 200, "expected the read point to cover the 200 entries, got " + read);
            RaftNode follower = c.nodes.values().stream().filter(n -> n != leader).findFirst().orElseThrow();
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> follower.propose(bytes("x")).get(5, TimeUnit.SECONDS), "expected a follower to refuse");
            assertEquals(leader.id(), ((RaftException) refused.getCause()).leaderHint().orElse(""),
                    "expected the leader named in the refusal");
            LocalCluster.await(() -> follower.health() == Health.CURRENT, "the follower current");
            assertEquals(2, leader.peers().size(), "expected the leader to report two peers");
            assertTrue(leader.peers().stream().allMatch(PeerInfo::current), () -> "expected peers current: " + leader.peers());
        }
    }

    @Test
    void aNewGroupsPreferredMemberCampaignsAtOnce() throws Exception {
        // Elections after 4 to 8 s (Go's timing): without the campaign no leader could appear within 2 s.
        try (LocalCluster c = new LocalCluster(dir, 100_000, java.time.Duration.ofSeconds(4))) {
            long started = System.nanoTime();
            THREE.forEach(m -> c.start(m.id(), THREE));
            c.nodes.get("n2").campaign();
            RaftNode leader = c.awaitLeader();
            long ms = (System.nanoTime() - started) / 1_000_000;
            assertEquals("n2", leader.id(), "expected the member that campaigned to lead");
            assertTrue(ms < 2_000, "expected a leader within 2 s of the start, took " + ms + " ms");
            proposeAll(leader, 0, 10);
            long term = leader.term();
            RaftNode follower = c.nodes.get("n1");
            follower.campaign(); // it has a term now: ignored
            Thread.sleep(1_500);
            assertEquals(RaftState.LEADER, leader.state(), "expected a campaign of a member with a term ignored");
            assertEquals(term, leader.term(), "expected no new election");
        }
    }

    @Test
    void proposeAllAppendsTheBatchesInOrderOnTheLeaderOnly() throws Exception {
        try (LocalCluster c = three(dir, 100_000)) {
            RaftNode leader = c.awaitLeader();
            RaftNode follower = c.nodes.values().stream().filter(n -> n != leader).findFirst().orElseThrow();
            follower.proposeAll(List.of(bytes("from a follower")));
            for (int batch = 0; batch < 50; batch++) {
                List<byte[]> entries = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    entries.add(bytes("b" + (batch * 20 + i)));
                }
                leader.proposeAll(entries);
            }
            LocalCluster.await(() -> c.logs.values().stream().allMatch(l -> l.size() == 1000), "1000 entries everywhere");
            for (LocalCluster.Log log : c.logs.values()) {
                for (int i = 0; i < 1000; i++) {
                    assertEquals("b" + i, new String(log.entries.get(i), StandardCharsets.UTF_8),
                            "expected the batches' entries in order, the follower's proposal dropped");
                }
            }
            leader.propose(bytes("after")).get(10, TimeUnit.SECONDS);
            LocalCluster.await(() -> c.logs.values().stream().allMatch(l -> l.size() == 1001), "the later one too");
            assertEquals("after", new String(c.logs.get(leader.id()).entries.get(1000), StandardCharsets.UTF_8),
                    "expected a single proposal to follow the batches");
        }
    }

    /**
     * A fenced proposal is refused when its condition fails on the node's thread; a producer whose proposal failed
     * has its next one, submitted before it learned of the failure, refused as well, so nothing of it is committed
     * past the lost entry (a mirror's feed relies on it).
     */
    @Test
    void fencedProposalsAfterAFailedOneAreRefused() throws Exception {
        try (LocalCluster c = three(dir, 100_000)) {
            RaftNode leader = c.awaitLeader();
            leader.propose(bytes("first"), () -> true).get(10, TimeUnit.SECONDS);
            java.util.concurrent.atomic.AtomicBoolean broken = new java.util.concurrent.atomic.AtomicBoolean();
            CompletableFuture<Long> lost = leader.propose(bytes("lost"), () -> false);
            lost.whenComplete((i, e) -> broken.set(e != null));
            CompletableFuture<Long> next = leader.propose(bytes("next"), () -> !broken.get());
            assertThrows(ExecutionException.class, () -> lost.get(10, TimeUnit.SECONDS), "refused by its condition");
            assertThrows(ExecutionException.class, () -> next.get(10, TimeUnit.SECONDS),
                    "refused: the earlier one failed before it was appended");
            leader.propose(bytes("after"), () -> true).get(10, TimeUnit.SECONDS);
            LocalCluster.await(() -> c.logs.values().stream().allMatch(l -> l.size() == 2), "two entries everywhere");
            for (LocalCluster.Log log : c.logs.values()) {
                assertEquals(List.of("first", "after"), log.entries.stream()
                        .map(b -> new String(b, StandardCharsets.UTF_8)).toList());
            }
        }
    }

    @Test
    void everyRoundOfAppliedEntriesEndsWithApplied() throws Exception {
        try (LocalCluster c = three(dir, 100_000)) {
            RaftNode leader = c.awaitLeader();
            proposeAll(leader, 0, 2000);
            LocalCluster.await(() -> c.logs.values().stream().allMatch(l -> l.size() == 2000 && l.unsettled == 0),
                    "2000 entries everywhere, each round closed by applied()");
            for (LocalCluster.Log log : c.logs.values()) {
                assertTrue(log.rounds >= 1 && log.rounds < 2000,
                        "expected entries applied in rounds (group commit), got " + log.rounds + " rounds for 2000");
            }
        }
    }

    @Test
    void failoverAndRestartCatchUp() throws Exception {
        try (LocalCluster c = three(dir, 100_000)) {
            RaftNode first = c.awaitLeader();
            proposeAll(first, 0, 50);
            String old = first.id();
            c.stop(old);
            RaftNode second = c.awaitLeader();
            assertNotEquals(old, second.id(), "expected another leader");
            proposeAll(second, 50, 100);
            c.start(old, THREE);
            LocalCluster.await(() -> c.logs.get(old).size() == 100, "the restarted member to catch up");
            LocalCluster.await(() -> c.nodes.get(old).health() == Health.CURRENT, "the restarted member current");
        }
    }

    @Test
    void transferAndStepDown() throws Exception {
        try (LocalCluster c = three(dir, 100_000)) {
            RaftNode leader = c.awaitLeader();
            proposeAll(leader, 0, 10);
            String target = THREE.stream().map(Member::id).filter(id -> !id.equals(leader.id())).findFirst().orElseThrow();
            leader.transferLeadership(target).get(10, TimeUnit.SECONDS);
            LocalCluster.await(() -> c.nodes.get(target).state() == RaftState.LEADER, target + " leading");
            RaftNode next = c.nodes.get(target);
            next.stepDown().get(10, TimeUnit.SECONDS);
            LocalCluster.await(() -> c.leader().isPresent() && !c.leader().get().id().equals(target), "a new leader");
            proposeAll(c.leader().orElseThrow(), 10, 20);
        }
    }

    @Test
    void observerJoinsThenAVoterIsRemoved() throws Exception {
        try (LocalCluster c = three(dir, 100_000)) {
            RaftNode leader = c.awaitLeader();
            proposeAll(leader, 0, 20);
            c.start("n4", THREE); // joins knowing the current members only
            leader.addMember(Member.observer("n4")).get(10, TimeUnit.SECONDS);
            LocalCluster.await(() -> c.logs.get("n4").size() == 20, "the observer to receive the log");
            assertEquals(RaftState.OBSERVER, c.nodes.get("n4").state(), "expected n4 to be an observer");
            String removed = THREE.stream().map(Member::id).filter(id -> !id.equals(leader.id())).findFirst().orElseThrow();
            leader.removeMember(removed).get(10, TimeUnit.SECONDS);
            c.stop(removed);
            assertTrue(leader.members().stream().noneMatch(m -> m.id().equals(removed)), "expected " + removed + " gone");
            proposeAll(leader, 20, 30); // two voters left: both must answer
            LocalCluster.await(() -> c.logs.get("n4").size() == 30, "the observer to follow");
        }
    }

    @Test
    void laggingMemberCatchesUpBySnapshot() throws Exception {
        try (LocalCluster c = three(dir, 50)) {
            RaftNode leader = c.awaitLeader();
            String behind = THREE.stream().map(Member::id).filter(id -> !id.equals(leader.id())).findFirst().orElseThrow();
            c.stop(behind);
            proposeAll(leader, 0, 300);
            c.start(behind, THREE);
            LocalCluster.await(() -> c.logs.get(behind).size() == 300, "the member to be restored from a snapshot");
            assertEquals("m299", new String(c.logs.get(behind).entries.get(299), StandardCharsets.UTF_8),
                    "expected the last entry after the snapshot");
        }
    }

    @Test
    void damagedLogIsRepairedFromTheLeader() throws Exception {
        try (LocalCluster c = three(dir, 100_000)) {
            RaftNode leader = c.awaitLeader();
            proposeAll(leader, 0, 100);
            String victim = THREE.stream().map(Member::id).filter(id -> !id.equals(leader.id())).findFirst().orElseThrow();
            LocalCluster.await(() -> c.logs.get(victim).size() == 100, "the victim to hold everything");
            c.stop(victim);
            flipByteInTheMiddle(dir.resolve(victim));
            RaftNode back = c.start(victim, THREE);
            LocalCluster.await(() -> back.health() == Health.CURRENT && c.logs.get(victim).size() == 100,
                    "the damaged member repaired");
            for (int i = 0; i < 100; i++) {
                assertEquals("m" + i, new String(c.logs.get(victim).entries.get(i), StandardCharsets.UTF_8),
                        "expected entry " + i + " intact after the repair");
            }
        }
    }

    private static void flipByteInTheMiddle(Path memberDir) throws IOException {
        Path segment;
        try (Stream<Path> files = Files.list(memberDir)) {
            segment = files.filter(p -> p.getFileName().toString().startsWith("seg-")).sorted().findFirst().orElseThrow();
        }
        byte[] b = Files.readAllBytes(segment);
        b[b.length / 2] ^= 0x20;
        Files.write(segment, b);
    }
}
