package nats.raft.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import nats.raft.RaftSubjects;
import org.junit.jupiter.api.Test;

/** The subject each frame travels on: one per kind, Go's shape with the addressed member appended. */
class RaftSubjectsTest {

    @Test
    void eachKindHasItsSubject() {
        List<Rpc> rpcs = List.of(new Rpc.VoteRequest(1, "a", 0, 0, true, false), new Rpc.VoteResponse(1, "a", true, true),
                new Rpc.Append(1, "a", 0, 0, 0, 0, 0, List.of()), new Rpc.AppendResponse(1, "a", true, 0, 0),
                new Rpc.InstallSnapshot(1, "a", 0, 0, 0, 0, new byte[0]), new Rpc.SnapshotResponse(1, "a", 0, 0, true),
                new Rpc.TimeoutNow(1, "a"));
        List<String> expected = List.of("$NRG.V.S-ORDERS.n2", "$NRG.VR.S-ORDERS.n2", "$NRG.AE.S-ORDERS.n2",
                "$NRG.AR.S-ORDERS.n2", "$NRG.IS.S-ORDERS.n2", "$NRG.SR.S-ORDERS.n2", "$NRG.TN.S-ORDERS.n2");
        for (int i = 0; i < rpcs.size(); i++) {
            assertEquals(expected.get(i), RaftSubjects.subject("S-ORDERS", "n2", RpcCodec.encode(rpcs.get(i))),
                    "expected the subject of " + rpcs.get(i).getClass().getSimpleName());
        }
        assertEquals("$NRG.*.S-ORDERS.n2", RaftSubjects.inbox("S-ORDERS", "n2"), "expected the member's inbox");
    }

    @Test
    void namesThatCannotBeTokensAreRefused() {
        byte[] frame = RpcCodec.encode(new Rpc.TimeoutNow(1, "a"));
        for (String bad : new String[] {"", "a.b", "a*", ">", "a b"}) {
            assertFalse(RaftSubjects.isValidToken(bad), "expected '" + bad + "' refused as a token");
            assertThrows(IllegalArgumentException.class, () -> RaftSubjects.subject(bad, "n1", frame),
                    "expected group '" + bad + "' refused");
        }
        assertThrows(IllegalArgumentException.class, () -> RaftSubjects.subject("g", "n1", new byte[] {42}),
                "expected a frame of an unknown kind refused");
    }
}
