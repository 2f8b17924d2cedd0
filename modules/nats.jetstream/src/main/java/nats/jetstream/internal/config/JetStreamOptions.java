package nats.jetstream.internal.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import nats.jetstream.store.Durability;
import nats.jetstream.store.Encryption;
import nats.transport.config.ConfigProblem;
import nats.transport.config.ConfigValues;

/**
 * The server's {@code jetstream {}} block, read with the Go server's keys, aliases and error texts
 * ({@code parseJetStream}).
 *
 * @param enabled        {@code enabled}: false switches JetStream off although the block is present
 * @param storeDir       {@code store_dir}; the store lives in its {@code jetstream} sub-directory, as in Go
 * @param maxMemory      {@code max_memory_store}, -1 for Go's default (75% of the machine's memory)
 * @param maxStore       {@code max_file_store}, -1 for Go's default (75% of the disk's free space)
 * @param domain         {@code domain}
 * @param durability     {@code sync_interval}: {@link Durability#ALWAYS} (fsync before every ack) unless
 *                       an interval is configured
 * @param encryption     {@code cipher} and {@code key}
 * @param uniqueTag      {@code unique_tag}
 * @param limits         {@code limits {}}: server-wide caps on consumers
 * @param extensionHint  {@code extension_hint} as written (Go checks it only in a cluster)
 * @param maxCatchup     {@code max_outstanding_catchup}, 0 when absent (Go checks it only in a cluster)
 */
public record JetStreamOptions(boolean enabled, Optional<Path> storeDir, long maxMemory, long maxStore, String domain,
                               Durability durability, Optional<Encryption> encryption, String uniqueTag,
                               ServerLimits limits, String extensionHint, long maxCatchup) {

    /**
     * The {@code limits {}} block.
     *
     * @param maxAckPending   {@code max_ack_pending}, 0 for none
     * @param maxRequestBatch {@code max_request_batch}, 0 for none
     * @param duplicates      {@code duplicate_window}, zero for none
     * @param maxHaAssets     {@code max_ha_assets}: placement skips a server in more RAFT groups, 0 for no cap
     */
    public record ServerLimits(long maxAckPending, long maxRequestBatch, Duration duplicates, long maxHaAssets) {
        public static final ServerLimits NONE = new ServerLimits(0, 0, Duration.ZERO, 0);
    }

    /** JetStream on with every default. */
    public static JetStreamOptions defaults() {
        return new JetStreamOptions(true, Optional.empty(), -1, -1, "", Durability.ALWAYS, Optional.empty(), "",
                ServerLimits.NONE, "", 0);
    }

    /** Reads the section (an empty map for {@code jetstream: enabled} or {@code -js}). */
    public static JetStreamOptions parse(Map<String, Object> section) throws ConfigProblem {
        boolean enabled = true;
        Path storeDir = null;
        long maxMemory = -1;
        long maxStore = -1;
        String domain = "";
        Durability durability = Durability.ALWAYS;
        String key = null;
        Encryption.Cipher cipher = Encryption.Cipher.CHACHA20_POLY1305;
        String uniqueTag = "";
        ServerLimits limits = ServerLimits.NONE;
        String extensionHint = "";
        long maxCatchup = 0;
        for (Map.Entry<String, Object> e : section.entrySet()) {
            String k = e.getKey();
            Object v = e.getValue();
            switch (ConfigValues.goLower(k)) {
                case "store", "store_dir", "storedir" -> storeDir = Path.of(requireString(section, k, v));
                case "max_memory_store", "max_mem_store", "max_mem" -> maxMemory = size(section, k, v, "max_mem_store");
                case "max_file_store", "max_file" -> maxStore = size(section, k, v, "max_file_store");
                case "domain" -> domain = requireString(section, k, v);
                case "enable", "enabled" -> enabled = enabledValue(section, k, v);
                case "key", "ek", "encryption_key" -> key = requireString(section, k, v);
                case "cipher" -> cipher = cipher(section, k, v);
                case "extension_hint" -> extensionHint = requireString(section, k, v);
                case "max_outstanding_catchup" -> maxCatchup = size(section, k, v, ConfigValues.goLower(k));
                case "strict", "max_buffered_msgs", "max_buffered_size",
                     "request_queue_limit", "tpm", "max_catchup" -> {
                    // Accepted as Go accepts them; they tune clustering and limits this server does not have.
                }
                case "sync", "sync_interval" -> durability = syncInterval(section, k, v);
                case "limits" -> limits = limits(ConfigValues.block(section, k, v));
                case "unique_tag" -> uniqueTag = requireString(section, k, v).strip().toLowerCase(Locale.ROOT);
                default -> throw new ConfigProblem(section, k, "unknown field \"" + k + "\"");
            }
        }
        Optional<Encryption> encryption = key == null || key.isEmpty() ? Optional.empty()
                : Optional.of(new Encryption(cipher, key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return new JetStreamOptions(enabled, Optional.ofNullable(storeDir), maxMemory, maxStore, domain, durability,
                encryption, uniqueTag, limits, extensionHint, maxCatchup);
    }

    /** The directory streams are kept in: {@code <store_dir>/jetstream}, Go's default under the temp directory. */
    public Path storeRoot() {
        Path base = storeDir.orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir"), "nats"));
        return base.resolve("jetstream");
    }

    /** Go's panic text when a key holds a value of another type ({@code interface conversion}). */
    private static String requireString(Map<String, Object> m, String key, Object v) throws ConfigProblem {
        if (v instanceof String s) {
            return s;
        }
        throw new ConfigProblem(m, key, "interface conversion: interface {} is " + goType(v) + ", not string");
    }

    /**
     * {@code enabled} in the block, or the plain value of {@code jetstream: ...} (which the kernel hands over as
     * {@code enabled}): a boolean, or Go's strings {@code enabled} and {@code disabled}.
     */
    private static boolean enabledValue(Map<String, Object> m, String key, Object v) throws ConfigProblem {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "enabled", "enable", "true" -> true;
                case "disabled", "disable", "false" -> false;
                default -> throw new ConfigProblem(m, key,
                        "Expected 'enabled' or 'disabled' for string value, got '" + s + "'");
            };
        }
        throw new ConfigProblem(m, key, "Expected map, bool or string to define JetStream, got " + goType(v));
    }

    static String goType(Object v) {
        return switch (v) {
            case Long l -> "int64";
            case Double d -> "float64";
            case String s -> "string";
            case Boolean b -> "bool";
            case java.util.List<?> l -> "[]interface {}";
            case Map<?, ?> m -> "map[string]interface {}";
            default -> "interface {}";
        };
    }

    /** Go's {@code getStorageSize}: an integer, or a string with a K, M, G or T suffix. */
    static long size(Map<String, Object> m, String key, Object v, String label) throws ConfigProblem {
        if (v instanceof Long l) {
            return l;
        }
        if (!(v instanceof String s)) {
            throw new ConfigProblem(m, key, label + " must be int64 or string");
        }
        if (s.isEmpty()) {
            return 0;
        }
        String prefix = s.substring(0, s.length() - 1);
        long number;
        try {
            number = Long.parseLong(prefix);
        } catch (NumberFormatException e) {
            throw new ConfigProblem(m, key, label + " strconv.ParseInt: parsing \"" + prefix + "\": invalid syntax");
        }
        int shift = switch (s.charAt(s.length() - 1)) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            case 'T' -> 40;
            default -> throw new ConfigProblem(m, key, label + " sizes defined as strings must end in K, M, G, T");
        };
        return number << shift;
    }

    private static Encryption.Cipher cipher(Map<String, Object> m, String key, Object v) throws ConfigProblem {
        String name = requireString(m, key, v);
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "chacha", "chachapoly" -> Encryption.Cipher.CHACHA20_POLY1305;
            case "aes" -> Encryption.Cipher.AES_GCM;
            default -> throw new ConfigProblem(m, key, "Unknown cipher type: \"" + name + "\"");
        };
    }

    private static Durability syncInterval(Map<String, Object> m, String key, Object v) throws ConfigProblem {
        if (v instanceof String s && s.equalsIgnoreCase("always")) {
            return Durability.ALWAYS;
        }
        Duration interval = ConfigValues.duration(m, key, v);
        if (interval.isNegative() || interval.isZero()) {
            return Durability.ALWAYS;
        }
        return Durability.interval(interval);
    }

    private static ServerLimits limits(Map<String, Object> block) throws ConfigProblem {
        long maxAckPending = 0;
        long maxRequestBatch = 0;
        Duration duplicates = Duration.ZERO;
        long maxHaAssets = 0;
        for (Map.Entry<String, Object> e : block.entrySet()) {
            String k = e.getKey();
            switch (ConfigValues.goLower(k)) {
                case "max_ack_pending" -> maxAckPending = ConfigValues.integer(block, k, e.getValue());
                case "max_ha_assets" -> maxHaAssets = ConfigValues.integer(block, k, e.getValue());
                case "max_request_batch" -> maxRequestBatch = ConfigValues.integer(block, k, e.getValue());
                case "duplicate_window" -> duplicates = ConfigValues.duration(block, k, e.getValue());
                default -> throw new ConfigProblem(block, k, "unknown field \"" + k + "\"");
            }
        }
        return new ServerLimits(maxAckPending, maxRequestBatch, duplicates, maxHaAssets);
    }
}
