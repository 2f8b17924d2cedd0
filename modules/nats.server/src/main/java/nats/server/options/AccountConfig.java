package nats.server.options;

import java.time.Duration;
import java.util.List;

/**
 * One account from the {@code accounts { }} block: its own subject space, with what it shares with other
 * accounts (exports) and what it takes from them (imports).
 *
 * @param name     the account name
 * @param exports  streams and services other accounts may import
 * @param imports  streams and services taken from other accounts
 * @param mappings subject mappings applied to what this account's clients publish
 * @param limits   limits on the account's clients
 */
public record AccountConfig(String name, List<Export> exports, List<Import> imports, List<Mapping> mappings,
                            Limits limits, MessageTrace trace) {

    public AccountConfig {
        exports = List.copyOf(exports);
        imports = List.copyOf(imports);
        mappings = List.copyOf(mappings);
    }

    public AccountConfig(String name, List<Export> exports, List<Import> imports, List<Mapping> mappings,
                         Limits limits) {
        this(name, exports, imports, mappings, limits, MessageTrace.NONE);
    }

    /**
     * Go 2.11's {@code msg_trace} (or {@code trace_dest}): where traces started by a W3C {@code traceparent}
     * header go, and the share of such messages traced.
     *
     * @param dest     the subject, "" for none
     * @param sampling 1 to 100 (percent); 0 when no destination is set
     */
    public record MessageTrace(String dest, int sampling) {
        public static final MessageTrace NONE = new MessageTrace("", 0);
    }

    public AccountConfig(String name, List<Export> exports, List<Import> imports, List<Mapping> mappings) {
        this(name, exports, imports, mappings, Limits.NONE);
    }

    /** The {@code limits} block of an account; -1 means no limit of the account's own. */
    public record Limits(long maxConnections, long maxSubscriptions, long maxPayload, long maxLeafnodes) {
        public static final Limits NONE = new Limits(-1, -1, -1, -1);
    }

    /** An account with nothing shared. */
    public AccountConfig(String name) {
        this(name, List.of(), List.of(), List.of());
    }

    /** Whether an export offers messages (stream) or answers requests (service). */
    public enum Kind { STREAM, SERVICE }

    /** How many responses a service request may get, as in Go's {@code response} export option. */
    public enum ResponseType {
        SINGLETON("Singleton"), STREAM("Stream"), CHUNKED("Chunked");

        private final String goName;

        ResponseType(String goName) {
            this.goName = goName;
        }

        public String goName() {
            return goName;
        }
    }

    /** Go's default time a streamed or chunked service response stays routable. */
    public static final Duration DEFAULT_RESPONSE_THRESHOLD = Duration.ofMinutes(2);

    /**
     * @param accounts  the accounts allowed to import; empty for a public export
     * @param threshold how long responses to one request stay routable (services only)
     * @param latency   service latency tracking, or null
     * @param allowTrace Go's {@code allow_trace} (services): a traced request is traced on in the exporter
     */
    public record Export(Kind kind, String subject, List<String> accounts, ResponseType responseType,
                         Duration threshold, Latency latency, boolean allowTrace) {
        public Export {
            accounts = List.copyOf(accounts);
        }

        public Export(Kind kind, String subject, List<String> accounts, ResponseType responseType,
                      Duration threshold, Latency latency) {
            this(kind, subject, accounts, responseType, threshold, latency, false);
        }

        public Export(Kind kind, String subject, List<String> accounts, ResponseType responseType,
                      Duration threshold) {
            this(kind, subject, accounts, responseType, threshold, null);
        }

        public boolean isPublic() {
            return accounts.isEmpty();
        }
    }

    /**
     * Service latency tracking: a share of requests whose latency is published on {@code subject} in the
     * exporting account.
     *
     * @param samplingPercent 1 to 100
     */
    public record Latency(int samplingPercent, String subject) {
    }

    /**
     * @param account the exporting account
     * @param subject the subject as the exporting account knows it
     * @param to      the subject as the importing account sees it (the same when not remapped)
     * @param allowTrace Go's {@code allow_trace} (streams): a traced message is traced on in the importer
     */
    public record Import(Kind kind, String account, String subject, String to, boolean allowTrace) {
        public Import(Kind kind, String account, String subject, String to) {
            this(kind, account, subject, to, false);
        }
    }

    /**
     * A subject mapping: messages published to {@code source} go to one of the destinations, chosen by
     * weight (percent); weights summing to less than 100 leave the rest on the original subject.
     */
    public record Mapping(String source, List<Destination> destinations) {
        public Mapping {
            destinations = List.copyOf(destinations);
        }

        public record Destination(String subject, int weight) {
        }
    }

    /** Names the Go server reserves. */
    public static final String GLOBAL = "$G";
    public static final String SYSTEM = "$SYS";

    public static boolean isReserved(String name) {
        return GLOBAL.equals(name);
    }
}
