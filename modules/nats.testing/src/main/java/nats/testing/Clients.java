package nats.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;

/** jnats clients driving clusters and super-clusters, with bounded waits for interest to cross them. */
// "try": jnats declares Connection.close() with InterruptedException, and tests close in try-with-resources.
// "exports": the jnats types in the signatures reach every user, which has jnats as a test dependency itself.
@SuppressWarnings({"try", "exports"})
public final class Clients {

    public static final Duration WAIT = Duration.ofSeconds(10);

    private Clients() {
    }

    public static Connection connect(String url) throws Exception {
        return Nats.connect(new Options.Builder().server(url).connectionTimeout(Duration.ofSeconds(5)).build());
    }

    /** Publishes probes until {@code sub} gets one (interest crosses the cluster asynchronously), then drains. */
    public static void awaitInterest(Connection publisher, String subject, Subscription sub) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            publisher.publish(subject, "probe".getBytes(StandardCharsets.UTF_8));
            publisher.flush(Duration.ofSeconds(2));
            if (sub.nextMessage(Duration.ofMillis(100)) != null) {
                while (sub.nextMessage(Duration.ofMillis(200)) != null) {
                    // probes still in flight
                }
                return;
            }
        }
        throw new AssertionError("interest in " + subject + " never reached the publisher's server");
    }

    /** A message published at {@code pubUrl} reaches a subscriber at {@code subUrl}, payload and reply intact. */
    public static void assertPubSub(String pubUrl, String subUrl, String subject) throws Exception {
        try (Connection pub = connect(pubUrl); Connection subConn = connect(subUrl)) {
            Subscription sub = subConn.subscribe(subject);
            subConn.flush(Duration.ofSeconds(2));
            awaitInterest(pub, subject, sub);
            pub.publish(subject, "r." + subject, "data".getBytes(StandardCharsets.UTF_8));
            Message m = sub.nextMessage(WAIT);
            assertNotNull(m, subject + ": message from " + pubUrl + " reaches " + subUrl);
            assertEquals("data", new String(m.getData(), StandardCharsets.UTF_8), "payload");
            assertEquals("r." + subject, m.getReplyTo(), "reply");
        }
    }

    /**
     * A burst of {@code count} messages of {@code size} bytes (and one of 1 MiB) from {@code pubUrl} all arrive, in
     * order and intact, at a subscriber at {@code subUrl}: frames split across reads on both sides of the route.
     */
    public static void assertBurst(String pubUrl, String subUrl, String subject, int count, int size) throws Exception {
        try (Connection pub = connect(pubUrl); Connection subConn = connect(subUrl)) {
            Subscription sub = subConn.subscribe(subject);
            subConn.flush(Duration.ofSeconds(2));
            awaitInterest(pub, subject, sub);
            for (int i = 0; i < count; i++) {
                // A new array each time: jnats queues the array itself until its writer sends it.
                byte[] body = new byte[size];
                body[0] = (byte) i;
                body[size - 1] = (byte) (i >> 8);
                pub.publish(subject, body);
            }
            byte[] big = new byte[1024 * 1024];
            java.util.Arrays.fill(big, (byte) 'x');
            big[big.length - 1] = 'y';
            pub.publish(subject, big);
            pub.flush(WAIT);
            for (int i = 0; i < count; i++) {
                Message m = sub.nextMessage(WAIT);
                assertNotNull(m, "message " + i + " of " + count);
                assertEquals(size, m.getData().length, "size of message " + i);
                assertEquals((byte) i, m.getData()[0], "order: message " + i);
                assertEquals((byte) (i >> 8), m.getData()[size - 1], "intact: message " + i);
            }
            Message m = sub.nextMessage(WAIT);
            assertNotNull(m, "the 1 MiB message");
            assertEquals(big.length, m.getData().length, "1 MiB intact");
            assertEquals('y', m.getData()[big.length - 1], "its last byte");
        }
    }

    /** A request from {@code requesterUrl} is answered by a responder at {@code responderUrl}. */
    public static void assertRequestReply(String requesterUrl, String responderUrl, String subject) throws Exception {
        try (Connection responder = connect(responderUrl); Connection requester = connect(requesterUrl)) {
            responder.createDispatcher(m -> responder.publish(m.getReplyTo(), m.getData())).subscribe(subject);
            responder.flush(Duration.ofSeconds(2));
            Message reply = null;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (reply == null && System.nanoTime() < deadline) {
                try {
                    reply = requester.request(subject, "ping".getBytes(StandardCharsets.UTF_8), Duration.ofMillis(500));
                } catch (Exception notYet) {
                    Thread.sleep(50);
                }
            }
            assertNotNull(reply, subject + ": reply from " + responderUrl + " to " + requesterUrl);
            for (int i = 0; i < 20; i++) {
                Message r = requester.request(subject, ("n" + i).getBytes(StandardCharsets.UTF_8), WAIT);
                assertEquals("n" + i, new String(r.getData(), StandardCharsets.UTF_8), "reply " + i);
            }
        }
    }

    /**
     * A request published right after its inbox subscription (so a gateway on its way maps the reply to
     * {@code _GR_.}): the responder at {@code responderUrl} is shown the bare inbox, and its answer to it reaches
     * the requester once.
     */
    public static void assertFreshReplyHiddenAndAnswered(String requesterUrl, String responderUrl, String subject)
            throws Exception {
        try (Connection responder = connect(responderUrl); Connection requester = connect(requesterUrl)) {
            Subscription requests = responder.subscribe(subject);
            responder.flush(Duration.ofSeconds(2));
            awaitInterest(requester, subject, requests);
            String inbox = "_INBOX.fresh." + System.nanoTime();
            Subscription replies = requester.subscribe(inbox);
            requester.flush(Duration.ofSeconds(2));
            requester.publish(subject, inbox, "q".getBytes(StandardCharsets.UTF_8));
            requester.flush(Duration.ofSeconds(2));
            Message request = requests.nextMessage(WAIT);
            assertNotNull(request, subject + ": the request crossed from " + requesterUrl + " to " + responderUrl);
            assertEquals(inbox, request.getReplyTo(), subject + ": the responder sees the bare inbox");
            responder.publish(request.getReplyTo(), "a".getBytes(StandardCharsets.UTF_8));
            responder.flush(Duration.ofSeconds(2));
            Message reply = replies.nextMessage(WAIT);
            assertNotNull(reply, subject + ": the answer to the bare inbox reached the requester");
            assertEquals(inbox, reply.getSubject(), subject + ": delivered on the inbox itself");
            org.junit.jupiter.api.Assertions.assertNull(replies.nextMessage(Duration.ofMillis(300)),
                    subject + ": the answer arrived once");
        }
    }

    /**
     * Two queue members on each of {@code memberUrls}, {@code n} messages published at {@code pubUrl}: each message
     * reaches exactly one member in the cluster, and every server's members get some.
     *
     * @param awaitMembers waits until the publisher's server knows all members (e.g. by monitoring)
     */
    public static void assertQueueExactlyOnce(String pubUrl, List<String> memberUrls, int n, Runnable awaitMembers)
            throws Exception {
        List<Connection> conns = new ArrayList<>();
        Map<String, AtomicInteger> perServer = new ConcurrentHashMap<>();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        AtomicInteger received = new AtomicInteger();
        String subject = "q." + System.nanoTime();
        try (Connection pub = connect(pubUrl)) {
            for (String url : memberUrls) {
                Connection conn = connect(url);
                conns.add(conn);
                for (int k = 0; k < 2; k++) {
                    conn.createDispatcher(m -> {
                        String body = new String(m.getData(), StandardCharsets.UTF_8);
                        if (!seen.add(body)) {
                            duplicates.incrementAndGet();
                        }
                        received.incrementAndGet();
                        perServer.computeIfAbsent(url, x -> new AtomicInteger()).incrementAndGet();
                    }).subscribe(subject, "workers");
                }
                conn.flush(Duration.ofSeconds(2));
            }
            awaitMembers.run();
            for (int i = 0; i < n; i++) {
                pub.publish(subject, ("m" + i).getBytes(StandardCharsets.UTF_8));
            }
            pub.flush(WAIT);
            Monitor.await(WAIT, "all " + n + " queue messages delivered", () -> received.get() >= n);
            Thread.sleep(300);
            assertEquals(n, received.get(), "each message delivered exactly once in the cluster");
            assertEquals(0, duplicates.get(), "no message twice");
            for (String url : memberUrls) {
                int got = perServer.getOrDefault(url, new AtomicInteger()).get();
                assertTrue(got > n / memberUrls.size() / 3, url + " members got a fair share: " + got + " of " + n
                        + " " + perServer);
            }
        } finally {
            for (Connection c : conns) {
                c.close();
            }
        }
    }

    /**
     * Queue members in two clusters, messages published in the first: as long as the first cluster has members they
     * get everything (Go prefers the local cluster); once they leave, the other cluster's members get the messages,
     * each exactly once.
     */
    public static void assertQueuePrefersLocalCluster(String pubUrl, String localUrl, String remoteUrl, int n,
                                                      Runnable awaitRemoteMembers) throws Exception {
        String subject = "q." + System.nanoTime();
        Map<String, AtomicInteger> perServer = new ConcurrentHashMap<>();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        try (Connection pub = connect(pubUrl); Connection local = connect(localUrl); Connection remote = connect(remoteUrl)) {
            List<io.nats.client.Dispatcher> localMembers = new ArrayList<>();
            for (int k = 0; k < 2; k++) {
                localMembers.add(member(local, subject, "local", perServer, seen, duplicates));
                member(remote, subject, "remote", perServer, seen, duplicates);
            }
            local.flush(Duration.ofSeconds(2));
            remote.flush(Duration.ofSeconds(2));
            awaitRemoteMembers.run();
            for (int i = 0; i < n; i++) {
                pub.publish(subject, ("a" + i).getBytes(StandardCharsets.UTF_8));
            }
            pub.flush(WAIT);
            Monitor.await(WAIT, "the first " + n + " queue messages", () -> count(perServer, "local") >= n);
            Thread.sleep(300);
            assertEquals(n, count(perServer, "local"), "the publisher's cluster keeps its queue messages");
            assertEquals(0, count(perServer, "remote"), "the other cluster gets none while local members exist");
            for (io.nats.client.Dispatcher d : localMembers) {
                local.closeDispatcher(d);
            }
            local.flush(Duration.ofSeconds(2));
            // The local members' interest leaves: the next messages go to the other cluster.
            Monitor.await(WAIT, "queue messages reach the other cluster", () -> {
                try {
                    pub.publish(subject, "probe".getBytes(StandardCharsets.UTF_8));
                    pub.flush(Duration.ofSeconds(1));
                    Thread.sleep(50);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return count(perServer, "remote") > 0;
            });
            int before = count(perServer, "remote");
            for (int i = 0; i < n; i++) {
                pub.publish(subject, ("b" + i).getBytes(StandardCharsets.UTF_8));
            }
            pub.flush(WAIT);
            Monitor.await(WAIT, n + " queue messages in the other cluster", () -> count(perServer, "remote") >= before + n);
            Thread.sleep(300);
            assertEquals(before + n, count(perServer, "remote"), "each message once in the other cluster");
            assertEquals(0, duplicates.get(), "no message twice");
        }
    }

    private static io.nats.client.Dispatcher member(Connection conn, String subject, String where,
                                                  Map<String, AtomicInteger> perServer, Set<String> seen,
                                                  AtomicInteger duplicates) {
        io.nats.client.Dispatcher d = conn.createDispatcher(m -> {
            String body = new String(m.getData(), StandardCharsets.UTF_8);
            if (!body.equals("probe") && !seen.add(body)) {
                duplicates.incrementAndGet();
            }
            perServer.computeIfAbsent(where, x -> new AtomicInteger()).incrementAndGet();
        });
        d.subscribe(subject, "workers");
        return d;
    }

    private static int count(Map<String, AtomicInteger> perServer, String where) {
        return perServer.getOrDefault(where, new AtomicInteger()).get();
    }
}
