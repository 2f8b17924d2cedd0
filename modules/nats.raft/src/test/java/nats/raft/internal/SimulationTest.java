package nats.raft.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The deterministic simulation over many seeds: safety checked throughout, durability and liveness at the end. */
class SimulationTest {

    static LongStream quickSeeds() {
        return LongStream.rangeClosed(1, 40);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("quickSeeds")
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void threeNodesUnderFaults(long seed) {
        Simulation sim = new Simulation(seed, 3, Simulation.Faults.HARSH);
        sim.run(6_000);
        sim.heal(20_000);
        assertTrue(sim.acknowledged.size() > 0, () -> "expected some proposals acknowledged: " + sim.summary());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("quickSeeds")
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void fiveNodesUnderFaults(long seed) {
        Simulation sim = new Simulation(1000 + seed, 5, Simulation.Faults.HARSH);
        sim.run(4_000);
        sim.heal(20_000);
        assertTrue(sim.acknowledged.size() > 0, () -> "expected some proposals acknowledged: " + sim.summary());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void withoutFaultsEveryProposalIsAcknowledged() {
        Simulation sim = new Simulation(7, 3, Simulation.Faults.NONE);
        sim.run(3_000);
        sim.heal(5_000);
        assertTrue(sim.acknowledged.size() > 500, () -> "expected steady progress without faults: " + sim.summary());
    }

    @Tag("soak")
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("soakSeeds")
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void soak(long seed) {
        Simulation sim = new Simulation(seed, seed % 2 == 0 ? 3 : 5, Simulation.Faults.HARSH);
        sim.run(30_000);
        sim.heal(30_000);
    }

    static LongStream soakSeeds() {
        return LongStream.rangeClosed(10_000, 10_500);
    }
}
