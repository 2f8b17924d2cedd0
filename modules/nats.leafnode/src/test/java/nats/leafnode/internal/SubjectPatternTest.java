package nats.leafnode.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import nats.transport.protocol.Subjects;

/** The byte matcher of permission subjects answers as the kernel's {@link Subjects#matches} on every pair. */
class SubjectPatternTest {

    private static final List<String> PATTERNS = List.of(">", "*", "a", "a.b", "a.*", "a.>", "*.b", "*.>", "a.*.c",
            "$JS.API.>", "$KV.>", "a..b", "a.", "", "é.>", "a.b.c.d");
    private static final List<String> SUBJECTS = List.of("a", "b", "a.b", "a.c", "a.b.c", "a.x.c", "a.b.c.d", "x.b",
            "$JS.API.INFO", "$JS.API", "$KV.b.k", "$KVX.b", "a..b", "a.", ".a", "", "é.x", "é", "ab", "a.bb", "aa.b");

    @Test
    void answersAsSubjectsMatchesOnEveryPair() {
        for (String pattern : PATTERNS) {
            SubjectPattern compiled = new SubjectPattern(pattern);
            for (String subject : SUBJECTS) {
                byte[] bytes = subject.getBytes(StandardCharsets.UTF_8);
                assertEquals(Subjects.matches(subject, pattern), compiled.matches(bytes, 0, bytes.length),
                        "'" + subject + "' against '" + pattern + "'");
            }
        }
    }

    @Test
    void matchesTheSubjectWhereItLiesInALargerBuffer() {
        byte[] frame = "LMSG $JS.API.INFO 5\r\n".getBytes(StandardCharsets.US_ASCII);
        assertTrue(new SubjectPattern("$JS.API.>").matches(frame, 5, 12));
        assertFalse(new SubjectPattern("$JS.API.>").matches(frame, 5, 7), "$JS.API alone has no token for >");
        assertTrue(new SubjectPattern("$JS.*").matches(frame, 5, 7));
    }

    @Test
    void rulesCheckMessageBytesAsTheirSubjects() {
        SubjectRules rules = new SubjectRules(Optional.of(List.of("up.>", "ok")), List.of("up.secret"))
                .denying(JetStreamDenies.DENY_ALL_CLIENT_JS);
        for (String subject : List.of("up.x", "ok", "up.secret", "other", "$JS.API.INFO", "up", "$KV.b")) {
            byte[] padded = ("xx " + subject + " yy").getBytes(StandardCharsets.UTF_8);
            assertEquals(rules.allows(subject), rules.allows(padded, 3, subject.length()), subject);
        }
        assertTrue(rules.allows("up.x"));
        assertFalse(rules.allows("$JS.API.INFO"));
    }
}
