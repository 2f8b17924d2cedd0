package nats.server.internal.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Go's gateway reply mapping on a client (gateway.go trackGWReply, client.go processInboundClientMsg). */
class GatewayRepliesTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void onlyAReplyLongerThanThePrefixIsRouted() {
        // _GR_. + 6-char cluster hash + . + 6-char server hash + . = 19 bytes (Go's gwSubjectOffset)
        assertEquals(19, GatewayReplies.prefixLength(b("_GR_.abcdef.ghijkl.x"), 0, 20), "one byte past the prefix");
        assertEquals(0, GatewayReplies.prefixLength(b("_GR_.abcdef.ghijkl."), 0, 19), "the prefix alone is no route");
        assertEquals(0, GatewayReplies.prefixLength(b("_INBOX.abcdefghijklmn"), 0, 21), "a plain inbox");
        assertEquals(19, GatewayReplies.prefixLength(b("xx_GR_.abcdef.ghijkl.in"), 2, 21), "at an offset");
        assertTrue(GatewayReplies.isReserved(b("_GR_.a"), 0, 6), "publishing under the prefix is reserved");
        assertFalse(GatewayReplies.isReserved(b("_GR_."), 0, 5), "the prefix alone is not (Go: len > 5)");
    }

    @Test
    void anAnswerToTheBareReplyIsSentToThePrefixedOne() {
        GatewayReplies replies = new GatewayReplies();
        assertNull(replies.routedSubject(b("in.1"), 0, 4), "nothing tracked yet");
        byte[] routed = b("_GR_.abcdef.ghijkl.in.1");
        replies.track(routed, 0, routed.length);
        assertArrayEquals(routed, replies.routedSubject(b("in.1"), 0, 4), "the bare reply maps to the routed one");
        assertNull(replies.routedSubject(b("in.2"), 0, 4), "another subject is left alone");
        byte[] later = b("_GR_.zzzzzz.yyyyyy.in.1");
        replies.track(later, 0, later.length);
        assertArrayEquals(later, replies.routedSubject(b("in.1"), 0, 4), "the latest request's route wins, as in Go");
    }
}
