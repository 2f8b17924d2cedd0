package nats.archtests;

import java.util.List;
import java.util.Objects;

/**
 * Where each architectural role lives, as package names under one root. The production layout is rooted at
 * {@code nats}; fixture layouts are rooted at {@code nats.archtests.fixtures.<case>}, so the very same rule
 * definitions can be shown to fail on small hand-made violations.
 *
 * <p>A module's root package is its name: {@code <root>.<name>}, except for grouped names, where the module
 * is one level deeper ({@code nats.example.echo}), and the JetStream storage modules: the SPI
 * {@code nats.jetstream.store} (with its {@code support} package) and each backend
 * {@code nats.jetstream.store.<backend>} ({@code memory}, {@code file}).
 *
 * @param root the package that holds every module of the layout
 */
public record Layout(String root) {

    /** First segments of plugin modules, present or future; a new plugin under these names is covered at once. */
    public static final List<String> PLUGIN_NAMES = List.of(
            "example", "cluster", "gateway", "leafnode", "raft", "jetstream", "mqtt", "websocket");

    /** First segments whose modules are one level deeper (several modules share the segment). */
    private static final List<String> GROUPED_NAMES = List.of("example");

    /** Packages of the storage SPI module itself, below {@code jetstream.store}; anything else there is a backend. */
    private static final List<String> STORE_SPI_PACKAGES = List.of("support");

    /** The real packages of the build. */
    public static final Layout PRODUCTION = new Layout("nats");

    public Layout {
        Objects.requireNonNull(root, "root");
        if (root.isBlank() || root.endsWith(".")) {
            throw new IllegalArgumentException("root must be a package name, was '" + root + "'");
        }
    }

    /** A layout whose roles all live under {@code root}. */
    public static Layout rootedAt(String root) {
        return new Layout(root);
    }

    /** ArchUnit pattern of every class of the layout. */
    public String all() {
        return root + "..";
    }

    public String api() {
        return pattern("api");
    }

    public String transport() {
        return pattern("transport");
    }

    public String kernel() {
        return pattern("server");
    }

    public String cli() {
        return pattern("cli");
    }

    public String bench() {
        return pattern("bench");
    }

    /** ArchUnit patterns of the plugin packages. */
    public String[] plugins() {
        return PLUGIN_NAMES.stream().map(this::pattern).toArray(String[]::new);
    }

    /** ArchUnit pattern of the RAFT library module. */
    public String raft() {
        return pattern("raft");
    }

    /** ArchUnit pattern of the JetStream storage modules: the SPI and its backends. */
    public String store() {
        return root + ".jetstream.store..";
    }

    /** ArchUnit pattern of implementation packages, which only their own module may use. */
    public String internals() {
        return root + "..internal..";
    }

    /**
     * The module (as its root package) that owns {@code packageName}, or the empty string when the package
     * is outside this layout.
     */
    public String moduleOf(String packageName) {
        if (!packageName.startsWith(root + ".")) {
            return "";
        }
        String[] segments = packageName.substring(root.length() + 1).split("\\.");
        if (segments.length > 1 && segments[0].equals("jetstream") && segments[1].equals("store")) {
            boolean backend = segments.length > 2 && !STORE_SPI_PACKAGES.contains(segments[2]);
            return root + ".jetstream.store" + (backend ? "." + segments[2] : "");
        }
        boolean grouped = GROUPED_NAMES.contains(segments[0]) && segments.length > 1;
        return grouped ? root + "." + segments[0] + "." + segments[1] : root + "." + segments[0];
    }

    private String pattern(String name) {
        return root + "." + name + "..";
    }
}
