package nats.leafnode.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Go 2.9's addLeafNodeConnection: which JetStream subjects a leaf connection keeps on its side, decided from the
 * two sides' JetStream domains. Unless both run one domain over a shared system account, the JetStream API stays
 * on its side: {@code $JS.API.>}, {@code $KV.>} and {@code $OBJ.>} (Go's denyAllClientJs) cross neither as messages
 * nor as interest, and for the system account neither do JetStream's cluster subjects ({@code $JSC.>},
 * {@code $NRG.>}: Go's denyAllJs). A domain's {@code $JS.<domain>.API} subjects do cross; when the domains differ
 * (or a side has none) this side's own domain API is not sent out either, Go's guard against two sides named with
 * one domain. With the same domain an application account keeps its denies (its API traffic would go through the
 * system account). There Go extends the domain over the system account (no denies; the leaf's meta group joins
 * the hub's as an observer); this server cannot extend a domain, so it keeps Go's not-extended denies on the
 * system account and says so in a warning rather than open the link to cluster traffic it would not take part
 * in. An application account bound
 * to the connection also gets the domain's mappings ({@code $JS.<domain>.API.>} to {@code $JS.API.>}), even
 * without JetStream of its own, as Go adds them there.
 */
final class JetStreamDenies {

    /** Go's denyAllClientJs. */
    static final List<String> DENY_ALL_CLIENT_JS = List.of("$JS.API.>", "$KV.>", "$OBJ.>");
    /** Go's denyAllJs: also the JetStream cluster and RAFT subjects. */
    static final List<String> DENY_ALL_JS = List.of("$JSC.>", "$NRG.>", "$JS.API.>", "$KV.>", "$OBJ.>");

    /**
     * What the connection denies.
     *
     * @param bothWays subjects that cross neither as messages nor as interest
     * @param outgoing a subject whose messages are not sent to the peer (this side's own domain API)
     * @param mappings the domain's mappings the account gets, source to destination
     * @param notices  Go's notices for the decision, in Go's words
     * @param warning  why the domain is not extended where Go would extend it
     */
    record Decision(List<String> bothWays, Optional<String> outgoing, Map<String, String> mappings,
                    List<String> notices, Optional<String> warning) {
    }

    /** This server's side of a connection, and its peer's domain. */
    record Sides(boolean jetStream, String localDomain, String remoteDomain, boolean systemAccountExists,
                 boolean systemAccount, String account, String peer) {
    }

    private JetStreamDenies() {
    }

    static Decision decide(Sides s) {
        List<String> notices = new ArrayList<>();
        Optional<String> warning = Optional.empty();
        List<String> deny;
        boolean notExtended = !s.localDomain().equals(s.remoteDomain())
                || (!s.jetStream() && s.localDomain().isEmpty()) || !s.systemAccountExists();
        if (notExtended) {
            if (s.systemAccount()) {
                notices.add("System Account Connected from " + s.peer());
                notices.add("JetStream Not Extended, adding denies " + goList(DENY_ALL_JS));
                deny = DENY_ALL_JS;
            } else {
                notices.add("JetStream Not Extended, adding deny " + goList(DENY_ALL_CLIENT_JS) + " for account "
                        + quoted(s.account()));
                deny = DENY_ALL_CLIENT_JS;
            }
        } else if (s.systemAccount()) {
            warning = Optional.of("JetStream domain " + quoted(s.remoteDomain()) + " not extended over the System "
                    + "Account connected from server " + s.peer() + ": this server does not extend JetStream "
                    + "domains; adding denies " + goList(DENY_ALL_JS));
            deny = DENY_ALL_JS;
        } else {
            notices.add("Adding deny " + goList(DENY_ALL_CLIENT_JS) + " for account " + quoted(s.account()));
            deny = DENY_ALL_CLIENT_JS;
        }
        Optional<String> outgoing = Optional.empty();
        Map<String, String> mappings = Map.of();
        if (!s.localDomain().isEmpty() && !s.systemAccount() && s.jetStream()) {
            mappings = mappingTable(s.localDomain());
            mappings.forEach((from, to) -> notices.add("Adding JetStream Domain Mapping " + quoted(from) + " -> " + to
                    + " to account " + quoted(s.account())));
        }
        if (notExtended && !s.localDomain().isEmpty() && !s.systemAccount() && s.jetStream()) {
            outgoing = Optional.of("$JS." + s.localDomain() + ".API.>");
            notices.add("Adding deny " + quoted(outgoing.get()) + " for outgoing messages to account "
                    + quoted(s.account()));
        }
        return new Decision(deny, outgoing, mappings, List.copyOf(notices), warning);
    }

    /**
     * Go's generateJSMappingTable. The JetStream plugin installs the same table in its own accounts; plugins share
     * no code, so the leaf side keeps its copy for the accounts it binds.
     */
    static Map<String, String> mappingTable(String domain) {
        Map<String, String> table = new LinkedHashMap<>();
        for (String api : List.of("INFO", "STREAM.>", "CONSUMER.>", "DIRECT.>", "META.>", "SERVER.>", "ACCOUNT.>")) {
            table.put("$JS." + domain + ".API." + api, "$JS.API." + api);
        }
        table.put("$JS." + domain + ".API.$KV.>", "$KV.>");
        table.put("$JS." + domain + ".API.$OBJ.>", "$OBJ.>");
        return table;
    }

    /** A list as Go's {@code %+v} prints a slice. */
    private static String goList(List<String> subjects) {
        return "[" + String.join(" ", subjects) + "]";
    }

    private static String quoted(String s) {
        return "\"" + s + "\"";
    }
}
