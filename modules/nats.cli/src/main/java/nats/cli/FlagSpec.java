package nats.cli;

import java.util.List;

/**
 * One command-line flag: every spelling it accepts (the first is its key), how it takes its value, and its
 * help line (with {@code label} naming the value). The same specification drives the fast start-up parser
 * ({@link FlagParser}) and picocli's model for help, usage errors and subcommands ({@link UsageCommandLine}),
 * so the two cannot drift apart. Each flag is one constant and compares by identity: a record's generated
 * {@code hashCode} would spin method handles at start-up that the AOT cache does not hold.
 */
final class FlagSpec {

    /** How a flag takes its value. */
    enum Kind {
        /** A text value: {@code -a HOST}, {@code -a=HOST}. */
        STRING,
        /** A decimal int value. */
        INT,
        /** A decimal long value (a size in bytes). */
        LONG,
        /** A file or directory. */
        PATH,
        /** A boolean switch: {@code -D}, or {@code -D=false}. */
        SWITCH,
        /** A switch that may be followed by {@code true} or {@code false}: {@code -T}, {@code -T false}, {@code -T=false}. */
        OPTIONAL_BOOLEAN,
        /** A comma-separated list, repeatable: {@code --enable a,b --enable c}. */
        LIST,
        /** Prints the usage text. */
        HELP
    }

    private final List<String> names;
    private final Kind kind;
    private final String label;
    private final String description;

    private FlagSpec(List<String> names, Kind kind, String label, String description) {
        this.names = List.copyOf(names);
        this.kind = kind;
        this.label = label;
        this.description = description;
    }

    static FlagSpec of(Kind kind, String label, String description, String... names) {
        return new FlagSpec(List.of(names), kind, label, description);
    }

    List<String> names() {
        return names;
    }

    Kind kind() {
        return kind;
    }

    String label() {
        return label;
    }

    String description() {
        return description;
    }

    @Override
    public String toString() {
        return key();
    }

    /** The flag's first spelling, which identifies it. */
    String key() {
        return names.getFirst();
    }

    boolean takesValue() {
        return kind == Kind.STRING || kind == Kind.INT || kind == Kind.LONG || kind == Kind.PATH || kind == Kind.LIST;
    }
}
