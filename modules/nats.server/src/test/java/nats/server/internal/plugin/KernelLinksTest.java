package nats.server.internal.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import nats.api.links.InterestWatch;
import nats.api.links.Link;
import nats.api.links.LinkHandle;
import nats.api.links.LinkMessage;
import nats.api.links.QueueRole;
import nats.api.messaging.ClientInfo;
import nats.api.messaging.MessageOrigin;
import nats.server.internal.account.Accounts;
import nats.server.internal.routing.RoutedMessage;
import nats.server.internal.routing.ServerSubscription;
import nats.server.internal.routing.Subscriber;
import nats.server.options.ServerOptions;
import org.junit.jupiter.api.Test;

/**
 * The kernel's side of links: local interest reported as Go's routes announce it (per account, plain on first and
 * last subscriber, queues with their member count, replayed for a new peer), remote interest held in the sublist
 * with queue weights, and messages injected as the link's origin.
 */
class KernelLinksTest {

    private final Accounts accounts = Accounts.of(new ServerOptions());
    private final KernelLinks links = new KernelLinks(accounts, new nats.server.internal.trace.MessageTracer(
            java.util.Map::of, (account, subject, headers, payload) -> false, name -> null, name -> true));
    private final List<String> events = new ArrayList<>();

    /** A local subscriber that counts what it gets. */
    private static final class Local implements Subscriber {
        final List<String> got = new ArrayList<>();

        @Override
        public boolean deliver(ServerSubscription subscription, RoutedMessage message) {
            got.add(message.subjectString() + "|" + message.replyString() + "|" + message.kind);
            return true;
        }

        @Override
        public void flushPending() {
        }
    }

    private ServerSubscription local(Subscriber who, String subject, String queue) throws Exception {
        ServerSubscription sub = new ServerSubscription(who, subject, queue, "1".getBytes(StandardCharsets.US_ASCII));
        accounts.global().sublist().insert(sub);
        return sub;
    }

    @Test
    void localInterestIsReportedAsGoAnnouncesItAndReplayed() throws Exception {
        InterestWatch watch = links.watchLocalInterest((acc, subject, queue, weight) ->
                events.add(acc + " " + subject + (queue == null ? "" : " " + queue) + " " + weight));
        Local client = new Local();
        ServerSubscription a1 = local(client, "foo", null);
        ServerSubscription a2 = local(client, "foo", null);
        ServerSubscription q1 = local(client, "work", "q");
        ServerSubscription q2 = local(client, "work", "q");
        assertEquals(List.of("$G foo 1", "$G work q 1", "$G work q 2"), events,
                "plain interest once, queue interest with each count");
        List<String> replayed = new ArrayList<>();
        watch.replay((acc, subject, queue, weight) -> replayed.add(subject + " " + weight));
        assertTrue(replayed.containsAll(List.of("foo 1", "work 2")), "a new peer hears what is in force: " + replayed);
        events.clear();
        accounts.global().sublist().remove(a1);
        accounts.global().sublist().remove(q1);
        assertEquals(List.of("$G work q 1"), events, "one of two plain subscribers leaving says nothing");
        accounts.global().sublist().remove(a2);
        accounts.global().sublist().remove(q2);
        assertEquals(List.of("$G work q 1", "$G foo 0", "$G work q 0"), events, "the last ones leaving are announced");
        watch.close();
    }

    @Test
    void interestOfLinksOfTheKindsAskedForCountsLikeLocalSubscribers() throws Exception {
        List<String> withRoutes = new ArrayList<>();
        InterestWatch cluster = links.watchInterest((acc, subject, queue, weight) ->
                withRoutes.add(subject + (queue == null ? "" : " " + queue) + " " + weight), java.util.Set.of(
                MessageOrigin.ROUTE));
        InterestWatch local = links.watchLocalInterest((acc, subject, queue, weight) ->
                events.add(subject + " " + weight));
        LinkHandle route = links.register(stubLink(MessageOrigin.ROUTE));
        LinkHandle gateway = links.register(stubLink(MessageOrigin.GATEWAY));
        route.addInterest("$G", "r.sub", null, 1);
        route.addInterest("$G", "r.q", "workers", 3);
        gateway.addInterest("$G", "g.sub", null, 1);
        ServerSubscription mine = local(new Local(), "r.sub", null);
        assertEquals(List.of("r.sub 1", "r.q workers 1"), withRoutes,
                "a route's interest counts (each subscription once, whatever its weight), a gateway's does not, a"
                        + " local subscriber on a subject a route holds changes nothing");
        assertEquals(List.of("r.sub 1"), events, "local interest alone leaves the links' out");
        withRoutes.clear();
        route.removeInterest("$G", "r.sub", null);
        assertEquals(List.of(), withRoutes, "the local subscriber still holds r.sub");
        accounts.global().sublist().remove(mine);
        route.close();
        assertEquals(List.of("r.sub 0", "r.q workers 0"), withRoutes, "the last holders leaving are announced");
        List<String> replayed = new ArrayList<>();
        cluster.replay((acc, subject, queue, weight) -> replayed.add(subject));
        assertEquals(List.of(), replayed, "nothing left to replay");
        cluster.close();
        local.close();
        gateway.close();
    }

    private static Link stubLink(MessageOrigin kind) {
        return new Link() {
            @Override
            public String name() {
                return kind.name();
            }

            @Override
            public MessageOrigin kind() {
                return kind;
            }

            @Override
            public boolean forwards(MessageOrigin origin) {
                return false;
            }

            @Override
            public QueueRole queueRole(MessageOrigin origin) {
                return QueueRole.NONE;
            }

            @Override
            public boolean send(LinkMessage m) {
                return true;
            }

            @Override
            public void flush() {
            }

            @Override
            public long sentMessages() {
                return 0;
            }

            @Override
            public long sentBytes() {
                return 0;
            }
        };
    }

    @Test
    void remoteInterestRoutesMessagesToTheLinkAndInjectedOnesCarryTheirOrigin() throws Exception {
        List<String> sent = new ArrayList<>();
        Link link = new Link() {
            @Override
            public String name() {
                return "test";
            }

            @Override
            public MessageOrigin kind() {
                return MessageOrigin.ROUTE;
            }

            @Override
            public boolean forwards(MessageOrigin origin) {
                return origin != MessageOrigin.ROUTE;
            }

            @Override
            public QueueRole queueRole(MessageOrigin origin) {
                return QueueRole.MEMBER;
            }

            @Override
            public boolean send(LinkMessage m) {
                sent.add(m.account() + " " + m.subject() + " [" + m.queues() + "]");
                return true;
            }

            @Override
            public void flush() {
            }

            @Override
            public long sentMessages() {
                return sent.size();
            }

            @Override
            public long sentBytes() {
                return 0;
            }
        };
        LinkHandle handle = links.register(link);
        assertEquals(LinkHandle.Outcome.ADDED, handle.addInterest("$G", "remote.>", null, 1), "new interest");
        assertEquals(LinkHandle.Outcome.UNCHANGED, handle.addInterest("$G", "remote.>", null, 1), "same again");
        assertEquals(LinkHandle.Outcome.ADDED, handle.addInterest("$G", "remote.q", "grp", 3), "queue interest");
        assertEquals(LinkHandle.Outcome.ADDED, handle.addInterest("$G", "remote.q", "grp", 5), "a new weight");
        assertEquals(LinkHandle.Outcome.UNKNOWN_ACCOUNT, handle.addInterest("NOPE", "x", null, 1), "no account");
        assertEquals(LinkHandle.Outcome.INVALID_SUBJECT, handle.addInterest("$G", "a..b", null, 1), "bad subject");
        assertEquals(2, handle.interestCount(), "two subscriptions");
        assertEquals(5, handle.interest().stream().filter(i -> "grp".equals(i.queue())).findFirst().orElseThrow()
                .weight(), "the queue's weight");

        Local client = new Local();
        local(client, "remote.q", null);
        var publisher = handle.publisher();
        publisher.publish(frame("$G", "remote.q", "reply.1", ""));
        publisher.flush();
        assertEquals(List.of("remote.q|reply.1|ROUTE"), client.got, "routed locally as the route's, reply intact");
        assertTrue(sent.isEmpty(), "never back to a route");
        assertFalse(publisher.publish(frame("NOPE", "remote.q", "", "")), "an unknown account takes nothing");
        assertTrue(handle.removeInterest("$G", "remote.>", null), "removed");
        handle.close();
        assertEquals(0, handle.interestCount(), "closing removes all");
    }

    private static LinkMessage frame(String account, String subject, String reply, String queues) {
        byte[] s = subject.getBytes(StandardCharsets.US_ASCII);
        byte[] r = reply.getBytes(StandardCharsets.US_ASCII);
        byte[] q = queues.getBytes(StandardCharsets.US_ASCII);
        byte[] data = "x".getBytes(StandardCharsets.US_ASCII);
        return new LinkMessage() {
            public byte[] queuesArray() { return q; }
            public int queuesOffset() { return 0; }
            public int queuesLength() { return q.length; }
            public byte[] subjectArray() { return s; }
            public int subjectOffset() { return 0; }
            public int subjectLength() { return s.length; }
            public byte[] replyArray() { return r; }
            public int replyOffset() { return 0; }
            public int replyLength() { return r.length; }
            public byte[] dataArray() { return data; }
            public int dataOffset() { return 0; }
            public int dataLength() { return data.length; }
            public int headerLength() { return 0; }
            public String account() { return account; }
            public MessageOrigin origin() { return MessageOrigin.ROUTE; }
            public Optional<ClientInfo> client() { return Optional.empty(); }
        };
    }
}
