package nats.websocket.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Close frames as Go builds them (wsCreateCloseMessage, wsEnqueueCloseMessage, wsIsValidCloseStatus). */
class CloseStatusTest {

    @Test
    void aLongReasonIsCutWithDotsToFitAControlFrame() {
        byte[] p = CloseStatus.payload(1008, "r".repeat(200));
        assertEquals(125, p.length, "status and reason must fit the 125 bytes of a control frame");
        assertEquals("r".repeat(120) + "...", new String(p, 2, p.length - 2, StandardCharsets.UTF_8),
                "Go keeps 120 bytes and adds '...'");
        assertEquals(1008, ((p[0] & 0xff) << 8) | (p[1] & 0xff), "status first, in network order");
        assertEquals(2 + 123, CloseStatus.payload(1000, "s".repeat(123)).length, "123 bytes fit as they are");
    }

    @Test
    void goMapsCloseReasonsToStatuses() {
        assertEquals(1000, CloseStatus.forReason("Client Closed"), "a client's own close");
        assertEquals(1008, CloseStatus.forReason("Authentication Failure"), "auth is a policy violation");
        assertEquals(1008, CloseStatus.forReason("Maximum Connections Exceeded"), "limits too");
        assertEquals(1002, CloseStatus.forReason("Protocol Violation"), "protocol errors");
        assertEquals(1009, CloseStatus.forReason("Maximum Message Payload Exceeded"), "too big");
        assertEquals(1001, CloseStatus.forReason("Server Shutdown"), "going away");
        assertEquals(1001, CloseStatus.forReason("Stale Connection"), "1006 may not be sent: going away (Go 2.10+)");
        assertEquals(1011, CloseStatus.forReason("Something Else"), "anything else is an internal error");
    }

    @Test
    void statusesAPeerMaySend() {
        for (int ok : new int[] {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4999}) {
            assertTrue(CloseStatus.isValid(ok), ok + " may be sent");
        }
        for (int bad : new int[] {0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535}) {
            assertFalse(CloseStatus.isValid(bad), bad + " may not be sent");
        }
    }
}
