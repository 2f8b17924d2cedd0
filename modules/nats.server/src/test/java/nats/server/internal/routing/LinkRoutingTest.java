package nats.server.internal.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import nats.api.links.LinkMessage;
import nats.api.links.QueueRole;
import nats.api.messaging.MessageOrigin;

/**
 * The router's rules for links (Go's processMsgResults with route targets): each link once per message, the
 * origin-based forwarding rule, queue groups spread over the cluster by weight, messages from a link going only
 * to the local members of the groups they name.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class LinkRoutingTest {

    /** A local subscriber counting what it gets. */
    static final class Local implements Subscriber {
        int received;

        @Override
        public boolean deliver(ServerSubscription subscription, RoutedMessage message) {
            received++;
            return true;
        }

        @Override
        public void flushPending() {
        }
    }

    /** A route-like link: forwards nothing from another route; behind a route, queue members are a fallback. */
    static class FakeLink implements RemoteSubscriber {
        final List<String> queuesSeen = new ArrayList<>();
        int sent;
        int flushes;
        boolean refuse;

        @Override
        public String account() {
            return "$G";
        }

        @Override
        public boolean forwards(MessageOrigin origin) {
            return origin != MessageOrigin.ROUTE;
        }

        @Override
        public QueueRole queueRole(MessageOrigin origin) {
            return origin == MessageOrigin.ROUTE ? QueueRole.FALLBACK : QueueRole.MEMBER;
        }

        @Override
        public boolean forward(LinkMessage message) {
            if (refuse) {
                return false;
            }
            sent++;
            queuesSeen.add(message.queues());
            return true;
        }

        @Override
        public void flushPending() {
            flushes++;
        }
    }

    private final Sublist sublist = new Sublist();
    private final FlushSet touched = new FlushSet();

    private ServerSubscription insert(Subscriber who, String subject, String queue, int weight) throws Exception {
        ServerSubscription sub = new ServerSubscription(who, subject, queue, "1".getBytes(StandardCharsets.US_ASCII));
        sub.weight(weight);
        sublist.insert(sub);
        return sub;
    }

    private static RoutedMessage message(String subject, MessageOrigin origin, String queues) {
        RoutedMessage m = new RoutedMessage();
        m.subject = subject.getBytes(StandardCharsets.US_ASCII);
        m.subjectLength = m.subject.length;
        m.data = "hello".getBytes(StandardCharsets.US_ASCII);
        m.dataLength = m.data.length;
        m.kind = origin;
        m.queues = queues.getBytes(StandardCharsets.US_ASCII);
        m.queuesLength = m.queues.length;
        m.prepareSizes();
        return m;
    }

    private boolean route(String subject, MessageOrigin origin, String queues) {
        boolean delivered = Router.deliver(sublist.match(subject), message(subject, origin, queues), null, true,
                touched);
        touched.flushAll();
        return delivered;
    }

    @Test
    void aLinkGetsAMessageOnceHoweverManyOfItsSubscriptionsMatch() throws Exception {
        FakeLink link = new FakeLink();
        insert(link, "foo.bar", null, 1);
        insert(link, "foo.*", null, 1);
        insert(link, "foo.>", null, 1);
        Local local = new Local();
        insert(local, "foo.bar", null, 1);
        assertTrue(route("foo.bar", MessageOrigin.CLIENT, ""), "delivered");
        assertEquals(1, link.sent, "one send for three matching subscriptions");
        assertEquals(List.of(""), link.queuesSeen, "plain interest carries no queue names");
        assertEquals(1, local.received, "the local subscriber gets it too");
        assertEquals(1, link.flushes, "the link is flushed once per batch");
    }

    @Test
    void aMessageFromARouteIsNotForwardedToAnotherRoute() throws Exception {
        FakeLink link = new FakeLink();
        insert(link, "foo", null, 1);
        Local local = new Local();
        insert(local, "foo", null, 1);
        assertTrue(route("foo", MessageOrigin.ROUTE, ""), "delivered locally");
        assertEquals(0, link.sent, "no route-to-route hop");
        assertEquals(1, local.received, "local subscriber got it");
        assertFalse(route("bar", MessageOrigin.ROUTE, ""), "no interest at all");
    }

    @Test
    void queueGroupsSpreadOverTheClusterByWeightAndEachMessageGoesToOneMember() throws Exception {
        FakeLink link = new FakeLink();
        insert(link, "work", "q", 3);
        Local local = new Local();
        insert(local, "work", "q", 1);
        int n = 4000;
        for (int i = 0; i < n; i++) {
            assertTrue(route("work", MessageOrigin.CLIENT, ""), "every message is taken");
        }
        assertEquals(n, local.received + link.sent, "each message exactly once in the group");
        // The link stands for 3 of the 4 members: about 3000 of 4000 (binomial sd ~27).
        assertTrue(link.sent > 2800 && link.sent < 3200, "weighted spread, link got " + link.sent);
        assertTrue(link.queuesSeen.stream().allMatch("q"::equals), "the link is told the group it was chosen for");
    }

    @Test
    void aMessageFromARouteGoesOnlyToLocalMembersOfTheGroupsItNames() throws Exception {
        FakeLink other = new FakeLink();
        insert(other, "work", "q", 5);
        Local q = new Local();
        insert(q, "work", "q", 1);
        Local r = new Local();
        insert(r, "work", "r", 1);
        Local plain = new Local();
        insert(plain, "work", null, 1);
        for (int i = 0; i < 100; i++) {
            route("work", MessageOrigin.ROUTE, "q");
        }
        assertEquals(100, q.received, "the local member of the named group gets every message");
        assertEquals(0, r.received, "a group the message does not name gets nothing");
        assertEquals(0, other.sent, "a local member is preferred to another route");
        assertEquals(100, plain.received, "plain subscribers get it");
        route("work", MessageOrigin.ROUTE, "");
        assertEquals(100, q.received, "a routed message naming no group goes to no group");
        assertEquals(101, plain.received, "but to plain subscribers");
    }

    @Test
    void withoutALocalMemberARoutedQueueMessageFallsBackToAnotherLink() throws Exception {
        FakeLink other = new FakeLink();
        insert(other, "work", "q", 2);
        route("work", MessageOrigin.ROUTE, "q");
        assertEquals(1, other.sent, "Go's fallback: another route's member rather than a lost message");
        assertEquals(List.of("q"), other.queuesSeen, "with the group's name");
    }

    @Test
    void oneSendCarriesEveryGroupTheLinkWasChosenFor() throws Exception {
        FakeLink link = new FakeLink();
        insert(link, "work", null, 1);
        insert(link, "work", "q1", 1);
        insert(link, "work", "q2", 4);
        route("work", MessageOrigin.CLIENT, "");
        assertEquals(1, link.sent, "once");
        assertEquals(List.of("q1 q2"), link.queuesSeen, "both groups named, in match order");
    }

    @Test
    void aRemovedLinkSubscriptionStopsDelivery() throws Exception {
        FakeLink link = new FakeLink();
        ServerSubscription sub = insert(link, "foo", null, 1);
        sub.markClosed();
        sublist.remove(sub);
        assertFalse(route("foo", MessageOrigin.CLIENT, ""), "no interest left");
        assertEquals(0, link.sent, "nothing sent");
    }
}
