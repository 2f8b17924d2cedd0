package nats.cli;

import java.nio.file.Path;
import java.util.List;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The command line as picocli sees it, built in code from the same {@link FlagSpec}s as {@link FlagParser}
 * (no annotations, so no reflection): help, usage errors, the {@code plugins} subcommand, and every form the
 * fast parser leaves to it. A server start that comes this way runs exactly as one parsed by the fast parser.
 */
final class UsageCommandLine {

    private UsageCommandLine() {
    }

    /** Parses with picocli and runs what the command line asks for; returns the exit code. */
    static int run(String... args) {
        CommandLine cli = commandLine();
        cli.setExecutionStrategy(UsageCommandLine::execute);
        cli.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            e.printStackTrace(System.err);
            return Main.EXIT_FAILURE;
        });
        return cli.execute(args);
    }

    /** picocli's model of nats-server and its subcommands. */
    static CommandLine commandLine() {
        CommandSpec spec = CommandSpec.create().name("nats-server");
        spec.usageMessage().description("A NATS server written in Java, compatible with the Go nats-server.")
                .sortOptions(false);
        ServerFlags.ALL.forEach(flag -> spec.addOption(option(flag)));
        CommandSpec plugins = CommandSpec.create().name("plugins");
        plugins.usageMessage().description("List built-in and drop-in plugins");
        spec.addSubcommand("plugins", plugins);
        CommandSpec verify = CommandSpec.create().name("verify");
        verify.usageMessage().description("Check a file store offline (a stream directory or a whole store_dir)"
                + " and print what is damaged; exit code 1 when anything is");
        verify.addPositional(CommandLine.Model.PositionalParamSpec.builder().paramLabel("DIR").type(Path.class)
                .arity("1").build());
        CommandSpec store = CommandSpec.create().name("store");
        store.usageMessage().description("JetStream store tools");
        store.addSubcommand("verify", verify);
        spec.addSubcommand("store", store);
        CommandLine cli = new CommandLine(spec);
        cli.setPosixClusteredShortOptionsAllowed(false);
        // Go's flag package lets a later flag override an earlier one (`-p 1 -p 2` listens on 2).
        cli.setOverwrittenOptionsAllowed(true);
        return cli;
    }

    private static OptionSpec option(FlagSpec flag) {
        OptionSpec.Builder b = OptionSpec.builder(flag.names().toArray(String[]::new))
                .description(flag.description());
        if (!flag.label().isEmpty()) {
            b.paramLabel(flag.label());
        }
        switch (flag.kind()) {
            case STRING -> b.type(String.class);
            case INT -> b.type(Integer.class);
            case LONG -> b.type(Long.class);
            case PATH -> b.type(Path.class);
            case SWITCH -> b.type(boolean.class);
            case OPTIONAL_BOOLEAN -> b.type(Boolean.class).arity("0..1").fallbackValue("true");
            case LIST -> b.type(List.class).auxiliaryTypes(String.class).splitRegex(",");
            case HELP -> b.usageHelp(true);
        }
        return b.build();
    }

    private static int execute(ParseResult parseResult) {
        Integer help = CommandLine.executeHelpRequest(parseResult);
        if (help != null) {
            return help;
        }
        ParsedFlags flags = flags(parseResult);
        if (parseResult.hasSubcommand()) {
            ParseResult sub = parseResult.subcommand();
            if (sub.commandSpec().name().equals("store")) {
                if (!sub.hasSubcommand()) {
                    sub.commandSpec().commandLine().usage(System.err);
                    return Main.EXIT_USAGE;
                }
                Path dir = sub.subcommand().matchedPositionalValue(0, null);
                return StoreVerifyCommand.run(dir);
            }
            return PluginsCommand.run(flags);
        }
        return Main.executeReporting(flags);
    }

    /** The matched options as {@link ParsedFlags}, with the same value types as the fast parser's. */
    static ParsedFlags flags(ParseResult parseResult) {
        ParsedFlags flags = new ParsedFlags();
        for (FlagSpec flag : ServerFlags.ALL) {
            OptionSpec option = parseResult.matchedOption(flag.key());
            if (option == null || flag.kind() == FlagSpec.Kind.HELP) {
                continue;
            }
            Object value = option.getValue();
            if (flag.kind() == FlagSpec.Kind.LIST) {
                @SuppressWarnings("unchecked")
                List<String> list = (List<String>) value;
                flags.addAll(flag, list);
            } else {
                flags.put(flag, value);
            }
        }
        return flags;
    }
}
