package nats.leafnode.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;

/** jnats helpers: connect, wait until interest crossed the leaf connection, check deliveries. */
public final class Messaging {

    public static final Duration WAIT = Duration.ofSeconds(10);

    private Messaging() {
    }

    public static Connection connect(String url) throws Exception {
        return Nats.connect(new Options.Builder().server(url).connectionTimeout(Duration.ofSeconds(5))
                .maxReconnects(-1).reconnectWait(Duration.ofMillis(100)).build());
    }

    /** Publishes probes on {@code subject} until {@code sub} receives one (interest has crossed), then drains. */
    public static void awaitInterest(Connection publisher, String subject, Subscription sub) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            publisher.publish(subject, "probe".getBytes(StandardCharsets.UTF_8));
            publisher.flush(Duration.ofSeconds(2));
            if (sub.nextMessage(Duration.ofMillis(100)) != null) {
                while (sub.nextMessage(Duration.ofMillis(200)) != null) {
                    // drain the other probes
                }
                return;
            }
        }
        throw new AssertionError("interest in " + subject + " never reached the publisher's server");
    }

    /** Sends {@code count} numbered messages and expects them on {@code sub} in order. */
    public static void assertFlow(Connection publisher, String subject, Subscription sub, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            publisher.publish(subject, ("m" + i).getBytes(StandardCharsets.UTF_8));
        }
        publisher.flush(Duration.ofSeconds(5));
        for (int i = 0; i < count; i++) {
            Message m = sub.nextMessage(WAIT);
            assertNotNull(m, "message " + i + " of " + count + " on " + subject + " arrived");
            assertEquals("m" + i, new String(m.getData(), StandardCharsets.UTF_8), "messages arrive in order");
        }
    }
}
