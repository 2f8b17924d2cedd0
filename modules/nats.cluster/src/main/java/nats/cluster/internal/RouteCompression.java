package nats.cluster.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Route compression as Go 2.10 configures and negotiates it ({@code cluster { compression: ... }}): a mode, and
 * for {@code s2_auto} the round-trip thresholds that pick the level. The texts of the errors are Go's.
 *
 * @param mode          one of the {@code MODE_} constants (normalized)
 * @param rttThresholds for {@code s2_auto}: up to the first, uncompressed; then fast, better, best (0 skips a level)
 */
record RouteCompression(String mode, List<Duration> rttThresholds) {

    static final String NOT_SUPPORTED = "not supported";
    static final String OFF = "off";
    static final String ACCEPT = "accept";
    static final String S2_AUTO = "s2_auto";
    static final String S2_UNCOMPRESSED = "s2_uncompressed";
    static final String S2_FAST = "s2_fast";
    static final String S2_BETTER = "s2_better";
    static final String S2_BEST = "s2_best";

    /** Go's defaultCompressionS2AutoRTTThresholds. */
    static final List<Duration> DEFAULT_RTT_THRESHOLDS = List.of(Duration.ofMillis(10), Duration.ofMillis(50),
            Duration.ofMillis(100));

    /**
     * Not configured: the route protocol of Go 2.9, the version this server reports, with nothing about
     * compression in the route INFO or in {@code /routez}. (Go 2.10's default is {@code accept}; configure it to
     * take compression from 2.10+ peers that start it.)
     */
    static final RouteCompression DEFAULT = new RouteCompression("", List.of());

    boolean configured() {
        return !mode.isEmpty();
    }

    RouteCompression {
        rttThresholds = List.copyOf(rttThresholds);
    }

    /**
     * Go's validateAndNormalizeCompressionOption ({@code on} means {@code s2_fast} for routes).
     *
     * @throws IllegalArgumentException with Go's text
     */
    static RouteCompression of(String configured, List<Duration> thresholds) {
        String m = configured.toLowerCase(java.util.Locale.ROOT);
        if (m.equals("on") || m.equals("enabled") || m.equals("true")) {
            m = S2_FAST;
        }
        return switch (m) {
            case "not supported", "not_supported" -> new RouteCompression(NOT_SUPPORTED, List.of());
            case "disabled", "off", "false" -> new RouteCompression(OFF, List.of());
            case "accept" -> new RouteCompression(ACCEPT, List.of());
            case "auto", "s2_auto" -> new RouteCompression(S2_AUTO, autoThresholds(configured, thresholds));
            case "fast", "s2_fast" -> new RouteCompression(S2_FAST, List.of());
            case "better", "s2_better" -> new RouteCompression(S2_BETTER, List.of());
            case "best", "s2_best" -> new RouteCompression(S2_BEST, List.of());
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
    boolean negotiates() {
        return needsCompression(mode);
    }

    static boolean needsCompression(String m) {
        return !m.isEmpty() && !m.equals(OFF) && !m.equals(NOT_SUPPORTED);
    }

    /**
     * Go's selectCompressionMode: what this side ({@link #mode}) uses with a peer that announced {@code theirs}.
     *
     * @throws IllegalArgumentException for a mode this server does not know, with Go's text
     */
    String select(String theirs) {
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
    String levelFor(Duration rtt) {
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
    String forInfo(String negotiated) {
        return mode.equals(S2_AUTO) ? S2_AUTO : negotiated;
    }
}
