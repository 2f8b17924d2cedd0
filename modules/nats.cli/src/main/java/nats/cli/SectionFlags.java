package nats.cli;

import static nats.cli.FlagSpec.Kind.INT;
import static nats.cli.FlagSpec.Kind.STRING;
import static nats.cli.FlagSpec.Kind.SWITCH;

import java.util.ArrayList;
import java.util.List;

import nats.server.options.ServerOptions;

/**
 * Go flags that belong to a plugin: each sets one value of a config section ({@code -sd DIR} is
 * {@code jetstream { store_dir: DIR }}), over what the config file says, as Go's flags override the file.
 * The plugin reads it from its section; the launcher knows only the section's name, never the plugin.
 *
 * @param flag    the flag
 * @param section the config section it writes into
 * @param key     the key it sets in that section, spelled as in a Go config file
 * @param enables whether the flag alone turns the section on (Go's {@code -js} and {@code --cluster} do;
 *                {@code -sd} or {@code --routes} only set a value for when it is on)
 * @param list    whether the value is a comma-separated list, each element trimmed (Go's RoutesFromStr)
 */
record SectionFlags(FlagSpec flag, String section, String key, boolean enables, boolean list) {

    SectionFlags(FlagSpec flag, String section, String key, boolean enables) {
        this(flag, section, key, enables, false);
    }


    /** The table: a new plugin-owned Go flag is one line here. */
    static final List<SectionFlags> ALL = List.of(
            new SectionFlags(FlagSpec.of(SWITCH, "", "Enable JetStream functionality",
                    "-js", "--jetstream", "-jetstream"), "jetstream", "enabled", true),
            new SectionFlags(FlagSpec.of(FlagSpec.Kind.PATH, "DIR", "Set the storage directory",
                    "-sd", "--store_dir", "-store_dir"), "jetstream", "store_dir", false),
            new SectionFlags(FlagSpec.of(STRING, "URL", "Cluster URL for solicited routes",
                    "--cluster", "-cluster", "--cluster_listen", "-cluster_listen"), "cluster", "listen", true),
            new SectionFlags(FlagSpec.of(STRING, "NAME", "Cluster Name, if not set one will be dynamically generated",
                    "--cluster_name", "-cluster_name"), "cluster", "name", false),
            new SectionFlags(FlagSpec.of(STRING, "URLS", "Routes to solicit and connect",
                    "--routes", "-routes"), "cluster", "routes", false, true),
            new SectionFlags(FlagSpec.of(SWITCH, "", "Do not advertise known cluster information to clients",
                    "--no_advertise", "-no_advertise"), "cluster", "no_advertise", false),
            new SectionFlags(FlagSpec.of(STRING, "URL", "Cluster URL to advertise to other servers",
                    "--cluster_advertise", "-cluster_advertise"), "cluster", "cluster_advertise", false),
            new SectionFlags(FlagSpec.of(INT, "NUMBER", "For implicit routes, number of connect retries",
                    "--connect_retries", "-connect_retries"), "cluster", "connect_retries", false));

    /** Writes every section flag that was given into {@code options}, over the config file's sections. */
    static void applyTo(ParsedFlags flags, ServerOptions options) {
        for (SectionFlags f : ALL) {
            if (flags.isGiven(f.flag())) {
                options.sectionFlag(f.flag().key(), f.section(), f.key(), f.configValue(flags), f.enables());
            }
        }
    }

    /** The flag's value as the config parser would have produced it (Long, Boolean, String, List). */
    private Object configValue(ParsedFlags flags) {
        return switch (flag.kind()) {
            case SWITCH -> flags.on(flag);
            case INT -> (long) flags.integer(flag);
            case PATH -> flags.path(flag).toString();
            case STRING -> list ? commaList(flags.string(flag)) : flags.string(flag);
            default -> throw new IllegalStateException("no config value for " + flag.kind());
        };
    }

    /** Go's RoutesFromStr: comma-separated, each element trimmed, empty ones dropped. */
    private static List<Object> commaList(String value) {
        List<Object> urls = new ArrayList<>();
        for (String url : value.split(",")) {
            if (!url.isBlank()) {
                urls.add(url.trim());
            }
        }
        return urls;
    }
}
