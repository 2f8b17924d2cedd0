package nats.transport.compress;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Compression of a route or leaf node connection as Go 2.10 configures and negotiates it ({@code cluster} and
 * {@code leafnodes} blocks, leaf remotes: {@code compression: ...}): a mode, and for {@code s2_auto} the round-trip
 * thresholds that pick the level. The texts of the errors are Go's.
 *
 * @param mode          one of the {@code MODE_} constants (normalized)
 * @param rttThresholds for {@code s2_auto}: up to the first, uncompressed; then fast, better, best (0 skips a level)
 */
public record CompressionOptions(String mode, List<Duration> rttThresholds) {

    public static final String NOT_SUPPORTED = "not supported";
    public static final String OFF = "off";
    public static final String ACCEPT = "accept";
    public static final String S2_AUTO = "s2_auto";
    public static final String S2_UNCOMPRESSED = "s2_uncompressed";
    public static final String S2_FAST = "s2_fast";
    public static final String S2_BETTER = "s2_better";
    public static final String S2_BEST = "s2_best";

    /** Go's defaultCompressionS2AutoRTTThresholds. */
    public static final List<Duration> DEFAULT_RTT_THRESHOLDS = List.of(Duration.ofMillis(10), Duration.ofMillis(50),
            Duration.ofMillis(100));

    /**
     * Not configured: the protocol of Go 2.9, the version this server reports, with nothing about
     * compression in the INFO or in the monitoring pages. (Go 2.10's route default is {@code accept};
     * configure it to take compression from 2.10+ peers that start it.)
     */
    public static final CompressionOptions DEFAULT = new CompressionOptions("", List.of());

    /** Whether {@code compression} was configured at all. */
    public boolean configured() {
        return !mode.isEmpty();
    }

    public CompressionOptions {
        rttThresholds = List.copyOf(rttThresholds);
    }

    /**
     * Go's validateAndNormalizeCompressionOption for routes ({@code on} means {@code s2_fast}).
     *
     * @throws IllegalArgumentException with Go's text
     */
    public static CompressionOptions of(String configured, List<Duration> thresholds) {
        return of(configured, thresholds, S2_FAST);
    }

    /**
     * Go's validateAndNormalizeCompressionOption.
     *
     * @param modeForOn what {@code on} (or {@code enabled}, {@code true}) means: {@code s2_fast} for routes,
     *                  {@code s2_auto} for leaf nodes
     * @throws IllegalArgumentException with Go's text
     */
    public static CompressionOptions of(String configured, List<Duration> thresholds, String modeForOn) {
        String m = configured.toLowerCase(java.util.Locale.ROOT);
        if (m.equals("on") || m.equals("enabled") || m.equals("true")) {
            m = modeForOn;
        }
        return switch (m) {
            case "not supported", "not_supported" -> new CompressionOptions(NOT_SUPPORTED, List.of());
            case "disabled", "off", "false" -> new CompressionOptions(OFF, List.of());
            case "accept" -> new CompressionOptions(ACCEPT, List.of());
            case "auto", "s2_auto" -> new CompressionOptions(S2_AUTO, autoThresholds(configured, thresholds));
            case "fast", "s2_fast" -> new CompressionOptions(S2_FAST, List.of());
            case "better", "s2_better" -> new CompressionOptions(S2_BETTER, List.of());
            case "best", "s2_best" -> new CompressionOptions(S2_BEST, List.of());
            // Go's "uncompressed" is not a mode one configures, only a level s2_auto picks.
            default -> throw new IllegalArgumentException("unsupported compression mode \"" + configured + "\"");
        };
    }

    private static List<Duration> autoThresholds(String mode, List<Duration> given) {
        if (given.isEmpty()) {
            return DEFAULT_RTT_THRESHOLDS;
        }
        List<Duration> rtts = new ArrayList<>();
        for (Duration n : given) {
            if (n.isNegative()) {
                n = Duration.ZERO;
            }
            if (!rtts.isEmpty() && !n.isZero()) {
                for (Duration v : rtts) {
                    if (n.compareTo(v) < 0) {
                        throw new IllegalArgumentException("RTT threshold values " + goList(given)
                                + " should be in ascending order");
                    }
                }
            }
            rtts.add(n);
        }
        int stop = rtts.size() - 1;
        while (stop >= 0 && rtts.get(stop).isZero()) {
            stop--;
        }
        rtts = rtts.subList(0, stop + 1);
        if (rtts.size() > 4) {
            throw new IllegalArgumentException("compression mode \"" + mode + "\" should have no more than 4 RTT thresholds: "
                    + goList(given));
        }
        if (rtts.isEmpty()) {
            throw new IllegalArgumentException("compression mode \"" + mode + "\" requires at least one RTT threshold");
        }
        return rtts;
    }

    private static String goList(List<Duration> d) {
        return d.stream().map(x -> nats.transport.json.GoDurations.duration(x.toNanos())).toList().toString().replace(",", "");
    }

    /** Go's needsCompression: whether this side negotiates compression with a peer at all. */
    public boolean negotiates() {
        return needsCompression(mode);
    }

    /** Whether mode {@code m} means compressing (S2 framing), as Go's needsCompression. */
    public static boolean needsCompression(String m) {
        return !m.isEmpty() && !m.equals(OFF) && !m.equals(NOT_SUPPORTED);
    }

    /**
     * Go's selectCompressionMode: what this side ({@link #mode}) uses with a peer that announced {@code theirs}.
     *
     * @throws IllegalArgumentException for a mode this server does not know, with Go's text
     */
    public String select(String theirs) {
        if (theirs.isEmpty() || theirs.equals(NOT_SUPPORTED)) {
            return NOT_SUPPORTED;
        }
        return switch (theirs) {
            case OFF -> OFF;
            case ACCEPT -> mode.equals(ACCEPT) ? OFF : mode;
            case S2_AUTO, S2_UNCOMPRESSED, S2_FAST, S2_BETTER, S2_BEST -> {
                if (mode.equals(ACCEPT)) {
                    yield theirs.equals(S2_AUTO) ? S2_FAST : theirs;
                }
                yield mode;
            }
            default -> throw new IllegalArgumentException("unsupported route compression mode \"" + theirs + "\"");
        };
    }

    /** Go's selectS2AutoModeBasedOnRTT. */
    public String levelFor(Duration rtt) {
        int idx = -1;
        for (int i = 0; i < rttThresholds.size(); i++) {
            if (rtt.compareTo(rttThresholds.get(i)) <= 0) {
                idx = i;
                break;
            }
        }
        if (idx < 0) {
            idx = rttThresholds.size() >= 3 ? 3 : rttThresholds.size() - 1;
        }
        return switch (idx) {
            case 0 -> S2_UNCOMPRESSED;
            case 1 -> S2_FAST;
            case 2 -> S2_BETTER;
            default -> S2_BEST;
        };
    }

    /** Go's compressionModeForInfoProtocol: an s2_auto server announces s2_auto, not its current level. */
    public String forInfo(String negotiated) {
        return mode.equals(S2_AUTO) ? S2_AUTO : negotiated;
    }
}
