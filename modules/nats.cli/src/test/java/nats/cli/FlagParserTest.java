package nats.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The fast start-up parser against picocli's parse of the same flag table: wherever the fast parser gives a
 * result it must be picocli's, and whatever it leaves to picocli must be something picocli refuses or a
 * help/subcommand request. The command lines cover every kind of flag and spelling (Go's one- and two-dash
 * forms, {@code =} values, optional booleans) and the forms picocli refuses.
 */
class FlagParserTest {

    /** Rare forms picocli accepts that the fast parser leaves to it on purpose (the start then runs the same). */
    private static final List<List<String>> LEFT_TO_PICOCLI = List.of(
            List.of("--enable=\"a,b\",c"), // quotes inside a split value
            List.of("--addr", "-x"));      // a value that looks like a flag

    static List<List<String>> commandLines() {
        return List.of(
                List.of("-p", "4222"), List.of("-p=4222"), List.of("-p4222"), List.of("--port", "4222"),
                List.of("--port=4222"), List.of("-port", "4222"), List.of("-port=4222"), List.of("-p", "0x10"),
                List.of("-p", "+5"), List.of("-p", " 5"), List.of("-p", "-1"), List.of("--port="), List.of("-p", "abc"),
                List.of("-D"), List.of("-D=true"), List.of("-D=false"), List.of("-D=TRUE"), List.of("-D=yes"),
                List.of("-D", "true"), List.of("-D", "-D"), List.of("-DV"), List.of("-DVV"), List.of("-VV"),
                List.of("-DV", "-D"), List.of("-T"), List.of("-T=false"), List.of("-T", "false"), List.of("-T", "FALSE"),
                List.of("-T", "TRUE"), List.of("-T", "no"), List.of("-T=x"), List.of("-T", "-p", "1"),
                List.of("--tls"), List.of("--tls=false"), List.of("--tls", "false"), List.of("-tls", "x"),
                List.of("--tls", "1"), List.of("--tls", "-D"), List.of("-tls=true", "-tlsverify"),
                List.of("--enable", "a,b"), List.of("--enable", "a", "--enable", "b"), List.of("--enable=a, b"),
                List.of("--enable=\"a,b\",c"), List.of("--enable", ""), List.of("--enable", "a,b,"),
                List.of("-a", "x", "-a", "y"), List.of("-a="), List.of("-a", "-1"), List.of("--addr", "-x"),
                List.of("-a", "-p"), List.of("-a"), List.of("-ab"), List.of("-c"), List.of("-p", "1", "-p", "2"),
                List.of("-js"), List.of("-js", "-js"), List.of("-sd", "/x"), List.of("--routes", "a,b"),
                List.of("--routes=a, b"), List.of("--cluster", "nats://127.0.0.1:6222", "--cluster_name", "c1"),
                List.of("--no_advertise"), List.of("--cluster_advertise", "h:1"), List.of("--connect_retries", "3"),
                List.of("-h"), List.of("--help"), List.of("-p", "1", "-h"), List.of("plugins"),
                List.of("-p", "1", "plugins"), List.of("x"), List.of("--"), List.of("-p", "1", "--", "x"),
                List.of("--signal", "reload=1"), List.of("-sl", "reload"), List.of("-v"), List.of("-version"),
                List.of("--version"), List.of("-m", "8222"), List.of("-P", "f"), List.of("-c", "f.conf", "-t"),
                List.of("-t=true"), List.of("--user", "u", "--pass", "p", "--auth", "t"), List.of("-l", "f"),
                List.of("-n", "srv", "--ports_file_dir", "/tmp", "--plugins-dir", "p"),
                List.of("-a", "127.0.0.1", "-p", "4222", "-m", "8222", "-DV", "-c", "a.conf", "-T=false"));
    }

    @ParameterizedTest
    @MethodSource("commandLines")
    void agreesWithPicocli(List<String> args) {
        String[] argv = args.toArray(String[]::new);
        Optional<ParsedFlags> fast = FlagParser.parse(argv);
        CommandLine cli = UsageCommandLine.commandLine();
        CommandLine.ParseResult picocli;
        try {
            picocli = cli.parseArgs(argv);
        } catch (CommandLine.ParameterException refused) {
            assertTrue(fast.isEmpty(), "picocli refuses " + args + " (" + refused.getMessage()
                    + "), so the fast parser must leave it to picocli, but it gave " + fast);
            return;
        }
        if (fast.isEmpty()) {
            assertTrue(picocli.isUsageHelpRequested() || picocli.hasSubcommand() || args.contains("--")
                            || LEFT_TO_PICOCLI.contains(args),
                    "the fast parser left " + args + " to picocli, which accepts it as a plain start: "
                            + UsageCommandLine.flags(picocli));
            return;
        }
        assertEquals(UsageCommandLine.flags(picocli).asMap(), fast.get().asMap(),
                "the fast parser and picocli read " + args + " alike");
    }

    @Test
    void typicalStartIsParsedWithoutPicocli() {
        ParsedFlags flags = FlagParser.parse("-a", "127.0.0.1", "--port=4333", "-DV", "-T", "false", "-sd", "/data",
                "--enable", "a,b").orElseThrow();
        assertEquals(Map.of("-a", "127.0.0.1", "-p", 4333, "-DV", true, "-T", false, "-sd", Path.of("/data"),
                "--enable", List.of("a", "b")), flags.asMap(), "typed values of a typical start");
    }

    @Test
    void aFlagGivenTwiceTakesItsLastValueAsGo() {
        assertEquals(Map.of("-p", 2, "-sd", Path.of("/b"), "-js", true),
                FlagParser.parse("-p", "1", "-js", "-sd", "/a", "-p", "2", "-js", "-sd", "/b").orElseThrow().asMap(),
                "the last value of each repeated flag");
    }

    @Test
    void everySpellingNamesOneFlag() {
        List<String> names = ServerFlags.ALL.stream().flatMap(f -> f.names().stream()).toList();
        assertEquals(names.size(), names.stream().distinct().count(), "no spelling is shared by two flags: " + names);
    }

    @Test
    void sectionFlagsWriteIntoTheirSectionsOverTheFile() throws Exception {
        ServerOptionsProbe probe = new ServerOptionsProbe("-sd", "/data", "--routes", "nats://a:1, nats://b:2",
                "--cluster_name", "c1", "--connect_retries", "3", "--no_advertise");
        assertEquals(Map.of("store_dir", "/data"), probe.options.section("jetstream"), "-sd sets store_dir");
        assertEquals(Map.of("routes", List.of("nats://a:1", "nats://b:2"), "name", "c1", "connect_retries", 3L,
                "no_advertise", true), probe.options.section("cluster"), "cluster values, routes trimmed");
        assertTrue(probe.options.presentSections().isEmpty(),
                "without -js or --cluster no section is turned on, as in Go: " + probe.options.presentSections());
        ServerOptionsProbe on = new ServerOptionsProbe("-js", "--cluster", "nats://127.0.0.1:6222");
        assertEquals(Map.of("jetstream", "-js", "cluster", "--cluster"), on.options.sectionsEnabledByFlags(),
                "-js and --cluster turn their sections on");
        assertEquals(Map.of("enabled", true), on.options.section("jetstream"), "-js is jetstream { enabled: true }");
        assertEquals(Map.of("listen", "nats://127.0.0.1:6222"), on.options.section("cluster"), "--cluster is listen");
    }

    private static final class ServerOptionsProbe {
        final nats.server.options.ServerOptions options;

        ServerOptionsProbe(String... args) throws Exception {
            options = Main.buildOptions(FlagParser.parse(args).orElseThrow());
        }
    }
}
