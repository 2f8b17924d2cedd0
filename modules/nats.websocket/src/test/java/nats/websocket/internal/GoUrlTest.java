package nats.websocket.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Go's url and net parsing as the WebSocket options and origin checks use it. */
class GoUrlTest {

    @Test
    void urlParseProblemsReadAsGos() {
        assertEquals(Optional.of("parse \"::bad\": missing protocol scheme"), GoUrl.parseProblem("::bad"),
                "a leading colon");
        assertEquals(Optional.of("parse \"a\\u0001\": net/url: invalid control character in URL")
                .map(s -> s.replace("\\u0001", "\u0001")), GoUrl.parseProblem("a\u0001"), "a control character");
        assertEquals(Optional.of("parse \"1ab:x\": first path segment in URL cannot contain colon"),
                GoUrl.parseProblem("1ab:x"), "no scheme, colon in the first segment");
        assertEquals(Optional.of("parse \"http://host:12ab\": invalid port \":12ab\" after host"),
                GoUrl.parseProblem("http://host:12ab"), "a bad port");
        assertEquals(Optional.empty(), GoUrl.parseProblem("http://a.example:8080/path?q#frag"), "a good URL");
        assertEquals(Optional.empty(), GoUrl.parseProblem("app.example"), "a bare host parses (as a path)");
    }

    @Test
    void requestUrisNeedAPathOrAScheme() {
        assertEquals(Optional.of("parse \"null\": invalid URI for request"), GoUrl.parseRequestUri("null").problem(),
                "the 'null' origin of sandboxed pages");
        GoUrl.Result r = GoUrl.parseRequestUri("https://Secure.Example:8443");
        assertEquals("https", r.url().scheme(), "the scheme");
        assertEquals("Secure.Example:8443", r.url().host(), "the authority as written");
    }

    @Test
    void hostAndPortAsGoSplitsThem() {
        assertArrayEquals(new String[] {"localhost", "80"}, GoUrl.hostAndPort(false, "LocalHost"), "default http port");
        assertArrayEquals(new String[] {"localhost", "443"}, GoUrl.hostAndPort(true, "localhost"), "default https port");
        assertArrayEquals(new String[] {"::1", "8080"}, GoUrl.hostAndPort(false, "[::1]:8080"), "an IPv6 literal");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GoUrl.hostAndPort(false, "a:b:c"), "too many colons");
        assertTrue(e.getMessage().contains("too many colons"), e.getMessage());
        assertTrue(GoUrl.splitHostPort("nowhere").isEmpty(), "a missing port");
    }
}
