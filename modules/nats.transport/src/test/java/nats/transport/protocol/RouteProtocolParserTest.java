package nats.transport.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The route protocol as Go 2.9 writes it, read whole and split at every byte. */
class RouteProtocolParserTest {

    /** Records every operation as a line of text. */
    static final class Recorder implements RouteProtocolHandler {
        final List<String> ops = new ArrayList<>();

        @Override
        public void onInfo(byte[] buf, int off, int len) {
            ops.add("INFO " + text(buf, off, len));
        }

        @Override
        public void onConnect(byte[] buf, int off, int len) {
            ops.add("CONNECT " + text(buf, off, len));
        }

        @Override
        public void onPing() {
            ops.add("PING");
        }

        @Override
        public void onPong() {
            ops.add("PONG");
        }

        @Override
        public void onError(byte[] buf, int off, int len) {
            ops.add("ERR " + text(buf, off, len));
        }

        @Override
        public void onSubscribe(byte[] buf, int off, int len) {
            ops.add("SUB " + text(buf, off, len));
        }

        @Override
        public void onUnsubscribe(byte[] buf, int off, int len) {
            ops.add("UNSUB " + text(buf, off, len));
        }

        @Override
        public void onOriginSubscribe(byte[] buf, int off, int len) {
            ops.add("LSUB " + text(buf, off, len));
        }

        @Override
        public void onMessage(RoutedMessageArgs a, byte[] buf, int off, int len) {
            if (a.originLength() > 0) {
                ops.add("ORIGIN " + a.origin());
            }
            String reply = a.replyLength() == 0 ? "-" : text(a.buffer(), a.replyOffset(), a.replyLength());
            String queues = a.queuesLength() == 0 ? "-" : text(a.buffer(), a.queuesOffset(), a.queuesLength());
            ops.add("MSG " + a.account() + " " + a.subject() + " " + reply + " [" + queues + "] " + a.headerSize()
                    + " " + a.totalSize() + " " + text(buf, off, len));
        }

        static String text(byte[] buf, int off, int len) {
            return new String(buf, off, len, StandardCharsets.UTF_8);
        }
    }

    // Each frame as Go's route code writes it.
    private static final String STREAM = ""
            + "INFO {\"server_id\":\"S1\",\"cluster\":\"c\"}\r\n"   // route INFO
            + "CONNECT {\"name\":\"S1\"}\r\n"                         // route CONNECT
            + "PING\r\n" + "pong\r\n" + "+OK\r\n"
            + "RS+ $G foo\r\n"                                         // plain interest
            + "RS+ $G foo q 3\r\n"                                     // queue interest, weight 3
            + "RS- $G foo q\r\n"
            + "RMSG $G foo 5\r\nhello\r\n"                             // account subject size
            + "RMSG $G foo _INBOX.1 2\r\nhi\r\n"                       // with reply
            + "RMSG $G foo + _INBOX.2 q1 q2 3\r\nabc\r\n"              // reply and queue groups
            + "RMSG $G foo | q1 0\r\n\r\n"                             // queue group, no reply, empty
            + "HMSG $G foo 12 14\r\nNATS/1.0\r\n\r\nhi\r\n"            // headers: hdr size, total size
            + "HMSG $G foo + r q 12 12\r\nNATS/1.0\r\n\r\n\r\n"
            + "-ERR 'Authorization Violation'\r\n";

    private static final List<String> EXPECTED = List.of(
            "INFO {\"server_id\":\"S1\",\"cluster\":\"c\"}",
            "CONNECT {\"name\":\"S1\"}",
            "PING", "PONG",
            "SUB $G foo", "SUB $G foo q 3", "UNSUB $G foo q",
            "MSG $G foo - [-] -1 5 hello",
            "MSG $G foo _INBOX.1 [-] -1 2 hi",
            "MSG $G foo _INBOX.2 [q1 q2] -1 3 abc",
            "MSG $G foo - [q1] -1 0 ",
            "MSG $G foo - [-] 12 14 NATS/1.0\r\n\r\nhi",
            "MSG $G foo r [q] 12 12 NATS/1.0\r\n\r\n",
            "ERR 'Authorization Violation'");

    @Test
    void readsEveryOperationInOneRead() throws Exception {
        Recorder r = new Recorder();
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        new RouteProtocolParser(r).parse(bytes, 0, bytes.length);
        assertEquals(EXPECTED, r.ops, "operations in order");
    }

    @Test
    void readsTheSameWhenSplitAtEveryByte() throws Exception {
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        for (int cut = 1; cut < bytes.length; cut++) {
            Recorder r = new Recorder();
            RouteProtocolParser parser = new RouteProtocolParser(r);
            // The second read reuses the first's buffer, as a read loop does.
            byte[] buffer = new byte[bytes.length];
            System.arraycopy(bytes, 0, buffer, 0, cut);
            parser.parse(buffer, 0, cut);
            java.util.Arrays.fill(buffer, (byte) 'x');
            System.arraycopy(bytes, cut, buffer, 0, bytes.length - cut);
            parser.parse(buffer, 0, bytes.length - cut);
            assertEquals(EXPECTED, r.ops, "split at " + cut);
        }
    }

    @Test
    void readsOneByteAtATime() throws Exception {
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        Recorder r = new Recorder();
        RouteProtocolParser parser = new RouteProtocolParser(r);
        byte[] one = new byte[1];
        for (byte b : bytes) {
            one[0] = b;
            parser.parse(one, 0, 1);
        }
        assertEquals(EXPECTED, r.ops, "byte by byte");
    }

    /** Go 2.9's leafnode origin cluster on routes (lnoc): LS+ names it, LS- does not, LMSG always has a header size. */
    @Test
    void readsLeafnodeOriginOperations() throws Exception {
        String stream = "LS+ S $G foo\r\n"                          // origin account subject
                + "LS+ S $G foo q 2\r\n"                             // with queue and weight
                + "LS- $G foo q\r\n"                                 // no origin: as RS-
                + "LMSG S $G foo 0 5\r\nhello\r\n"                  // origin account subject hdr size
                + "LMSG S $G foo + r q 12 14\r\nNATS/1.0\r\n\r\nhi\r\n"
                + "RMSG $G foo 1\r\nx\r\n";                          // no origin after an LMSG
        Recorder r = new Recorder();
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        new RouteProtocolParser(r).parse(bytes, 0, bytes.length);
        assertEquals(List.of("LSUB S $G foo", "LSUB S $G foo q 2", "UNSUB $G foo q",
                "ORIGIN S", "MSG $G foo - [-] 0 5 hello",
                "ORIGIN S", "MSG $G foo r [q] 12 14 NATS/1.0\r\n\r\nhi",
                "MSG $G foo - [-] -1 1 x"), r.ops, "LS+, LS- and LMSG as a Go route sends them to a peer with lnoc");
        byte[] bad = "LMSG S $G foo 5\r\n".getBytes(StandardCharsets.UTF_8);
        assertThrows(ProtocolException.class, () -> new RouteProtocolParser(new Recorder()).parse(bad, 0, bad.length),
                "an LMSG without its header size is refused (Go's processRoutedOriginClusterMsgArgs)");
    }

    @Test
    void refusesMalformedMessagesAndUnknownOperations() {
        for (String bad : List.of("RMSG $G\r\n", "RMSG $G foo x 1 2 3\r\n", "HMSG $G foo 5 3\r\n",
                "RMSG $G foo -1\r\n", "BOGUS\r\n", "RMSG $G foo 2\r\nabc\r\n")) {
            byte[] bytes = bad.getBytes(StandardCharsets.UTF_8);
            assertThrows(ProtocolException.class, () -> new RouteProtocolParser(new Recorder()).parse(bytes, 0,
                    bytes.length), "refused: " + bad.trim());
        }
    }
}
