package nats.jetstream.internal.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import nats.transport.config.ConfigProblem;
import nats.transport.config.ConfigValues;
import nats.transport.json.Json;

/**
 * An account's JetStream limits (Go's {@code JetStreamAccountLimits}); -1 means unlimited.
 *
 * @param maxMemory            {@code max_memory}
 * @param maxStore             {@code max_storage}
 * @param maxStreams           {@code max_streams}
 * @param maxConsumers         {@code max_consumers}
 * @param maxAckPending        {@code max_ack_pending}
 * @param memoryMaxStreamBytes {@code memory_max_stream_bytes}
 * @param storeMaxStreamBytes  {@code storage_max_stream_bytes}
 * @param maxBytesRequired     {@code max_bytes_required}
 */
public record AccountLimits(long maxMemory, long maxStore, long maxStreams, long maxConsumers, long maxAckPending,
                            long memoryMaxStreamBytes, long storeMaxStreamBytes, boolean maxBytesRequired) {

    /** Go's {@code defaultJSAccountTiers}: everything unlimited. */
    public static final AccountLimits UNLIMITED = new AccountLimits(-1, -1, -1, -1, -1, -1, -1, false);

    /**
     * Reads an account's {@code jetstream} setting from the config file ({@code parseJetStreamForAccount}):
     * {@code true}/{@code enabled} for no limits, {@code false}/{@code disabled} for none, or a map of limits.
     */
    public static Optional<AccountLimits> fromSetting(Map<String, Object> where, String key, Object value)
            throws ConfigProblem {
        switch (value) {
            case Boolean b -> {
                return b ? Optional.of(UNLIMITED) : Optional.empty();
            }
            case String s -> {
                return switch (s.toLowerCase(java.util.Locale.ROOT)) {
                    case "enabled", "enable" -> Optional.of(UNLIMITED);
                    case "disabled", "disable" -> Optional.empty();
                    default -> throw new ConfigProblem(where, key,
                            "Expected 'enabled' or 'disabled' for string value, got '" + s + "'");
                };
            }
            case Map<?, ?> raw -> {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) raw;
                long[] v = {-1, -1, -1, -1, -1, -1, -1};
                boolean required = false;
                for (Map.Entry<String, Object> e : m.entrySet()) {
                    String k = e.getKey();
                    int slot = switch (ConfigValues.goLower(k)) {
                        case "max_memory", "max_mem", "mem", "memory" -> 0;
                        case "max_store", "max_file", "max_disk", "store", "disk" -> 1;
                        case "max_streams", "streams" -> 2;
                        case "max_consumers", "consumers" -> 3;
                        case "max_ack_pending" -> 4;
                        case "mem_max_stream_bytes", "memory_max_stream_bytes" -> 5;
                        case "disk_max_stream_bytes", "store_max_stream_bytes" -> 6;
                        case "max_bytes_required", "max_stream_bytes", "max_bytes" -> 7;
                        default -> throw new ConfigProblem(m, k, "unknown field \"" + k + "\"");
                    };
                    if (slot == 7) {
                        if (!(e.getValue() instanceof Boolean b)) {
                            throw new ConfigProblem(m, k, "Expected a parseable bool for \"" + k + "\", got "
                                    + e.getValue());
                        }
                        required = b;
                    } else {
                        if (!(e.getValue() instanceof Long l)) {
                            throw new ConfigProblem(m, k, "Expected a parseable size for \"" + k + "\", got "
                                    + e.getValue());
                        }
                        v[slot] = l;
                    }
                }
                return Optional.of(new AccountLimits(v[0], v[1], v[2], v[3], v[4], v[5], v[6], required));
            }
            default -> throw new ConfigProblem(where, key,
                    "Expected map, bool or string to define JetStream, got " + JetStreamOptions.goType(value));
        }
    }

    /**
     * The JetStream limits of an account JWT's claims ({@code nats.limits}): enabled when it grants memory or
     * disk storage, or has tiered limits.
     */
    @SuppressWarnings("unchecked")
    public static Optional<AccountLimits> fromJwtClaims(String claimsJson) {
        Map<String, Object> claims = Json.parseObject(claimsJson);
        Object nats = claims.get("nats");
        if (!(nats instanceof Map<?, ?> natsMap)) {
            return Optional.empty();
        }
        Object limits = natsMap.get("limits");
        if (!(limits instanceof Map<?, ?> l)) {
            return Optional.empty();
        }
        Map<String, Object> m = (Map<String, Object>) l;
        Object tiered = m.get("tiered_limits");
        if (tiered instanceof Map<?, ?> tiers && !tiers.isEmpty()) {
            Object first = tiers.values().iterator().next();
            if (first instanceof Map<?, ?> tier) {
                return Optional.of(fromJwtMap((Map<String, Object>) tier));
            }
        }
        long mem = number(m, "mem_storage", 0);
        long disk = number(m, "disk_storage", 0);
        if (mem == 0 && disk == 0) {
            return Optional.empty();
        }
        return Optional.of(fromJwtMap(m));
    }

    private static AccountLimits fromJwtMap(Map<String, Object> m) {
        return new AccountLimits(number(m, "mem_storage", 0), number(m, "disk_storage", 0), number(m, "streams", 0),
                number(m, "consumer", 0), number(m, "max_ack_pending", 0), number(m, "mem_max_stream_bytes", 0),
                number(m, "disk_max_stream_bytes", 0), Boolean.TRUE.equals(m.get("max_bytes_required")));
    }

    private static long number(Map<String, Object> m, String key, long absent) {
        return m.get(key) instanceof Number n ? n.longValue() : absent;
    }

    /** Go's {@code JetStreamAccountLimits} JSON. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("max_memory", maxMemory);
        m.put("max_storage", maxStore);
        m.put("max_streams", maxStreams);
        m.put("max_consumers", maxConsumers);
        m.put("max_ack_pending", maxAckPending);
        m.put("memory_max_stream_bytes", memoryMaxStreamBytes);
        m.put("storage_max_stream_bytes", storeMaxStreamBytes);
        m.put("max_bytes_required", maxBytesRequired);
        return m;
    }
}
