package nats.transport.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Non-blocking mode: writes from other threads never block, the owner's reads and writes still wait. */
@Timeout(20)
class PlainConnectionNonBlockingTest {

    private SocketChannel peer;
    private PlainConnection connection;

    @BeforeEach
    void connect() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            peer = SocketChannel.open(server.getLocalAddress());
            connection = new PlainConnection(server.accept());
        }
    }

    @AfterEach
    void close() throws IOException {
        connection.close();
        peer.close();
    }

    @Test
    void tryWriteStopsWhenTheSocketIsFullAndTheOwnerWriteFinishesItOnceThePeerReads() throws Exception {
        ByteBuffer[] one = {ByteBuffer.wrap(new byte[] {1})};
        assertFalse(connection.tryWrite(one, 0, 1), "blocking mode: tryWrite writes nothing");
        assertEquals(1, one[0].remaining(), "nothing taken in blocking mode");
        connection.enterNonBlocking();
        assertTrue(connection.isNonBlocking(), "non-blocking now");
        // The peer reads nothing: the socket buffers fill and tryWrite returns instead of blocking.
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = (byte) i;
        }
        long written = 0;
        ByteBuffer[] buffers = {ByteBuffer.wrap(chunk)};
        for (int round = 0; round < 10_000; round++) {
            buffers[0] = ByteBuffer.wrap(chunk);
            boolean all = connection.tryWrite(buffers, 0, 1);
            written += chunk.length - buffers[0].remaining();
            if (!all) {
                break;
            }
        }
        assertTrue(buffers[0].hasRemaining(), "the socket filled up after " + written + " bytes, without blocking");
        // The owner's write of the rest waits until the peer reads.
        ByteBuffer[] rest = buffers;
        CompletableFuture<Void> owner = CompletableFuture.runAsync(() -> {
            try {
                connection.write(rest, 0, 1);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        long expected = written + rest[0].remaining();
        ByteBuffer in = ByteBuffer.allocate(256 * 1024);
        long read = 0;
        while (read < expected) {
            in.clear();
            int n = peer.read(in);
            assertTrue(n > 0, "peer reads what was written");
            read += n;
        }
        owner.get(5, TimeUnit.SECONDS);
        assertEquals(expected, read, "every byte arrived once");
    }

    @Test
    void readWaitsInNonBlockingModeAndCloseWakesIt() throws Exception {
        connection.enterNonBlocking();
        CompletableFuture<byte[]> firstRead = CompletableFuture.supplyAsync(() -> {
            try {
                ByteBuffer dst = ByteBuffer.allocate(16);
                int n = connection.read(dst);
                byte[] got = new byte[n];
                dst.flip().get(got);
                return got;
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(50);
        assertFalse(firstRead.isDone(), "the read waits for data instead of returning 0");
        peer.write(ByteBuffer.wrap("hello".getBytes()));
        assertArrayEquals("hello".getBytes(), firstRead.get(5, TimeUnit.SECONDS), "the read returns the data");

        CompletableFuture<Integer> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return connection.read(ByteBuffer.allocate(16));
            } catch (IOException e) {
                return -2;
            }
        });
        Thread.sleep(50);
        assertFalse(blocked.isDone(), "waiting for data");
        connection.close();
        assertEquals(-2, blocked.get(5, TimeUnit.SECONDS), "close ends the wait with an I/O error");
        assertThrows(IOException.class, () -> connection.read(ByteBuffer.allocate(4)), "closed");
    }

    @Test
    void leavingNonBlockingModeRestoresBlockingReads() throws Exception {
        connection.enterNonBlocking();
        peer.write(ByteBuffer.wrap("ab".getBytes()));
        ByteBuffer dst = ByteBuffer.allocate(2);
        assertEquals(2, connection.read(dst), "read in non-blocking mode (registers a selector)");
        connection.leaveNonBlocking();
        assertFalse(connection.isNonBlocking(), "blocking again");
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
            try {
                return connection.read(ByteBuffer.allocate(8));
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(50);
        assertFalse(read.isDone(), "a blocking read waits");
        peer.write(ByteBuffer.wrap("xyz".getBytes()));
        assertEquals(3, read.get(5, TimeUnit.SECONDS), "and returns the data");
    }
}
