package nats.server.internal.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import nats.api.messaging.DirectHandler;
import nats.api.messaging.InboundMessage;
import nats.api.messaging.MessagePublisher;
import nats.server.internal.client.InProcessConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A batched direct handler hears the end of each batch in which it accepted messages once, on the publishing
 * thread, after the batch's last message; a batch it refused or never saw does not reach it.
 */
@Timeout(10)
class DirectBatchEndTest {

    private static final class Recorder implements DirectHandler.Batched {
        final AtomicInteger messages = new AtomicInteger();
        final List<Integer> messagesAtEnd = new ArrayList<>();
        final List<Thread> endThreads = new ArrayList<>();
        volatile boolean accept = true;

        @Override
        public boolean onMessage(InboundMessage message) {
            if (accept) {
                messages.incrementAndGet();
            }
            return accept;
        }

        @Override
        public void endOfBatch() {
            messagesAtEnd.add(messages.get());
            endThreads.add(Thread.currentThread());
        }
    }

    @Test
    void endOfBatchOncePerBatchOnThePublishersThread() {
        Account account = new Account("A", SubjectMappings.of(List.of()));
        InProcessConnection receiver = new InProcessConnection(account, "receiver");
        InProcessConnection sender = new InProcessConnection(account, "sender");
        Recorder stream = new Recorder();
        Recorder other = new Recorder();
        receiver.subscribeDirect("in.>", null, stream);
        receiver.subscribeDirect("other", null, other);
        MessagePublisher publisher = sender.publisher();
        byte[] data = "x".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 3; i++) {
            publisher.publish(("in." + i).getBytes(StandardCharsets.UTF_8), null, data, 0, 0, data.length);
        }
        assertEquals(List.of(), stream.messagesAtEnd, "no end of batch before the publisher's flush");
        publisher.flush();
        assertEquals(List.of(3), stream.messagesAtEnd, "one end of batch, after all three messages");
        assertSame(Thread.currentThread(), stream.endThreads.get(0), "told on the publishing thread");
        assertEquals(List.of(), other.messagesAtEnd, "a handler without messages in the batch is not told");

        publisher.flush();
        assertEquals(List.of(3), stream.messagesAtEnd, "an empty batch tells nobody");

        stream.accept = false;
        publisher.publish("in.9".getBytes(StandardCharsets.UTF_8), null, data, 0, 0, data.length);
        publisher.flush();
        assertEquals(List.of(3), stream.messagesAtEnd, "a batch whose messages were refused tells nobody");

        stream.accept = true;
        publisher.publish("in.4".getBytes(StandardCharsets.UTF_8), null, data, 0, 0, data.length);
        publisher.publish("other".getBytes(StandardCharsets.UTF_8), null, data, 0, 0, data.length);
        publisher.flush();
        assertEquals(List.of(3, 4), stream.messagesAtEnd, "the next batch ends once more");
        assertEquals(List.of(1), other.messagesAtEnd, "each handler of the batch is told once");
        receiver.close();
        sender.close();
    }
}
