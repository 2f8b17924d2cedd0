package nats.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses the command line of a server start without picocli, so starting costs no reflection, proxies or
 * classes that the AOT cache cannot hold (picocli's classes are compiled for Java 5, and HotSpot does not
 * archive old classes once linked). It accepts what picocli accepts for the same {@link FlagSpec}s and gives
 * the same values; anything else, from {@code -h} and subcommands to a value picocli would refuse, it leaves
 * to picocli ({@link UsageCommandLine}), which then prints help or the usage error.
 */
final class FlagParser {

    private static final Map<String, FlagSpec> BY_NAME = byName(ServerFlags.ALL);

    private FlagParser() {
    }

    /** The flags, or empty when picocli must handle this command line. */
    static Optional<ParsedFlags> parse(String... args) {
        ParsedFlags flags = new ParsedFlags();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("-") || arg.equals("-") || arg.equals("--")) {
                return Optional.empty();
            }
            int eq = arg.indexOf('=');
            String name = eq > 0 ? arg.substring(0, eq) : arg;
            String attached = eq > 0 ? arg.substring(eq + 1) : null;
            FlagSpec flag = BY_NAME.get(name);
            // A flag given twice is not refused: the last value wins, as with Go's flag package.
            if (flag == null || flag.kind() == FlagSpec.Kind.HELP) {
                return Optional.empty();
            }
            String next = i + 1 < args.length ? args[i + 1] : null;
            switch (flag.kind()) {
                case SWITCH -> {
                    Boolean value = attached == null ? Boolean.TRUE : bool(attached);
                    if (value == null) {
                        return Optional.empty();
                    }
                    flags.put(flag, value);
                }
                case OPTIONAL_BOOLEAN -> {
                    Boolean value = attached != null ? bool(attached) : next != null ? bool(next) : null;
                    if (attached != null && value == null) {
                        return Optional.empty();
                    }
                    if (attached == null && value != null) {
                        i++;
                    }
                    flags.put(flag, value == null ? Boolean.TRUE : value);
                }
                default -> {
                    String raw = attached;
                    if (raw == null) {
                        if (next == null || looksLikeFlag(next)) {
                            return Optional.empty();
                        }
                        raw = next;
                        i++;
                    }
                    if (!convert(flags, flag, raw)) {
                        return Optional.empty();
                    }
                }
            }
        }
        return Optional.of(flags);
    }

    /** Converts as picocli's converters do; false when picocli would refuse the value (or might). */
    private static boolean convert(ParsedFlags flags, FlagSpec flag, String raw) {
        try {
            switch (flag.kind()) {
                case INT -> flags.put(flag, Integer.valueOf(raw));
                case LONG -> flags.put(flag, Long.valueOf(raw));
                case PATH -> flags.put(flag, Path.of(raw));
                case LIST -> {
                    if (raw.indexOf('"') >= 0) {
                        return false; // picocli's quote handling in split values
                    }
                    flags.addAll(flag, List.of(raw.split(",")));
                }
                default -> flags.put(flag, raw);
            }
            return true;
        } catch (NumberFormatException | InvalidPathException e) {
            return false;
        }
    }

    /** picocli's boolean values: true or false in any case; null for anything else. */
    private static Boolean bool(String s) {
        if (s.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        return s.equalsIgnoreCase("false") ? Boolean.FALSE : null;
    }

    /** A value that picocli might read as a flag instead ({@code -1} is a value, {@code -x} may not be). */
    private static boolean looksLikeFlag(String s) {
        if (!s.startsWith("-")) {
            return false;
        }
        try {
            Integer.parseInt(s);
            return false;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private static Map<String, FlagSpec> byName(List<FlagSpec> flags) {
        Map<String, FlagSpec> map = new HashMap<>();
        for (FlagSpec flag : flags) {
            for (String name : flag.names()) {
                if (map.put(name, flag) != null) {
                    throw new IllegalStateException("flag spelled twice: " + name);
                }
            }
        }
        return Map.copyOf(map);
    }
}
