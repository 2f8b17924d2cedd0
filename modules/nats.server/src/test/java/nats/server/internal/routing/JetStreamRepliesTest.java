package nats.server.internal.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Go's {@code $JS.ACK...@<subject>} reply between servers (client.go processMsgResults, {@code remapped}). */
class JetStreamRepliesTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static RoutedMessage message(String subject, String reply) {
        RoutedMessage m = new RoutedMessage();
        m.set(b(subject), reply == null ? null : b(reply), b("x"), 0, 0, 1);
        if (reply == null) {
            m.replyLength = 0;
        }
        return m;
    }

    @Test
    void aDeliveryOnAnotherSubjectTravelsWithItInTheReply() {
        RoutedMessage m = message("_INBOX.pull.1", "$JS.ACK.S.C.1.1.1.1.0");
        m.shownSubject = b("orders.0");
        assertEquals("$JS.ACK.S.C.1.1.1.1.0@orders.0", new String(JetStreamReplies.encode(m), StandardCharsets.ISO_8859_1));
    }

    @Test
    void theReceiverShowsTheSubjectAfterTheLastAt() {
        RoutedMessage m = message("_INBOX.pull.1", "$JS.ACK.S.C.1.1.1.1.0@orders.0");
        JetStreamReplies.decode(m);
        assertEquals("orders.0", new String(m.shownSubject, StandardCharsets.ISO_8859_1), "shown subject");
        assertEquals("$JS.ACK.S.C.1.1.1.1.0", m.replyString(), "the reply without the suffix");
    }

    @Test
    void otherRepliesAreLeftAlone() {
        for (String reply : new String[] {"_INBOX.a@b", "$JS.ACK.S.C.1@", "$JS.ACK.", "$JS.ACK.S.C.1"}) {
            RoutedMessage m = message("s", reply);
            JetStreamReplies.decode(m);
            assertNull(m.shownSubject, reply + ": nothing to show");
            assertEquals(reply, m.replyString(), reply + ": kept");
        }
    }
}
