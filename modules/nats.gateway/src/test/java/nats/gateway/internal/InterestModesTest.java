package nats.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import nats.api.links.LinkHandle;
import nats.api.links.LinkPublisher;
import nats.api.links.RemoteInterest;
import org.junit.jupiter.api.Test;

/**
 * The two halves of Go's per-account interest modes without sockets: what an inbound connection announces
 * (Go's insim: RS-, A-, RS+/A+ to revoke them, the switch after the threshold) and how an outbound connection
 * turns the remote's announcements into interest the kernel routes by (Go's outsim: a {@code >} placeholder while
 * optimistic, the remote's subscriptions once interest-only).
 */
class InterestModesTest {

    private final List<String> sent = new ArrayList<>();
    private final ClusterInterest cluster = new ClusterInterest((account, entry, added) -> { });
    private final InboundInterest inbound = new InboundInterest(new InboundInterest.Sender() {
        @Override
        public void line(byte[] line) {
            String text = new String(line, StandardCharsets.UTF_8);
            assertTrue(text.endsWith("\r\n"), "a protocol line ends in CRLF: " + text);
            sent.add(text.substring(0, text.length() - 2));
        }

        @Override
        public void command(int command, String account) {
            sent.add("INFO cmd " + command + " " + account);
        }
    }, cluster);

    @Test
    void inboundAnswersNoInterestAndRevokesItAsGoDoes() {
        inbound.noInterest("$G", "nobody");
        assertEquals(List.of("A- $G"), sent, "no subscription at all in the account: A-");
        sent.clear();
        cluster.interestChanged("$G", "foo", null, 1);
        inbound.interestChanged("$G", new ClusterInterest.Entry("foo", null), true);
        assertEquals(List.of("A+ $G"), sent, "the first subscriber revokes the A-");
        sent.clear();
        inbound.noInterest("$G", "bar.x");
        inbound.noInterest("$G", "bar.x");
        assertEquals(List.of("RS- $G bar.x"), sent, "RS- once per subject while the account has interest");
        sent.clear();
        inbound.interestChanged("$G", new ClusterInterest.Entry("bar.*", null), true);
        assertEquals(List.of("RS+ $G bar.*"), sent, "a wildcard covering a subject answered RS- revokes it");
        sent.clear();
        inbound.interestChanged("$G", new ClusterInterest.Entry("other", null), true);
        inbound.interestChanged("$G", new ClusterInterest.Entry("work", "q"), true);
        assertEquals(List.of("RS+ $G work q 1"), sent, "optimistic: plain interest is not announced, queues always");
    }

    @Test
    void inboundSwitchesAfterTheThresholdAndThenAnnouncesEveryChange() {
        cluster.interestChanged("$G", "keep", null, 1);
        cluster.interestChanged("$G", "work", "q", 1);
        for (int i = 0; i < InboundInterest.SWITCH_THRESHOLD; i++) {
            inbound.noInterest("$G", "s." + i);
        }
        assertEquals(InboundInterest.SWITCH_THRESHOLD, sent.size(), "one RS- per subject up to the threshold");
        sent.clear();
        inbound.noInterest("$G", "one.more");
        assertEquals(List.of("INFO cmd 2 $G", "RS+ $G keep", "INFO cmd 3 $G"), sent,
                "the next one switches: start, every plain subscription, complete");
        sent.clear();
        inbound.interestChanged("$G", new ClusterInterest.Entry("new", null), true);
        inbound.interestChanged("$G", new ClusterInterest.Entry("new", null), false);
        inbound.noInterest("$G", "stray");
        assertEquals(List.of("RS+ $G new", "RS- $G new"), sent, "interest-only: every change, no RS- or A-");
        assertEquals(InterestMode.INTEREST_ONLY, inbound.accounts().get("$G").mode, "mode");
    }

    /** Records what the outbound side registers with the kernel. */
    private static final class Registry implements LinkHandle {
        final Set<String> interest = new TreeSet<>();

        @Override
        public Outcome addInterest(String account, String subject, String queue, int weight) {
            return interest.add(account + " " + subject + (queue == null ? "" : " " + queue)) ? Outcome.ADDED
                    : Outcome.UNCHANGED;
        }

        @Override
        public boolean removeInterest(String account, String subject, String queue) {
            return interest.remove(account + " " + subject + (queue == null ? "" : " " + queue));
        }

        @Override
        public int interestCount() {
            return interest.size();
        }

        @Override
        public List<RemoteInterest> interest() {
            return List.of();
        }

        @Override
        public LinkPublisher publisher() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }

    private static boolean suppressed(OutboundInterest out, String subject) {
        byte[] b = subject.getBytes(StandardCharsets.US_ASCII);
        return out.suppressed("$G", b, 0, b.length);
    }

    @Test
    void outboundSendsOptimisticallyUntilToldOtherwise() {
        Registry kernel = new Registry();
        OutboundInterest out = new OutboundInterest(kernel, false);
        out.accountKnown("$G");
        assertEquals(Set.of("$G >"), kernel.interest, "optimistic: everything in the account goes");
        out.unsubscribe("$G", "nobody", null);
        assertTrue(suppressed(out, "nobody"), "RS-: that subject no longer goes");
        assertFalse(suppressed(out, "other"), "others still do");
        out.subscribe("$G", "nob*", null);
        assertTrue(suppressed(out, "nobody"), "nob* is a literal token, not a wildcard");
        out.subscribe("$G", ">", null);
        assertFalse(suppressed(out, "nobody"), "an RS+ of a wildcard covering it clears the RS-");
        out.subscribe("$G", "work", "q");
        assertEquals(Set.of("$G >", "$G work q"), kernel.interest, "queue groups are registered in any mode");
        out.accountUnsubscribe("$G");
        assertEquals(Set.of("$G >", "$G work q"), kernel.interest, "A- with queue interest only resets RS-s (Go)");
        out.unsubscribe("$G", "work", "q");
        out.accountUnsubscribe("$G");
        assertEquals(Set.of(), kernel.interest, "A-: nothing goes in the account");
        out.accountSubscribe("$G");
        assertEquals(Set.of("$G >"), kernel.interest, "A+: optimistic again");
        out.allSubscriptionsStart("$G");
        out.subscribe("$G", "a", null);
        out.subscribe("$G", ">", null);
        out.allSubscriptionsComplete("$G");
        assertEquals(Set.of("$G >", "$G a"), kernel.interest, "interest-only: the remote's subscriptions, its > too");
        out.unsubscribe("$G", ">", null);
        assertEquals(Set.of("$G a"), kernel.interest, "no placeholder once interest-only");
        assertEquals(InterestMode.INTEREST_ONLY, out.accounts().get("$G").mode, "mode");
    }

    @Test
    void anInterestOnlyRemoteGetsOnlyWhatItSubscribed() {
        Registry kernel = new Registry();
        OutboundInterest out = new OutboundInterest(kernel, true);
        out.accountKnown("$G");
        assertEquals(Set.of(), kernel.interest, "gateway_iom: nothing before the remote's subscriptions");
        out.allSubscriptionsStart("$G");
        out.subscribe("$G", "foo", null);
        out.allSubscriptionsComplete("$G");
        out.subscribe("$G", "bar", null);
        assertEquals(Set.of("$G bar", "$G foo"), kernel.interest, "the remote's subscriptions");
    }
}
