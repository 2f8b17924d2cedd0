package nats.server.internal.config;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import nats.server.options.ServerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random mutations of valid configurations (seeded, so every run is the same): the parser must either return a
 * result or throw {@link ConfigException} — never another exception, never hang — and so must the mapper.
 */
class ConfigFuzzTest {

    private static final long SEED = 0x6E617473L;
    private static final int MUTANTS = 2_000;

    /** Fragments that steer mutations into the lexer's interesting states. */
    private static final List<String> FRAGMENTS = List.of("{", "}", "[", "]", "(", ")", "\n)\n", "(\n", "\"", "'",
            "$", "$port", "$A", "$N", "$MISSING", "$2a$10$x", "\\", "\\x", "\\x4", "\\u00", "include ",
            "include inc.conf\n", "include 'inc.conf'", "#", "//", "/", ":", "=", ";", ",", "\n", "\r\n", "\t", " ",
            "2m", "1k", "1KB", "8EB", "-", "-1", ".", "1.5", "1.", "1.2.3.4:", "2016-05-04T18:53:41Z", "2016-",
            "true", "NO", "\u00e9", "\u00b5s", "\u2003", "\uFEFF", "0x", "99999999999999999999", "}\n", "{}", "[]",
            ",]", "a b", "key", "\u0000");

    private static final Function<String, String> ENV = name -> switch (name) {
        case "A" -> "$B";
        case "B" -> "$A";
        case "N" -> "42";
        case "S" -> "'x y'";
        default -> null;
    };

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void mutatedConfigsParseOrFailCleanly() throws Exception {
        Files.writeString(dir.resolve("inc.conf"), "included_key: 1\nnested { x: [1, 2, ] }\n",
                StandardCharsets.UTF_8);
        List<String> seeds = List.of(RealisticConfigTest.FULL_SERVER, RealisticConfigTest.JETSTREAM_CLUSTER,
                RealisticConfigTest.EDGE + "\ninclude inc.conf\nN_VALUE: $N\nblock (\nraw text\n)\n");
        Random random = new Random(SEED);
        int parsed = 0;
        int rejected = 0;
        for (int i = 0; i < MUTANTS; i++) {
            String input = mutate(seeds.get(i % seeds.size()), random);
            long start = System.nanoTime();
            try {
                Map<String, Object> m = ConfigParser.parseString(input, dir, ENV);
                assertNotNull(m);
                parsed++;
                try {
                    OptionsMapper.apply(m, new ServerOptions(), random.nextBoolean());
                } catch (ConfigException expected) {
                    // a mutated value of the wrong type
                }
            } catch (ConfigException expected) {
                rejected++;
                assertTrue(expected.line() >= 0 && expected.column() >= 0, expected.getMessage());
            } catch (Throwable t) {
                fail("mutant #" + i + " threw " + t + " for input:\n" + escape(input), t);
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis < 5_000, "mutant #" + i + " took " + millis + " ms:\n" + escape(input));
        }
        // The mutations must exercise both outcomes, or the test proves nothing.
        assertTrue(parsed > MUTANTS / 20, "parsed " + parsed);
        assertTrue(rejected > MUTANTS / 20, "rejected " + rejected);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void pathologicalInputs() throws Exception {
        List<String> inputs = List.of("[".repeat(50_000), "a ".repeat(20_000), "a {".repeat(20_000),
                "a: [" + "{b: [".repeat(10_000), "x: \"" + "\\x41".repeat(20_000) + "\"", "#".repeat(100_000),
                "a: (" + "\n".repeat(10_000), "include ".repeat(1_000), "k: $" + "A".repeat(10_000));
        for (String input : inputs) {
            try {
                ConfigParser.parseString(input, dir, ENV);
            } catch (ConfigException expected) {
                // fine
            }
        }
    }

    static String mutate(String seed, Random random) {
        StringBuilder b = new StringBuilder(seed);
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations; m++) {
            int at = b.isEmpty() ? 0 : random.nextInt(b.length());
            switch (random.nextInt(7)) {
                case 0 -> b.insert(at, FRAGMENTS.get(random.nextInt(FRAGMENTS.size())));
                case 1 -> b.delete(at, Math.min(b.length(), at + 1 + random.nextInt(8)));
                case 2 -> {
                    if (!b.isEmpty()) {
                        char c = (char) (random.nextBoolean() ? 32 + random.nextInt(95) : random.nextInt(0x3000));
                        b.setCharAt(at, c);
                    }
                }
                case 3 -> {
                    int end = Math.min(b.length(), at + random.nextInt(40));
                    b.insert(random.nextInt(b.length() + 1), b.substring(at, end));
                }
                case 4 -> b.setLength(at);
                case 5 -> {
                    if (b.length() > 1) {
                        int other = random.nextInt(b.length());
                        char c = b.charAt(at);
                        b.setCharAt(at, b.charAt(other));
                        b.setCharAt(other, c);
                    }
                }
                default -> b.insert(at, FRAGMENTS.get(random.nextInt(FRAGMENTS.size()))
                        + FRAGMENTS.get(random.nextInt(FRAGMENTS.size())));
            }
        }
        return b.toString();
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(cp -> {
            if (cp == '\n') {
                b.append("\\n\n");
            } else if (cp < 0x20 || cp > 0x7E) {
                b.append(String.format("\\u%04x", cp));
            } else {
                b.append((char) cp);
            }
        });
        return b.toString();
    }
}
