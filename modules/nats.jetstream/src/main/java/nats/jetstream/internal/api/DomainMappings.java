package nats.jetstream.internal.api;

import java.util.LinkedHashMap;
import java.util.Map;

import nats.api.accounts.PluginAccount;

/**
 * Go's generateJSMappingTable and enableAllJetStreamServiceImportsAndMappings: with {@code jetstream { domain: X }}
 * every account with JetStream maps {@code $JS.X.API.<...>} to {@code $JS.API.<...>} (and {@code $JS.X.API.$KV.>},
 * {@code $JS.X.API.$OBJ.>} to {@code $KV.>}, {@code $OBJ.>}), so clients that name the domain, here or behind a
 * leaf connection, reach this JetStream. A source the account maps already is left alone, as in Go.
 */
public final class DomainMappings {

    private DomainMappings() {
    }

    /** The mappings for {@code domain}, source to destination. */
    public static Map<String, String> table(String domain) {
        Map<String, String> suffixes = new LinkedHashMap<>();
        suffixes.put("INFO", "$JS.API.INFO");
        suffixes.put("STREAM.>", "$JS.API.STREAM.>");
        suffixes.put("CONSUMER.>", "$JS.API.CONSUMER.>");
        suffixes.put("DIRECT.>", "$JS.API.DIRECT.>");
        suffixes.put("META.>", "$JS.API.META.>");
        suffixes.put("SERVER.>", "$JS.API.SERVER.>");
        suffixes.put("ACCOUNT.>", "$JS.API.ACCOUNT.>");
        suffixes.put("$KV.>", "$KV.>");
        suffixes.put("$OBJ.>", "$OBJ.>");
        Map<String, String> table = new LinkedHashMap<>();
        suffixes.forEach((suffix, to) -> table.put("$JS." + domain + ".API." + suffix, to));
        return table;
    }

    /** Adds the domain's mappings to an account with JetStream; nothing without a domain. */
    public static void apply(PluginAccount account, String domain) {
        if (domain.isEmpty()) {
            return;
        }
        table(domain).forEach(account::addMapping);
    }
}
