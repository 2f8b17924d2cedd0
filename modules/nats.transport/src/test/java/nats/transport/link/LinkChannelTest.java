package nats.transport.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import nats.api.messaging.MessageOrigin;
import nats.api.net.Connection;
import nats.transport.protocol.ProtocolException;
import nats.transport.protocol.ReceivedLinkMessage;
import nats.transport.protocol.RouteProtocolHandler;
import nats.transport.protocol.RouteProtocolParser;
import nats.transport.protocol.RoutedMessageArgs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The shared link plumbing: message frames as Go writes them, lines out, and the closes Go makes. */
@Timeout(10)
class LinkChannelTest {

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final List<String> closes = new CopyOnWriteArrayList<>();
    private final Capture socket = new Capture();

    @AfterEach
    void stop() {
        timers.shutdownNow();
    }

    /** A connection that keeps what is written. */
    static final class Capture implements Connection {
        final ByteArrayOutputStream written = new ByteArrayOutputStream();

        @Override
        public int read(ByteBuffer dst) {
            return -1;
        }

        @Override
        public synchronized void write(ByteBuffer src) {
            byte[] b = new byte[src.remaining()];
            src.get(b);
            written.writeBytes(b);
        }

        @Override
        public void close() {
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return new InetSocketAddress("127.0.0.1", 4248);
        }

        @Override
        public InetSocketAddress localAddress() {
            return new InetSocketAddress("127.0.0.1", 6222);
        }

        synchronized String text() {
            return written.toString(StandardCharsets.UTF_8);
        }
    }

    /** Parses frames and sends each message on again through the channel, as a link forwards what it got. */
    private class Relay implements RouteProtocolHandler {
        LinkChannel channel;
        final boolean leaf;
        final boolean headers;
        final byte[] replyPrefix;
        final ReceivedLinkMessage m = new ReceivedLinkMessage(MessageOrigin.ROUTE);

        Relay(boolean leaf, boolean headers, byte[] replyPrefix) {
            this.leaf = leaf;
            this.headers = headers;
            this.replyPrefix = replyPrefix;
        }

        /** Sends each message on as an LMSG naming the origin it came with (Go's leafnode origin). */
        boolean keepOrigin;

        @Override
        public void onMessage(RoutedMessageArgs args, byte[] buf, int off, int len) {
            String account = leaf ? "ACC" : channel.account(args);
            m.wrap(args, buf, off, len, account);
            if (keepOrigin) {
                assertTrue(channel.sendOriginMessage(m, args.origin(), account), "accepted");
                return;
            }
            assertTrue(channel.sendMessage(m, leaf ? null : account, replyPrefix, m.dataArray(), m.dataOffset(),
                    m.headerLength(), m.dataLength(), headers), "accepted");
        }

        @Override
        public void onInfo(byte[] buf, int off, int len) {
        }

        @Override
        public void onConnect(byte[] buf, int off, int len) {
        }

        @Override
        public void onPing() {
        }

        @Override
        public void onPong() {
        }

        @Override
        public void onError(byte[] buf, int off, int len) {
        }

        @Override
        public void onSubscribe(byte[] buf, int off, int len) {
        }

        @Override
        public void onUnsubscribe(byte[] buf, int off, int len) {
        }
    }

    private static final System.Logger LOG = System.getLogger(LinkChannelTest.class.getName());

    private LinkChannel channel(long maxPending) {
        return new LinkChannel(socket, new RouteProtocolParser(new Relay(false, true, new byte[0])), maxPending,
                timers, LOG, closes::add);
    }

    private String relay(String frames, boolean leaf, boolean headers, String replyPrefix) throws Exception {
        Relay relay = new Relay(leaf, headers, replyPrefix.getBytes(StandardCharsets.US_ASCII));
        RouteProtocolParser parser = leaf ? RouteProtocolParser.forLeafNodes(relay) : new RouteProtocolParser(relay);
        LinkChannel channel = new LinkChannel(socket, parser, 1 << 20, timers, LOG, closes::add);
        relay.channel = channel;
        byte[] bytes = frames.getBytes(StandardCharsets.UTF_8);
        channel.read(bytes, 0, bytes.length);
        channel.flush();
        return socket.text();
    }

    @Test
    void writesRouteFramesAsGoDoes() throws Exception {
        String frames = "RMSG $G foo 5\r\nhello\r\n"          // account subject size
                + "RMSG $G foo _INBOX.1 2\r\nhi\r\n"          // with reply
                + "RMSG ACC foo + _INBOX.2 q1 q2 3\r\nabc\r\n" // reply and queue groups, another account
                + "RMSG $G foo | q1 0\r\n\r\n"                 // queue group, no reply, empty payload
                + "HMSG $G foo 12 14\r\nNATS/1.0\r\n\r\nhi\r\n" // header size, total size
                + "HMSG $G foo + r q 12 12\r\nNATS/1.0\r\n\r\n\r\n";
        assertEquals(frames, relay(frames, false, true, ""), "every frame written again byte for byte");
    }

    @Test
    void dropsHeadersForAPeerThatTakesNone() throws Exception {
        assertEquals("RMSG $G foo + r q 2\r\nhi\r\n",
                relay("HMSG $G foo + r q 12 14\r\nNATS/1.0\r\n\r\nhi\r\n", false, false, ""),
                "the header block is dropped and the frame becomes RMSG");
    }

    @Test
    void writesLeafFramesWithoutTheAccount() throws Exception {
        String frames = "LMSG foo r 2\r\nhi\r\n" + "LMSG foo | q 1\r\nx\r\n" + "HMSG foo 12 12\r\nNATS/1.0\r\n\r\n\r\n";
        assertEquals(frames, relay(frames, true, true, ""), "LMSG and HMSG as Go's leaf connections write them");
    }

    /** Go's msgHeaderForRouteOrLeaf with lnoc: {@code LMSG origin account subject ... hdr size}, hdr 0 without headers. */
    @Test
    void writesOriginClusterFramesAsGoDoes() throws Exception {
        String frames = "LMSG S $G foo 0 5\r\nhello\r\n"                       // origin account subject hdr size
                + "LMSG S $G foo _INBOX.1 0 2\r\nhi\r\n"                      // with reply
                + "LMSG S $G foo + r q1 q2 0 1\r\nx\r\n"                      // reply and queue groups
                + "LMSG S $G foo | q 12 14\r\nNATS/1.0\r\n\r\nhi\r\n";         // queue group, headers
        Relay relay = new Relay(false, true, new byte[0]);
        relay.keepOrigin = true;
        LinkChannel channel = new LinkChannel(socket, new RouteProtocolParser(relay), 1 << 20, timers, LOG,
                closes::add);
        relay.channel = channel;
        byte[] bytes = frames.getBytes(StandardCharsets.UTF_8);
        channel.read(bytes, 0, bytes.length);
        channel.flush();
        assertEquals(frames, socket.text(), "LMSG with the origin cluster, read and written as Go's routes do");
    }

    @Test
    void putsAReplyPrefixBeforeTheReply() throws Exception {
        assertEquals("RMSG $G foo + _GR_.abc.def.r q 1\r\nx\r\n" + "RMSG $G bar 1\r\ny\r\n",
                relay("RMSG $G foo + r q 1\r\nx\r\nRMSG $G bar 1\r\ny\r\n", false, true, "_GR_.abc.def."),
                "the prefix goes before a reply, and nowhere without one");
    }

    @Test
    void countsWhatItReadsAndWrites() throws Exception {
        Relay relay = new Relay(false, true, new byte[0]) {
            @Override
            public void onMessage(RoutedMessageArgs args, byte[] buf, int off, int len) {
                channel.received(len);
                super.onMessage(args, buf, off, len);
            }
        };
        LinkChannel channel = new LinkChannel(socket, new RouteProtocolParser(relay), 1 << 20, timers, LOG, closes::add);
        relay.channel = channel;
        byte[] bytes = "RMSG $G a 3\r\nabc\r\nRMSG $G b 2\r\nde\r\n".getBytes(StandardCharsets.UTF_8);
        channel.read(bytes, 0, bytes.length);
        assertEquals(2, channel.inMsgs(), "messages in");
        assertEquals(5, channel.inBytes(), "payload bytes in");
        assertEquals(2, channel.outMsgs(), "messages out");
        assertEquals(5, channel.outBytes(), "payload bytes out");
        assertEquals("127.0.0.1:4248", channel.remoteAddress(), "the peer's address");
    }

    @Test
    void closesASlowConsumerWhenThePendingLimitIsPassed() {
        LinkChannel channel = channel(64);
        channel.sendLine(new byte[40]);
        channel.sendLine(new byte[40]);
        waitFor(() -> closes.contains("Slow Consumer (Pending Bytes)"), "the owner is told of the slow consumer");
    }

    @Test
    void answersAProtocolViolationWithItsErrorAndCloses() {
        LinkChannel channel = channel(1 << 20);
        channel.readEnded(ProtocolException.fatal("Unknown Protocol Operation", "bad op"));
        channel.flush();
        assertEquals("-ERR 'Unknown Protocol Operation'\r\n", socket.text(), "Go's -ERR line");
        assertEquals(List.of("Protocol Violation"), closes, "closed as a protocol violation");
        channel.readEnded(null);
        assertEquals("Client Closed", closes.get(1), "EOF is the peer closing");
    }

    @Test
    void closesAStaleLinkAfterTooManyUnansweredPings() {
        LinkChannel channel = channel(1 << 20);
        channel.startWriter("test-writer");
        channel.startPings(1, () -> 2, () -> 20, true);
        waitFor(() -> closes.contains("Stale Connection"), "closed as stale");
        waitFor(() -> socket.text().equals("PING\r\nPING\r\n-ERR 'Stale Connection'\r\n"), "two pings, then the error");
        assertTrue(channel.close(), "the first close closes");
        assertFalse(channel.close(), "a second close does nothing");
        assertTrue(channel.isClosed(), "closed");
    }

    @Test
    void aPongAnswersThePingsAndMeasuresTheRoundTrip() {
        LinkChannel channel = channel(1 << 20);
        channel.startWriter("test-writer");
        channel.startPings(1, () -> 2, () -> 20, true);
        for (int i = 0; i < 10; i++) {
            sleep(15);
            channel.onPong();
        }
        assertTrue(closes.isEmpty(), "answered pings keep the link: " + closes);
        assertTrue(channel.rttNanos() > 0, "a round trip was measured");
        channel.close();
    }

    @Test
    void switchesToAnEncodedStreamAfterDrainingAndDecodesFromTheNextRead() throws Exception {
        LinkChannel channel = channel(1 << 20);
        channel.sendLine("INFO {}\r\n".getBytes(StandardCharsets.US_ASCII));
        channel.flush();
        assertTrue(channel.drain(1000), "drained");
        channel.encodeWritesWith(plain -> {
            byte[] b = new byte[plain.remaining() + 1];
            b[0] = '#';
            plain.get(b, 1, b.length - 1);
            return ByteBuffer.wrap(b);
        });
        channel.sendLine("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        channel.flush();
        assertEquals("INFO {}\r\n#PING\r\n", socket.text(), "what was queued before stays plain, the rest is encoded");

        List<String> decoded = new CopyOnWriteArrayList<>();
        byte[] first = "PING\r\n".getBytes(StandardCharsets.US_ASCII);
        channel.read(first, 0, first.length);
        channel.decodeReadsAfterThisRead((buf, off, len, parser) -> decoded.add(new String(buf, off, len,
                StandardCharsets.US_ASCII)));
        byte[] rest = "PONG\r\n".getBytes(StandardCharsets.US_ASCII);
        channel.read(rest, 0, rest.length);
        assertEquals(List.of("PONG\r\n"), decoded, "the read after the switch goes through the decoder");
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            sleep(5);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
