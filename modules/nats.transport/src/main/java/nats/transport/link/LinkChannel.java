package nats.transport.link;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import javax.net.ssl.SSLSession;

import nats.api.links.LinkHandle;
import nats.api.links.LinkMessage;
import nats.api.links.LinkPublisher;
import nats.api.links.RemoteInterest;
import nats.api.net.Connection;
import nats.api.net.ConnectionReader;
import nats.transport.net.OutboundQueue;
import nats.transport.protocol.ProtocolException;
import nats.transport.protocol.RouteProtocolParser;
import nats.transport.protocol.RoutedMessageArgs;

/**
 * The plumbing of one connection between servers, which a route, a gateway and a leaf connection each own one
 * of: the writer thread draining an {@link OutboundQueue}, reads fed to the parser with the received counters,
 * protocol lines and message frames out, PING/PONG liveness with the round trip, the registration with the
 * kernel, and closing (queued output is still written, the socket closes once drained or after two seconds).
 * What the protocol means stays with the owner; the owner's close is called here for write errors, stale
 * connections and slow consumers, with Go's reasons.
 */
public final class LinkChannel {

    private static final byte[] PING = "PING\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PONG = "PONG\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NO_PREFIX = new byte[0];
    /** Largest batch a publisher's thread writes to the socket itself instead of waking the writer. */
    private static final int INLINE_LIMIT = 16 * 1024;
    private static final String SLOW_CONSUMER = "Slow Consumer (Pending Bytes)";

    private static final int READ_BUFFER = 64 * 1024;

    private final Connection connection;
    /** What the writer writes to: the connection, through the encoder once one is set. */
    private final Connection sink;
    private final RouteProtocolParser parser;
    private final OutboundQueue out;
    private final ScheduledExecutorService timers;
    private final System.Logger log;
    private final Consumer<String> owner;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Instant start = Instant.now();
    private final String remoteAddress;
    private volatile long lastActivityMillis = System.currentTimeMillis();
    private volatile LinkHandle handle;
    private volatile LinkPublisher publisher;
    private volatile int pingsOut;
    private volatile long pingSentNanos;
    private volatile long rttNanos;
    /** Counted by the reader in plain fields, published once per read for monitoring. */
    private long inMsgsCounting;
    private long inBytesCounting;
    private volatile long inMsgs;
    private volatile long inBytes;
    /** The account of the last message sent and of the last one received: links carry few accounts. */
    private volatile AccountBytes lastSent = new AccountBytes("", new byte[0]);
    private String lastReceived;
    /** Set once both sides agreed to transform the stream (route compression); null before. */
    private volatile Encoder encoder;
    private Decoder decoder;
    private volatile Decoder nextDecoder;

    /** Transforms what the writer writes, once switched on (compression). */
    public interface Encoder {
        /** The bytes to write for {@code plain} (consumed). */
        ByteBuffer encode(ByteBuffer plain) throws IOException;
    }

    /** Transforms what is read back into protocol bytes, once switched on (decompression). */
    public interface Decoder {
        /** Decodes one read, handing every complete piece of protocol to {@code parser}. */
        void decode(byte[] buffer, int offset, int length, RouteProtocolParser parser) throws ProtocolException;
    }

    /**
     * @param parser     reads what the peer sends, calling the owner back
     * @param maxPending bytes queued beyond which the link is closed as a slow consumer
     * @param timers     runs the pings, the delayed socket close and the owner's close off the caller's thread
     * @param owner      closes the owning link with a reason (it calls {@link #close()} in turn)
     */
    public LinkChannel(Connection connection, RouteProtocolParser parser, long maxPending,
                       ScheduledExecutorService timers, System.Logger log, Consumer<String> owner) {
        this.connection = connection;
        this.sink = new EncodingConnection(this::encoder, connection);
        this.parser = parser;
        this.out = new OutboundQueue(maxPending);
        this.timers = timers;
        this.log = log;
        this.owner = owner;
        InetSocketAddress a = connection.remoteAddress();
        this.remoteAddress = (a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress()) + ":"
                + a.getPort();
    }

    // ---- lifecycle ---------------------------------------------------------------------------------------

    /** Starts the writer on a platform thread of its own (links are few and carry much). */
    public void startWriter(String threadName) {
        Thread.ofPlatform().daemon().name(threadName).start(() -> {
            try {
                out.writeLoop(sink);
            } catch (IOException e) {
                owner.accept("Write Error");
            } finally {
                connection.close();
            }
        });
    }

    /** The link became a link of the kernel: from now on it holds interest and injects what it reads. */
    public LinkHandle register(LinkHandle h) {
        handle = h;
        publisher = h.publisher();
        if (isClosed()) {
            h.close();
        }
        return h;
    }

    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Closes once: the link's interest leaves the kernel, queued output is still written, and the socket closes
     * when drained (or after two seconds, for a peer that stopped reading).
     *
     * @return true for the call that closed it, false when it was closed already
     */
    public boolean close() {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        LinkHandle h = handle;
        if (h != null) {
            h.close();
        }
        out.close();
        timers.schedule(() -> connection.close(), 2, TimeUnit.SECONDS);
        return true;
    }

    // ---- reading -----------------------------------------------------------------------------------------

    /**
     * Parses the bytes of one read (nothing once closed); afterwards the counters are published and the
     * receivers woken.
     */
    public void read(byte[] buffer, int offset, int length) throws ProtocolException {
        if (isClosed()) {
            return;
        }
        lastActivityMillis = System.currentTimeMillis();
        try {
            Decoder d = decoder;
            if (d == null && nextDecoder != null) {
                // Switched during an earlier read: the peer changed its stream after what that read held (Go
                // switches its reader at a read's end too).
                d = nextDecoder;
                decoder = d;
            }
            if (d != null) {
                d.decode(buffer, offset, length, parser);
            } else {
                parser.parse(buffer, offset, length);
            }
        } finally {
            inMsgs = inMsgsCounting;
            inBytes = inBytesCounting;
            LinkPublisher p = publisher;
            if (p != null) {
                p.flush();
            }
        }
    }

    /**
     * Counts a received message (reader thread).
     *
     * @return whether the link is registered, so that {@link #publish} may inject it
     */
    public boolean received(int length) {
        inMsgsCounting++;
        inBytesCounting += length;
        return publisher != null;
    }

    /** Injects a received message; only after {@link #received} returned true. */
    public boolean publish(LinkMessage message) {
        return publisher.publish(message);
    }

    /** Reads on the caller's thread until the peer or this side closes (a link this server dialled). */
    public void readLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER);
        try {
            while (!isClosed()) {
                buffer.clear();
                int n = connection.read(buffer);
                if (n < 0) {
                    readEnded(null);
                    return;
                }
                read(buffer.array(), 0, n);
            }
        } catch (IOException | ProtocolException | RuntimeException e) {
            readEnded(e);
        }
    }

    /**
     * The reader for the kernel's read loop (a link that connected here). A protocol violation is not handed
     * back to the kernel: it would close the socket at once and race the {@code -ERR} away; the writer closes it
     * once drained instead (within two seconds).
     */
    public ConnectionReader reader() {
        return new ConnectionReader() {
            @Override
            public void onBytes(byte[] buffer, int offset, int length) {
                try {
                    read(buffer, offset, length);
                } catch (ProtocolException e) {
                    readEnded(e);
                }
            }

            @Override
            public void closed() {
                readEnded(null);
            }
        };
    }

    /**
     * The read side ended: EOF ({@code null}), an error, or a protocol violation (answered with its {@code -ERR}
     * where Go answers one).
     */
    public void readEnded(Throwable cause) {
        if (cause instanceof ProtocolException e) {
            if (!e.clientError().isEmpty()) {
                sendError(e.clientError());
            }
            log.log(System.Logger.Level.DEBUG, "{0}: {1}", remoteAddress, e.getMessage());
            owner.accept("Protocol Violation");
        } else {
            owner.accept(cause == null ? "Client Closed" : "Read Error");
        }
    }

    /** The account named by a received message, as a String reused while it repeats (no copy per message). */
    public String account(RoutedMessageArgs args) {
        String known = lastReceived;
        if (known != null && known.length() == args.accountLength()
                && sameAscii(known, args.buffer(), args.accountOffset(), args.accountLength())) {
            return known;
        }
        lastReceived = args.account();
        return lastReceived;
    }

    // ---- liveness ----------------------------------------------------------------------------------------

    /**
     * Pings the peer from {@code firstMillis} on, every interval: when the link was idle for an interval or no
     * round trip is known yet, or always when {@code evenWhenBusy} (Go's gateways). With more than the allowed
     * pings unanswered the link is closed as stale, as Go does.
     */
    public void startPings(long firstMillis, IntSupplier maxPingsOut, LongSupplier intervalMillis,
                           boolean evenWhenBusy) {
        timers.schedule(() -> pingTick(maxPingsOut, intervalMillis, evenWhenBusy), firstMillis, TimeUnit.MILLISECONDS);
    }

    private void pingTick(IntSupplier maxPingsOut, LongSupplier intervalMillis, boolean evenWhenBusy) {
        if (isClosed()) {
            return;
        }
        if (pingsOut + 1 > maxPingsOut.getAsInt()) {
            sendError("Stale Connection");
            owner.accept("Stale Connection");
            return;
        }
        long interval = intervalMillis.getAsLong();
        boolean idle = System.currentTimeMillis() - lastActivityMillis >= interval;
        if (evenWhenBusy || idle || rttNanos == 0 || pingSentNanos == 0) {
            pingsOut++;
            pingSentNanos = System.nanoTime();
            out.append(PING);
        }
        timers.schedule(() -> pingTick(maxPingsOut, intervalMillis, evenWhenBusy), interval, TimeUnit.MILLISECONDS);
    }

    public void onPing() {
        out.append(PONG);
    }

    /** The peer answered: nothing is outstanding, and the round trip of the last ping is known. */
    public void onPong() {
        pingsOut = 0;
        long sent = pingSentNanos;
        if (sent != 0) {
            rttNanos = Math.max(1, System.nanoTime() - sent);
        }
    }

    /** Closes the link when a write has been blocked beyond the write deadline (Go's slow consumer). */
    public void writeDeadlineTick(long deadlineNanos) {
        if (!isClosed() && out.writeStalledFor(deadlineNanos)) {
            owner.accept("Slow Consumer (Write Deadline)");
            connection.close();
        }
    }

    // ---- writing -----------------------------------------------------------------------------------------

    /** Queues a protocol line (INFO, CONNECT, interest, -ERR...) and wakes the writer. */
    public void sendLine(byte[] line) {
        if (!out.append(line) && out.isOverLimit()) {
            timers.execute(() -> owner.accept(SLOW_CONSUMER));
        }
    }

    /** {@code -ERR 'text'}. */
    public void sendError(String text) {
        sendLine(("-ERR '" + text + "'\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Queues a message as it is ({@code RMSG} with the account, {@code LMSG} without; {@code HMSG} when it has
     * headers and the peer takes them, otherwise its headers are dropped).
     *
     * @param account the account, or null where the connection binds it (leaf nodes, a per-account route)
     * @return false when it was refused (closed, or over the pending limit: the link is then closed)
     */
    public boolean sendMessage(LinkMessage m, String account, boolean peerTakesHeaders) {
        return sendMessage(m, account, NO_PREFIX, m.dataArray(), m.dataOffset(), m.headerLength(), m.dataLength(),
                peerTakesHeaders);
    }

    /**
     * Queues a message with other bytes than its own (a traced message's new headers) or a prefix before its
     * reply (a gateway's {@code _GR_.} routing).
     */
    public boolean sendMessage(LinkMessage m, String account, byte[] replyPrefix, byte[] data, int offset,
                               int headerLength, int length, boolean peerTakesHeaders) {
        byte[] accountBytes = account == null ? null : accountBytes(account);
        if (MessageFrame.write(out, m, parser.leafDialect(), accountBytes, replyPrefix, data, offset, headerLength, length,
                peerTakesHeaders)) {
            return true;
        }
        if (out.isOverLimit()) {
            timers.execute(() -> owner.accept(SLOW_CONSUMER));
        }
        return false;
    }

    /**
     * Queues a message as a route's {@code LMSG} naming the leaf node cluster it came from (Go 2.9's leafnode
     * origin, for a peer whose INFO announced {@code lnoc}).
     */
    public boolean sendOriginMessage(LinkMessage m, String origin, String account) {
        byte[] accountBytes = account == null ? null : accountBytes(account);
        OriginBytes last = lastOrigin;
        if (!last.name().equals(origin)) {
            last = new OriginBytes(origin, origin.getBytes(StandardCharsets.UTF_8));
            lastOrigin = last;
        }
        if (MessageFrame.write(out, m, false, last.bytes(), accountBytes, NO_PREFIX, m.dataArray(), m.dataOffset(),
                m.headerLength(), m.dataLength(), true)) {
            return true;
        }
        if (out.isOverLimit()) {
            timers.execute(() -> owner.accept(SLOW_CONSUMER));
        }
        return false;
    }

    private record OriginBytes(String name, byte[] bytes) {
    }

    private volatile OriginBytes lastOrigin = new OriginBytes("", new byte[0]);

    /**
     * A short batch is written by the publisher's thread itself (Go's client readers flush in place); a larger
     * one, or one while a write is under way, wakes the writer.
     */
    public void flush() {
        try {
            if (!out.writeInline(sink, INLINE_LIMIT)) {
                out.signal();
            }
        } catch (IOException e) {
            timers.execute(() -> owner.accept("Write Error"));
        }
    }

    // ---- switching to a transformed stream (route compression) -------------------------------------------

    /** What is read after the current read is decoded with {@code d}. Called on the reading thread. */
    public void decodeReadsAfterThisRead(Decoder d) {
        nextDecoder = d;
    }

    /**
     * Waits until everything queued has been written (bounded), so that what is queued next can be written
     * differently: Go flushes the INFO that announces compression before it compresses.
     *
     * @return false when the queue did not drain in time
     */
    public boolean drain(long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        out.signal();
        while (out.pendingBytes() > 0) {
            if (isClosed() || System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** From now on every write passes through {@code e}; call it with nothing queued ({@link #drain}). */
    public void encodeWritesWith(Encoder e) {
        encoder = e;
    }

    private Encoder encoder() {
        return encoder;
    }

    // ---- monitoring ----------------------------------------------------------------------------------------

    public long inMsgs() {
        return inMsgs;
    }

    public long inBytes() {
        return inBytes;
    }

    public long outMsgs() {
        return out.messages();
    }

    public long outBytes() {
        return out.messageBytes();
    }

    public long pendingBytes() {
        return out.pendingBytes();
    }

    /** The last measured round trip, 0 before the first PONG. */
    public long rttNanos() {
        return rttNanos;
    }

    public Instant start() {
        return start;
    }

    public Instant lastActivity() {
        return Instant.ofEpochMilli(lastActivityMillis);
    }

    /** The peer's {@code ip:port}, kept from the start (a closed socket no longer knows it). */
    public String remoteAddress() {
        return remoteAddress;
    }

    public Optional<SSLSession> tlsSession() {
        return connection.tlsSession();
    }

    public Connection connection() {
        return connection;
    }

    /** The kernel's handle once registered. */
    public Optional<LinkHandle> handle() {
        return Optional.ofNullable(handle);
    }

    /** The peer's interest registered here. */
    public List<RemoteInterest> interest() {
        LinkHandle h = handle;
        return h == null ? List.of() : h.interest();
    }

    public int interestCount() {
        LinkHandle h = handle;
        return h == null ? 0 : h.interestCount();
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /** One reference for name and bytes, so that concurrent senders never pair one account's name with another's bytes. */
    private record AccountBytes(String name, byte[] bytes) {
    }

    private byte[] accountBytes(String account) {
        AccountBytes last = lastSent;
        if (last.name() != account && !last.name().equals(account)) {
            last = new AccountBytes(account, account.getBytes(StandardCharsets.UTF_8));
            lastSent = last;
        }
        return last.bytes();
    }

    private static boolean sameAscii(String s, byte[] buf, int off, int len) {
        for (int i = 0; i < len; i++) {
            if (buf[off + i] != (byte) s.charAt(i) || s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
