package nats.cluster.internal;

import nats.transport.compress.CompressionOptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Go 2.10's compression modes, their negotiation (selectCompressionMode) and s2_auto's levels. */
class RouteCompressionTest {

    private static CompressionOptions mode(String m) {
        return CompressionOptions.of(m, List.of());
    }

    @Test
    void normalizesAsGo() {
        assertEquals("s2_fast", mode("on").mode(), "on is s2_fast for routes");
        assertEquals("off", mode("disabled").mode(), "disabled");
        assertEquals("s2_best", mode("best").mode(), "best");
        assertEquals("s2_auto", mode("auto").mode(), "auto");
        assertEquals(CompressionOptions.DEFAULT_RTT_THRESHOLDS, mode("s2_auto").rttThresholds(),
                "Go's default thresholds");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mode("zip"), "unknown");
        assertEquals("unsupported compression mode \"zip\"", e.getMessage(), "Go's text");
        e = assertThrows(IllegalArgumentException.class, () -> CompressionOptions.of("s2_auto",
                List.of(Duration.ofMillis(20), Duration.ofMillis(10))), "descending");
        assertEquals("RTT threshold values [20ms 10ms] should be in ascending order", e.getMessage(), "Go's text");
        assertEquals(List.of(Duration.ZERO, Duration.ofMillis(10)), CompressionOptions.of("auto",
                List.of(Duration.ZERO, Duration.ofMillis(10), Duration.ZERO)).rttThresholds(), "trailing zeros trimmed");
    }

    @Test
    void negotiatesAsGo() {
        assertEquals("not supported", mode("accept").select(""), "a Go 2.9 peer announces nothing");
        assertEquals("off", mode("accept").select("accept"), "accept with accept: nothing starts it");
        assertEquals("s2_fast", mode("accept").select("s2_fast"), "accept takes the peer's");
        assertEquals("s2_fast", mode("accept").select("s2_auto"), "accept with auto: fast");
        assertEquals("s2_best", mode("s2_best").select("accept"), "the initiator's own level");
        assertEquals("s2_better", mode("s2_better").select("s2_fast"), "each side its own level");
        assertEquals("off", mode("s2_fast").select("off"), "a peer that turned it off");
        assertThrows(IllegalArgumentException.class, () -> mode("s2_fast").select("zstd"), "an unknown mode");
    }

    @Test
    void autoPicksTheLevelByRoundTrip() {
        CompressionOptions auto = mode("s2_auto");
        assertEquals("s2_uncompressed", auto.levelFor(Duration.ofMillis(1)), "up to 10ms");
        assertEquals("s2_fast", auto.levelFor(Duration.ofMillis(30)), "up to 50ms");
        assertEquals("s2_better", auto.levelFor(Duration.ofMillis(100)), "up to 100ms");
        assertEquals("s2_best", auto.levelFor(Duration.ofSeconds(1)), "beyond");
        assertEquals("s2_auto", auto.forInfo("s2_fast"), "an auto server announces auto");
    }

    @Test
    void poolIndexIsFnv1aModuloThePoolSize() {
        // FNV-1a 32: "a" = 0xe40c292c, "foobar" = 0xbf9cf968 (the published test vectors).
        assertEquals((int) (0xe40c292cL % 3), PoolIndex.of("a", 3), "\"a\"");
        assertEquals((int) (0xbf9cf968L % 7), PoolIndex.of("foobar", 7), "\"foobar\"");
        assertEquals(0, PoolIndex.of("anything", 1), "one connection: index 0");
    }
}
