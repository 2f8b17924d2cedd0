package nats.jetstream.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;

import nats.jetstream.internal.cluster.PeerSelection;
import nats.jetstream.internal.cluster.PeerSelection.Demand;
import nats.jetstream.internal.cluster.PeerSelection.Node;
import nats.jetstream.internal.cluster.PeerSelection.Placement;
import org.junit.jupiter.api.Test;

/** Storage room, {@code max_ha_assets} and the order of the eligible in Go's selectPeerGroup. */
class PeerSelectionTest {

    private static Node node(String id, long available, int haAssets) {
        return new Node(id, "c", true, Set.of(), available, haAssets);
    }

    private static final List<Node> NODES = List.of(node("small", 100, 1), node("large", 1_000, 4),
            node("medium", 500, 2));

    @Test
    void mostRoomComesFirstAndAReplicatedStreamPrefersTheFewestGroups() {
        assertEquals(List.of("large", "medium", "small"),
                PeerSelection.select(1, Placement.NONE, new Demand(0, 0, false), NODES, List.of(), "c", "").eligible());
        assertEquals(List.of("small", "medium", "large"),
                PeerSelection.select(3, Placement.NONE, new Demand(0, 0, true), NODES, List.of(), "c", "").eligible());
    }

    @Test
    void aStreamNeedsItsMaxBytesOfRoom() {
        PeerSelection.Result r = PeerSelection.select(2, Placement.NONE, new Demand(600, 0, true), NODES, List.of(),
                "c", "");
        assertEquals(List.of("large"), r.eligible());
        assertEquals("no suitable peers for placement, insufficient storage", r.error());
        assertEquals(List.of("medium", "large"), PeerSelection.select(2, Placement.NONE, new Demand(500, 0, true),
                NODES, List.of(), "c", "").eligible());
    }

    @Test
    void maxHaAssetsSkipsServersInMoreGroupsThanTheCap() {
        PeerSelection.Result r = PeerSelection.select(3, Placement.NONE, new Demand(0, 2, true), NODES, List.of(),
                "c", "");
        assertEquals(List.of("small", "medium"), r.eligible(), "the meta group counts, so 2 groups are allowed");
        assertEquals("no suitable peers for placement, miscellaneous issue", r.error());
    }
}
