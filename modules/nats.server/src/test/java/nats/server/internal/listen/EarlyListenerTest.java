package nats.server.internal.listen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The client port bound before the server's slow start-up work: connects wait, failures are kept for later. */
class EarlyListenerTest {

    @Test
    void aClientConnectsBeforeAcceptingAndIsHandedOverOnceTheListenerAccepts() throws Exception {
        EarlyListener early = EarlyListener.bind("127.0.0.1", 0, "client");
        Acceptor acceptor = null;
        try (Socket client = new Socket()) {
            Acceptor peek = early.take();
            acceptor = peek;
            // Connected while nobody accepts: the kernel holds it in the backlog.
            client.connect(new InetSocketAddress("127.0.0.1", peek.port()), 2000);
            early.close();
            BlockingQueue<SocketChannel> accepted = new ArrayBlockingQueue<>(1);
            peek.accept(accepted::add);
            SocketChannel channel = accepted.poll(5, TimeUnit.SECONDS);
            assertTrue(channel != null, "the waiting client is accepted; close() after take() left the port open");
            channel.close();
        } finally {
            if (acceptor != null) {
                acceptor.close();
            }
        }
    }

    @Test
    void closeWithoutTakeReleasesThePort() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        EarlyListener early = EarlyListener.bind("127.0.0.1", port, "client");
        early.close();
        assertThrows(IOException.class, early::take, "a closed listener cannot be taken");
        Acceptor again = EarlyListener.bind("127.0.0.1", port, "client").take();
        try {
            assertEquals(port, again.port(), "the failed start's port can be bound again");
        } finally {
            again.close();
        }
    }

    @Test
    void aBindFailureIsReportedWhenTaken() throws Exception {
        EarlyListener first = EarlyListener.bind("127.0.0.1", 0, "client");
        Acceptor bound = first.take();
        try {
            EarlyListener second = EarlyListener.bind("127.0.0.1", bound.port(), "client");
            IOException e = assertThrows(IOException.class, second::take);
            assertTrue(e instanceof java.net.BindException, e.toString());
            second.close();
        } finally {
            bound.close();
        }
    }
}
