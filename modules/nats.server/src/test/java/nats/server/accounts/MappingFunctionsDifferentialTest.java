package nats.server.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import nats.server.testing.BothServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Go 2.9's subject mapping functions, configured the same way on the Go nats-server and on this server: a
 * subscriber on {@code >} records the subject each published message arrives on.
 */
@Timeout(60)
class MappingFunctionsDifferentialTest {

    static final String CONFIG = """
            host: 127.0.0.1
            port: %d
            mappings: {
              "part.*.*": "part.{{partition(5,1,2)}}.{{wildcard(1)}}.{{wildcard(2)}}"
              "one.*": "one.{{partition(3,1)}}.$1"
              "sfl.*": "sfl.{{splitFromLeft(1,3)}}"
              "sfr.*": "sfr.{{SplitFromRight(1,2)}}"
              "sll.*": "sll.{{sliceFromLeft(1,2)}}"
              "slr.*": "slr.{{ sliceFromRight(1, 3) }}"
              "spl.*": "spl.{{split(1,-)}}"
              "swap.*.*.>": "swap.$2.{{wildcard(1)}}.>"
            }
            """;

    private static final List<String> SUBJECTS = List.of("part.a.b", "part.acme.42", "part.x.y", "one.alpha",
            "one.beta", "one.gamma", "one.delta", "sfl.abcdefg", "sfl.ab", "sfr.abcdefg", "sfr.a", "sll.abcdefg",
            "sll.abcd", "slr.abcdefg", "slr.abcdef", "slr.ab", "spl.a-b--c-", "spl.-x-", "spl.plain",
            "swap.1.2.3.4", "unmapped.subject");

    @Test
    void mappingFunctionsRewriteAsGoDoes(@TempDir Path dir) throws Exception {
        List<String> expected;
        List<String> actual;
        try (BothServers servers = BothServers.start(dir, CONFIG)) {
            expected = observe(servers.go().port());
            actual = observe(servers.ours().port());
        }
        assertFalse(expected.isEmpty());
        // A few of Go's answers spelled out, so the comparison is known to exercise the functions.
        assertEquals(true, expected.containsAll(List.of("sfl.abcdefg -> sfl.abc.defg", "sfr.abcdefg -> sfr.abcde.fg",
                "sll.abcdefg -> sll.ab.cd.ef.g", "slr.abcdefg -> slr.a.bcd.efg", "spl.a-b--c- -> spl.a.b.c",
                "swap.1.2.3.4 -> swap.2.1.3.4")), () -> "Go's mappings: " + expected);
        assertEquals(expected, actual);
    }

    private static List<String> observe(int port) throws Exception {
        List<String> log = new ArrayList<>();
        try (Connection nc = Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + port)
                .maxReconnects(0).build())) {
            Subscription all = nc.subscribe(">");
            nc.flush(Duration.ofSeconds(2));
            for (String subject : SUBJECTS) {
                nc.publish(subject, subject.getBytes());
                nc.flush(Duration.ofSeconds(2));
                Message m = all.nextMessage(Duration.ofSeconds(2));
                log.add(subject + " -> " + (m == null ? "nothing" : m.getSubject()));
            }
        }
        return log;
    }
}
