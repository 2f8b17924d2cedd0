package nats.raft.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import nats.raft.Member;
import nats.raft.RaftState;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Membership changes one at a time, through the simulation, then faults, then the usual end checks. */
class MembershipSimulationTest {

    private static final Simulation.Faults MILD = new Simulation.Faults(0.03, 0.02, 15, 0.0002, 0.001, 0.0003, 0.0, 0.3, 0.0001);

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void observerJoinsIsPromotedAndAVoterLeaves(long seed) {
        Simulation sim = new Simulation(seed, 3, MILD);
        sim.run(2_000);
        sim.changeMembers(m -> m.with(Member.observer("n4")), 10_000);
        sim.run(1_000);
        sim.heal(20_000);
        assertEquals(RaftState.OBSERVER, sim.core("n4").role(), "expected n4 to follow as an observer");
        assertEquals(sim.leader().commit, sim.core("n4").applied, "expected the observer to have applied everything");

        sim.changeMembers(m -> m.with(Member.voter("n4")), 10_000);
        assertTrue(sim.leader().membership().isVoter("n4"), "expected n4 promoted to voter");
        sim.run(2_000);
        sim.heal(20_000);

        RaftCore leader = sim.leader();
        assertNotNull(leader, "expected a leader after healing");
        String leaving = leader.id(); // the hardest case: the leader removes itself
        sim.changeMembers(m -> m.without(leaving), 10_000);
        sim.retire(leaving);
        sim.run(2_000);
        sim.heal(20_000);
        assertEquals(3, sim.leader().membership().voters().size(), "expected three voters after the removal");
        assertTrue(sim.leader().membership().find(leaving).isEmpty(), "expected " + leaving + " removed");
    }
}
