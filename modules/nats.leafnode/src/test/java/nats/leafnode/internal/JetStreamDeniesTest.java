package nats.leafnode.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;

import nats.leafnode.internal.JetStreamDenies.Decision;
import nats.leafnode.internal.JetStreamDenies.Sides;
import org.junit.jupiter.api.Test;

/** The decision table of Go 2.9.10's addLeafNodeConnection, case by case, with Go's notices. */
class JetStreamDeniesTest {

    private static final List<String> CLIENT = List.of("$JS.API.>", "$KV.>", "$OBJ.>");
    private static final List<String> ALL = List.of("$JSC.>", "$NRG.>", "$JS.API.>", "$KV.>", "$OBJ.>");

    private static Decision app(boolean js, String local, String remote) {
        return JetStreamDenies.decide(new Sides(js, local, remote, true, false, "A", "S1"));
    }

    private static Decision sys(boolean js, String local, String remote) {
        return JetStreamDenies.decide(new Sides(js, local, remote, true, true, "SYS", "S1/C1"));
    }

    @Test
    void differentDomainsDenyTheApiAndKeepTheOwnDomainHere() {
        Decision d = app(true, "HUB", "SPOKE");
        assertEquals(CLIENT, d.bothWays(), "Go's denyAllClientJs both ways");
        assertEquals(Optional.of("$JS.HUB.API.>"), d.outgoing(), "the own domain's API is not sent out");
        assertEquals(9, d.mappings().size(), "Go's generateJSMappingTable for the account");
        assertEquals("$JS.API.INFO", d.mappings().get("$JS.HUB.API.INFO"), "the INFO mapping");
        assertEquals("$KV.>", d.mappings().get("$JS.HUB.API.$KV.>"), "the KV mapping");
        assertEquals("$JS.API.STREAM.>", d.mappings().get("$JS.HUB.API.STREAM.>"), "the stream mapping");
        assertEquals(11, d.notices().size(), "a notice per mapping: " + d.notices());
        assertEquals("JetStream Not Extended, adding deny [$JS.API.> $KV.> $OBJ.>] for account \"A\"",
                d.notices().get(0), "Go's first notice");
        assertEquals("Adding JetStream Domain Mapping \"$JS.HUB.API.INFO\" -> $JS.API.INFO to account \"A\"",
                d.notices().get(1), "Go's mapping notice");
        assertEquals("Adding deny \"$JS.HUB.API.>\" for outgoing messages to account \"A\"", d.notices().get(10),
                "Go's last notice");
    }

    @Test
    void aPeerWithoutDomainIsADifferentDomain() {
        assertEquals(Optional.of("$JS.HUB.API.>"), app(true, "HUB", "").outgoing(), "the peer has no domain");
        Decision none = app(true, "", "SPOKE");
        assertEquals(CLIENT, none.bothWays(), "no local domain: still denied");
        assertEquals(Optional.empty(), none.outgoing(), "no own domain to keep here");
    }

    @Test
    void withoutJetStreamNothingOfTheOwnDomainIsGuarded() {
        Decision d = app(false, "", "");
        assertEquals(CLIENT, d.bothWays(), "no JetStream and no domain: not extended");
        assertEquals(Optional.empty(), d.outgoing(), "no JetStream: no own domain");
        assertEquals(List.of("JetStream Not Extended, adding deny [$JS.API.> $KV.> $OBJ.>] for account \"A\""),
                d.notices(), "Go's notice");
    }

    @Test
    void sameDomainKeepsTheApplicationAccountsDenyWithoutTheOutgoingGuard() {
        Decision d = app(true, "D", "D");
        assertEquals(CLIENT, d.bothWays(), "the API goes through the system account in an extension");
        assertEquals(Optional.empty(), d.outgoing(), "same domain: no guard");
        assertEquals("Adding deny [$JS.API.> $KV.> $OBJ.>] for account \"A\"", d.notices().get(0), "Go's notice");
        assertEquals(9, d.mappings().size(), "the domain's mappings still");
        assertEquals(CLIENT, app(true, "", "").bothWays(), "both without domain, JetStream on: same");
    }

    @Test
    void theSystemAccountIsDeniedEverythingAndOneDomainIsNotExtendedHere() {
        Decision same = sys(true, "D", "D");
        assertEquals(ALL, same.bothWays(), "Go would extend; this server cannot, so Go's denyAllJs stays");
        assertEquals(List.of(), same.notices(), "no 'Extending' notice: nothing is extended");
        assertEquals(Optional.of("JetStream domain \"D\" not extended over the System Account connected from server "
                + "S1/C1: this server does not extend JetStream domains; adding denies "
                + "[$JSC.> $NRG.> $JS.API.> $KV.> $OBJ.>]"), same.warning(), "said in a warning");
        Decision other = sys(true, "D", "E");
        assertEquals(ALL, other.bothWays(), "Go's denyAllJs");
        assertEquals(Optional.empty(), other.outgoing(), "no outgoing guard on the system account");
        assertEquals(0, other.mappings().size(), "no mappings in the system account");
        assertEquals(List.of("System Account Connected from S1/C1",
                "JetStream Not Extended, adding denies [$JSC.> $NRG.> $JS.API.> $KV.> $OBJ.>]"), other.notices(),
                "Go's notices");
        assertEquals(ALL, sys(false, "", "").bothWays(), "no JetStream, no domain: not extended");
    }

    @Test
    void withoutASystemAccountNothingIsExtended() {
        Decision d = JetStreamDenies.decide(new Sides(true, "D", "D", false, false, "A", "S1"));
        assertEquals(CLIENT, d.bothWays(), "no system account: not extended");
        assertEquals(Optional.of("$JS.D.API.>"), d.outgoing(), "and the own domain is guarded");
    }
}
