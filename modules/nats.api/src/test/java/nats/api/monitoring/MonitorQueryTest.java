package nats.api.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** Boolean options as Go's monitor decodes them (decodeBool: empty is false, then strconv.ParseBool). */
class MonitorQueryTest {

    @Test
    void flagsReadGosSpellingsFromEitherForm() throws MonitorException {
        assertTrue(new MonitorQuery(Map.of("subs", "T"), Map.of()).flag("subs", "subscriptions"), "T");
        assertFalse(new MonitorQuery(Map.of("subs", ""), Map.of()).flag("subs", "subscriptions"), "empty");
        assertFalse(new MonitorQuery(Map.of(), Map.of()).flag("subs", "subscriptions"), "absent");
        assertTrue(new MonitorQuery(Map.of(), Map.of("subscriptions", true)).flag("subs", "subscriptions"),
                "a system request's JSON member");
        for (String yes : new String[] {"1", "t", "TRUE", "true", "True"}) {
            assertTrue(MonitorQuery.goBool("x", yes), yes);
        }
        for (String no : new String[] {"0", "f", "F", "FALSE", "false", "False"}) {
            assertFalse(MonitorQuery.goBool("x", no), no);
        }
    }

    @Test
    void anythingElseIsGos400Text() {
        MonitorException e = assertThrows(MonitorException.class,
                () -> new MonitorQuery(Map.of("accs", "yes"), Map.of()).flag("accs", "accounts"));
        assertEquals("Error decoding boolean for 'accs': strconv.ParseBool: parsing \"yes\": invalid syntax",
                e.getMessage());
    }
}
