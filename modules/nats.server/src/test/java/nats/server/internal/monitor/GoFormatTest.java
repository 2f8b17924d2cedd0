package nats.server.internal.monitor;

import nats.transport.json.GoJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Go value formats the monitor must reproduce; expected strings come from Go 1.19 / nats-server 2.9.10. */
@Timeout(10)
class GoFormatTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void uptimeLikeMyUptime() {
        assertEquals("0s", GoFormat.uptime(0));
        assertEquals("0s", GoFormat.uptime(999_999_999L));
        assertEquals("59s", GoFormat.uptime(59 * SECOND));
        assertEquals("1m0s", GoFormat.uptime(60 * SECOND));
        assertEquals("1h2m3s", GoFormat.uptime((3600 + 123) * SECOND));
        assertEquals("1d0h0m1s", GoFormat.uptime((86_400 + 1) * SECOND));
        assertEquals("1y0d0h0m0s", GoFormat.uptime(365 * 86_400 * SECOND));
        assertEquals("0s", GoFormat.uptime(-5 * SECOND));
    }

    @Test
    void durationLikeGoDurationString() {
        assertEquals("0s", GoFormat.duration(0));
        assertEquals("850ns", GoFormat.duration(850));
        assertEquals("1µs", GoFormat.duration(1_000));
        assertEquals("280µs", GoFormat.duration(280_000));
        assertEquals("1.5µs", GoFormat.duration(1_500));
        assertEquals("2.25ms", GoFormat.duration(2_250_000));
        assertEquals("1s", GoFormat.duration(SECOND));
        assertEquals("1.5s", GoFormat.duration(1_500_000_000L));
        assertEquals("2m0s", GoFormat.duration(120 * SECOND));
        assertEquals("1h0m0.000000001s", GoFormat.duration(3600 * SECOND + 1));
        assertEquals("-1.5s", GoFormat.duration(-1_500_000_000L));
        assertEquals("-2562047h47m16.854775808s", GoFormat.duration(Long.MIN_VALUE));
    }

    @Test
    void floatsLikeEncodingJson() {
        assertEquals("0", GoFormat.number(0.0));
        assertEquals("2", GoFormat.number(2.0));
        assertEquals("0.8", GoFormat.number(0.8));
        assertEquals("0.7142857142857143", GoFormat.number(5.0 / 7.0));
        assertEquals("12.3", GoFormat.number(12.3));
        assertEquals("-0.5", GoFormat.number(-0.5));
        assertEquals("0.000001", GoFormat.number(1e-6));
        assertEquals("1e-7", GoFormat.number(1e-7));
        assertEquals("1.5e-10", GoFormat.number(1.5e-10));
        assertEquals("100000000000000000000", GoFormat.number(1e20));
        assertEquals("1e+21", GoFormat.number(1e21));
        assertEquals("12345678", GoFormat.number(12345678.0));
    }

    @Test
    void timesLikeRfc3339Nano() {
        assertEquals("2026-11-27T00:27:46.159130415Z", GoFormat.time(Instant.parse("2026-11-27T00:27:46.159130415Z")));
        assertEquals("2026-11-27T00:27:47.2837Z", GoFormat.time(Instant.parse("2026-11-27T00:27:47.283700Z")));
        assertEquals("2026-11-27T00:27:47Z", GoFormat.time(Instant.parse("2026-11-27T00:27:47Z")));
        assertEquals("0001-01-01T00:00:00Z", GoFormat.time(Instant.parse("0001-01-01T00:00:00Z")));
    }

    @Test
    void queryParsersMatchStrconvAndTheirErrors() throws Exception {
        assertFalse(GoFormat.parseBool("subs", ""));
        assertTrue(GoFormat.parseBool("subs", "1"));
        assertTrue(GoFormat.parseBool("subs", "True"));
        assertFalse(GoFormat.parseBool("subs", "F"));
        GoFormat.BadRequest bool = assertThrows(GoFormat.BadRequest.class, () -> GoFormat.parseBool("subs", "maybe"));
        assertEquals("Error decoding boolean for 'subs': strconv.ParseBool: parsing \"maybe\": invalid syntax",
                bool.getMessage());
        assertEquals(0, GoFormat.parseInt("limit", ""));
        assertEquals(-3, GoFormat.parseInt("limit", "-3"));
        assertEquals(7, GoFormat.parseInt("limit", "+7"));
        GoFormat.BadRequest atoi = assertThrows(GoFormat.BadRequest.class, () -> GoFormat.parseInt("limit", "x"));
        assertEquals("Error decoding int for 'limit': strconv.Atoi: parsing \"x\": invalid syntax", atoi.getMessage());
        assertEquals(42, GoFormat.parseUint64("cid", "42"));
        GoFormat.BadRequest uint = assertThrows(GoFormat.BadRequest.class, () -> GoFormat.parseUint64("cid", "-1"));
        assertEquals("Error decoding uint64 for 'cid': strconv.ParseUint: parsing \"-1\": invalid syntax",
                uint.getMessage());
    }

    @Test
    void queryDecodesLikeGo() throws Exception {
        Query q = Query.parse("subs=1&callback=a%2Eb&sort=bytes_to&sort=cid&x=a+b&bad=%zz&semi=1;2");
        assertTrue(q.bool("subs"));
        assertEquals("a.b", q.get("callback"));
        assertEquals("bytes_to", q.get("sort"));
        assertEquals("a b", q.get("x"));
        assertEquals("", q.get("bad"));
        assertEquals("", q.get("semi"));
        assertEquals("", q.get("missing"));
    }

    @Test
    void jsonIndentedLikeMarshalIndent() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("b", List.of(1L, "x<y>&z"));
        inner.put("e", new ArrayList<>());
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("a", 1.5);
        doc.put("m", inner);
        doc.put("o", Map.of());
        doc.put("n", null);
        doc.put("t", true);
        assertEquals("""
                {
                  "a": 1.5,
                  "m": {
                    "b": [
                      1,
                      "x\\u003cy\\u003e\\u0026z"
                    ],
                    "e": []
                  },
                  "o": {},
                  "n": null,
                  "t": true
                }""", GoJson.indented(doc));
        assertEquals("{\"status\":\"ok\"}", GoJson.compact(Map.of("status", "ok")));
        assertEquals("\"a\\u0001\\ufffd\\u2028\"", GoJson.compact("a\u0001\ud800\u2028"));
    }
}
