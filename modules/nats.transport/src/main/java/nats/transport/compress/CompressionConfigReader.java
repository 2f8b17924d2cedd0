package nats.transport.compress;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import nats.transport.config.ConfigProblem;
import nats.transport.config.ConfigValues;

/**
 * Reads a {@code compression} setting as Go's parseCompression does, for {@code cluster}, {@code leafnodes} and
 * leaf remotes alike: a mode string, a boolean, or a block with {@code mode} and {@code rtt_thresholds}.
 */
public final class CompressionConfigReader {

    private CompressionConfigReader() {
    }

    /**
     * @param modeForOn what {@code true} and {@code on} mean: {@code s2_fast} for routes, {@code s2_auto} for leafs
     * @throws ConfigProblem with Go's text for a bad type, field, mode or threshold
     */
    public static CompressionOptions read(Map<String, Object> m, String key, Object v, String modeForOn)
            throws ConfigProblem {
        String mode;
        List<Duration> thresholds = new ArrayList<>();
        if (v instanceof String s) {
            mode = s;
        } else if (v instanceof Boolean b) {
            mode = b ? modeForOn : CompressionOptions.OFF;
        } else if (v instanceof Map<?, ?> raw) {
            @SuppressWarnings("unchecked")
            Map<String, Object> block = (Map<String, Object>) raw;
            mode = "";
            for (Map.Entry<String, Object> e : block.entrySet()) {
                switch (ConfigValues.goLower(e.getKey())) {
                    case "mode" -> mode = ConfigValues.string(block, e.getKey(), e.getValue());
                    case "rtt_thresholds", "thresholds", "rtts", "rtt" -> {
                        if (!(e.getValue() instanceof List<?> list)) {
                            throw new ConfigProblem(block, e.getKey(), "expected an array of durations");
                        }
                        for (Object d : list) {
                            thresholds.add(ConfigValues.duration(block, e.getKey(), d));
                        }
                    }
                    default -> throw ConfigValues.unknownField(block, e.getKey());
                }
            }
        } else {
            throw new ConfigProblem(m, key, "field \"" + key + "\" should be a boolean or a structure, got "
                    + ConfigValues.typeName(v));
        }
        try {
            return CompressionOptions.of(mode, thresholds, modeForOn);
        } catch (IllegalArgumentException e) {
            throw new ConfigProblem(m, key, e.getMessage());
        }
    }
}
