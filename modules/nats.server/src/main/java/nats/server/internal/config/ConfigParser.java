package nats.server.internal.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the Go nats-server configuration file format into plain Java values, exactly as the Go server's
 * {@code conf} package does (see {@code docs/configuration.md} for the format and the few deliberate
 * differences).
 *
 * <p>Values are {@code String}, {@code Long} (size suffixes applied: {@code 1k} is 1000, {@code 1kb} 1024),
 * {@code Double}, {@code Boolean}, {@link Instant} (for an unquoted Zulu date), {@code List<Object>} and
 * {@code Map<String,Object>} (a {@link ConfigMap}: insertion ordered, keys as written). Durations stay the
 * strings they were written as ({@code "2m"}); {@link #parseDuration(Object)} turns them into a
 * {@link Duration}. A parse either returns the whole configuration or throws a {@link ConfigException} naming
 * file, line and column.
 */
public final class ConfigParser {

    private static final int MAX_INCLUDE_DEPTH = 64;
    private static final int MAX_ENV_DEPTH = 64;
    /** The key the value of an environment variable is parsed under, as Go does ({@code pk=<value>}). */
    private static final String ENV_KEY = "pk";
    /** A bare {@code $2a$...} is a bcrypt hash, not a variable reference (as in Go). */
    private static final String BCRYPT_PREFIX = "2a$";
    private static final DateTimeFormatter ZULU =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withResolverStyle(ResolverStyle.STRICT);

    /** One open map or array during the parse. */
    private static final class Frame {
        final ConfigMap map;
        final List<Object> list;
        final int openOffset;
        String pendingKey;
        int pendingKeyOffset;

        Frame(ConfigMap map, List<Object> list, int openOffset) {
            this.map = map;
            this.list = list;
            this.openOffset = openOffset;
        }
    }

    private final Source source;
    private final Lexer lexer;
    private final Path baseDir;
    private final Function<String, String> env;
    private final Set<String> envInProgress;
    private final List<Path> includeChain;
    private final ArrayDeque<Frame> frames = new ArrayDeque<>();

    private ConfigParser(Source source, Path baseDir, Function<String, String> env, Set<String> envInProgress,
                         List<Path> includeChain) {
        this.source = source;
        this.lexer = new Lexer(source);
        this.baseDir = baseDir;
        this.env = env;
        this.envInProgress = envInProgress;
        this.includeChain = includeChain;
    }

    // ---- entry points --------------------------------------------------------------------------------------

    /** Parses a configuration file; includes are relative to the file's directory. */
    public static Map<String, Object> parse(Path file) throws ConfigException {
        return parse(file, System::getenv);
    }

    /**
     * Parses configuration text; includes are relative to {@code baseDirForIncludes} (the working directory
     * when null).
     */
    public static Map<String, Object> parseString(String text, Path baseDirForIncludes) throws ConfigException {
        return parseString(text, baseDirForIncludes, System::getenv);
    }

    /** As {@link #parse(Path)}, reading environment variables through {@code env} (null when unset). */
    static ConfigMap parse(Path file, Function<String, String> env) throws ConfigException {
        return parseFile(file, env, List.of());
    }

    /** As {@link #parseString(String, Path)}, reading environment variables through {@code env}. */
    static ConfigMap parseString(String text, Path baseDirForIncludes, Function<String, String> env)
            throws ConfigException {
        Path base = baseDirForIncludes == null ? Path.of("") : baseDirForIncludes;
        return new ConfigParser(new Source(null, stripBom(text)), base, env, new HashSet<>(), List.of()).run();
    }

    private static ConfigMap parseFile(Path file, Function<String, String> env, List<Path> chain)
            throws ConfigException {
        String text;
        try {
            // Malformed UTF-8 becomes U+FFFD rather than failing the read, as Go reads bytes.
            text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(file, 0, 0, "cannot read configuration file: " + describe(e), e);
        }
        Path absolute = file.toAbsolutePath().normalize();
        Path dir = absolute.getParent() == null ? absolute : absolute.getParent();
        List<Path> newChain = new ArrayList<>(chain);
        newChain.add(canonical(file));
        return new ConfigParser(new Source(file, stripBom(text)), dir, env, new HashSet<>(), newChain).run();
    }

    private static String stripBom(String text) {
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    private static Path canonical(Path file) {
        try {
            return file.toRealPath();
        } catch (IOException | RuntimeException e) {
            return file.toAbsolutePath().normalize();
        }
    }

    private static String describe(Exception e) {
        String what = e.getClass().getSimpleName();
        return e.getMessage() == null ? what : what + ": " + e.getMessage();
    }

    // ---- helpers for readers of the result -----------------------------------------------------------------

    /**
     * The value of {@code key} in {@code m}, matching keys case-insensitively as the Go server does when it
     * looks up options (if several spellings are present, the one defined last wins); null when absent.
     */
    public static Object get(Map<String, Object> m, String key) {
        String wanted = Lexer.goLower(key);
        Object found = null;
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (Lexer.goLower(e.getKey()).equals(wanted)) {
                found = e.getValue();
            }
        }
        return found;
    }

    /**
     * A duration from a configuration value: a Go duration string ({@code "500ms"}, {@code "2m"},
     * {@code "1h30m"}, {@code "1.5s"}, {@code "100us"}, {@code "100µs"}, {@code "10ns"}), or a plain number of
     * seconds (the Go server reads integer {@code ping_interval}, {@code write_deadline} and
     * {@code authorization.timeout} that way).
     *
     * @throws IllegalArgumentException if the value is neither, with Go's message for a bad duration string
     */
    public static Duration parseDuration(Object value) {
        return switch (value) {
            case Duration d -> d;
            case String s -> nats.transport.config.GoDuration.parse(s);
            case Long l -> Duration.ofSeconds(l);
            case Integer i -> Duration.ofSeconds(i);
            case Double d -> {
                if (!Double.isFinite(d) || Math.abs(d) > Long.MAX_VALUE / 1_000_000_000L) {
                    throw new IllegalArgumentException("duration of " + d + " seconds is out of range");
                }
                yield Duration.ofNanos(Math.round(d * 1_000_000_000d));
            }
            case null -> throw new IllegalArgumentException("expected a duration, got nothing");
            default -> throw new IllegalArgumentException("expected a duration such as \"2m\" or a number of "
                    + "seconds, got " + typeName(value));
        };
    }

    /** How a configuration value's type is named in messages. */
    static String typeName(Object value) {
        return nats.transport.config.ConfigValues.typeName(value);
    }

    // ---- the parse -----------------------------------------------------------------------------------------

    private ConfigMap run() throws ConfigException {
        for (int i = 0; i < source.length(); i++) {
            if (source.codePoints()[i] == 0) {
                throw source.error(i, "a NUL character is not allowed in a configuration file");
            }
        }
        ConfigMap root = new ConfigMap();
        frames.push(new Frame(root, null, -1));
        while (true) {
            Lexer.Token t = lexer.nextToken();
            switch (t.kind()) {
                case EOF -> {
                    finish(t);
                    return root;
                }
                case KEY -> {
                    Frame f = frames.peek();
                    if (f.map == null) {
                        throw source.error(t.offset(), "internal error: a key inside an array");
                    }
                    if (f.pendingKey != null) {
                        throw noValue(f);
                    }
                    f.pendingKey = t.text();
                    f.pendingKeyOffset = t.offset();
                }
                case MAP_START -> frames.push(new Frame(new ConfigMap(), null, t.offset()));
                case ARRAY_START -> frames.push(new Frame(null, new ArrayList<>(), t.offset()));
                case MAP_END, ARRAY_END -> {
                    Frame f = frames.pop();
                    if (frames.isEmpty() || (t.kind() == Lexer.Kind.MAP_END) != (f.map != null)) {
                        throw source.error(t.offset(), "internal error: unbalanced brackets");
                    }
                    if (f.pendingKey != null) {
                        throw noValue(f);
                    }
                    setValue(f.map != null ? f.map : f.list, null);
                }
                case STRING -> setValue(t.text(), t);
                case BOOL -> setValue(parseBool(t), t);
                case INTEGER -> setValue(parseInteger(t), t);
                case FLOAT -> setValue(parseFloat(t), t);
                case DATETIME -> setValue(parseDate(t), t);
                case VARIABLE -> setValue(lookupVariable(t), t);
                case INCLUDE -> include(t);
            }
        }
    }

    private void finish(Lexer.Token eof) throws ConfigException {
        Frame f = frames.peek();
        if (frames.size() > 1) {
            throw source.error(eof.offset(), "unexpected end of file: the " + (f.map != null ? "map" : "array")
                    + " opened at " + source.where(f.openOffset) + " is not closed");
        }
        // A stray '}' after the last value (a JSON-style file's closing brace on its own line) lexes as a key;
        // Go allows it. Any other key without a value is an error, as in current Go releases.
        if (f.pendingKey != null && !f.pendingKey.equals("}")) {
            throw noValue(f);
        }
    }

    private ConfigException noValue(Frame f) {
        return source.error(f.pendingKeyOffset, "the key '" + f.pendingKey + "' has no value");
    }

    private void setValue(Object value, Lexer.Token token) throws ConfigException {
        Frame f = frames.peek();
        if (f.list != null) {
            f.list.add(value);
            return;
        }
        if (f.pendingKey == null) {
            int at = token == null ? source.length() : token.offset();
            throw source.error(at, "internal error: a value without a key");
        }
        String raw = token == null ? null : token.text();
        f.map.define(f.pendingKey, value, origin(f.pendingKeyOffset, raw));
        f.pendingKey = null;
    }

    private ConfigMap.Origin origin(int offset, String raw) {
        return new ConfigMap.Origin(source.file(), source.line(offset), source.column(offset), raw);
    }

    // ---- scalar values -------------------------------------------------------------------------------------

    private Boolean parseBool(Lexer.Token t) throws ConfigException {
        return switch (Lexer.goLower(t.text())) {
            case "true", "yes", "on" -> Boolean.TRUE;
            case "false", "no", "off" -> Boolean.FALSE;
            default -> throw source.error(t.offset(), "expected boolean value, but got '" + t.text() + "'");
        };
    }

    private Long parseInteger(Lexer.Token t) throws ConfigException {
        String text = t.text();
        int[] cps = text.codePoints().toArray();
        int digits = 0;
        while (digits < cps.length && (Lexer.isDigit(cps[digits]) || cps[digits] == '-')) {
            digits++;
        }
        String number = new String(cps, 0, digits);
        String suffix = Lexer.goLower(new String(cps, digits, cps.length - digits).strip());
        if (!number.matches("-?[0-9]+")) {
            throw source.error(t.offset(), "expected integer, but got '" + text + "'");
        }
        long multiplier = switch (suffix) {
            case "" -> 1L;
            case "k" -> 1000L;
            case "kb", "ki", "kib" -> 1L << 10;
            case "m" -> 1000L * 1000;
            case "mb", "mi", "mib" -> 1L << 20;
            case "g" -> 1000L * 1000 * 1000;
            case "gb", "gi", "gib" -> 1L << 30;
            case "t" -> 1000L * 1000 * 1000 * 1000;
            case "tb", "ti", "tib" -> 1L << 40;
            case "p" -> 1000L * 1000 * 1000 * 1000 * 1000;
            case "pb", "pi", "pib" -> 1L << 50;
            case "e" -> 1000L * 1000 * 1000 * 1000 * 1000 * 1000;
            case "eb", "ei", "eib" -> 1L << 60;
            default -> throw source.error(t.offset(), "unknown size suffix '" + suffix + "' in '" + text
                    + "' (use k, m, g, t, p or e for powers of 1000, or kb/ki/kib, mb/mi/mib, ... for powers of "
                    + "1024; put the value in quotes if it is meant to be a string)");
        };
        try {
            return Math.multiplyExact(Long.parseLong(number), multiplier);
        } catch (NumberFormatException | ArithmeticException e) {
            throw source.error(t.offset(), "integer '" + text + "' is out of the range");
        }
    }

    private Double parseFloat(Lexer.Token t) throws ConfigException {
        String text = t.text();
        if (!text.matches("-?[0-9]+\\.[0-9]+")) {
            throw source.error(t.offset(), "expected float, but got '" + text + "'");
        }
        double d = Double.parseDouble(text);
        if (Double.isInfinite(d)) {
            throw source.error(t.offset(), "float '" + text + "' is out of the range");
        }
        return d;
    }

    private Instant parseDate(Lexer.Token t) throws ConfigException {
        String text = t.text();
        try {
            if (!text.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")) {
                throw new DateTimeException("not ASCII digits");
            }
            return LocalDateTime.parse(text, ZULU).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw source.error(t.offset(), "expected Zulu formatted DateTime, but got '" + text + "'");
        }
    }

    // ---- variables -----------------------------------------------------------------------------------------

    private Object lookupVariable(Lexer.Token t) throws ConfigException {
        String name = t.text();
        int line = source.line(t.offset());
        if (name.startsWith(BCRYPT_PREFIX)) {
            return "$" + name;
        }
        // Keys defined earlier in this map or an enclosing one (arrays are skipped), innermost first.
        for (Frame f : frames) {
            if (f.map != null && f.map.containsKey(name)) {
                f.map.markUsedAsVariable(name);
                return f.map.get(name);
            }
        }
        if (envInProgress.contains(name)) {
            throw source.error(t.offset(), "variable reference cycle for '" + name + "'");
        }
        String value = env.apply(name);
        if (value == null) {
            throw source.error(t.offset(),
                    "variable reference for '" + name + "' on line " + line + " can not be found");
        }
        if (envInProgress.size() >= MAX_ENV_DEPTH) {
            throw source.error(t.offset(), "variable reference for '" + name + "' on line " + line
                    + " could not be parsed: environment variables refer to each other too deeply");
        }
        // The value is parsed as a parser would parse "pk=<value>", so "22" is a number and "'3xyz'" a string.
        envInProgress.add(name);
        try {
            ConfigMap m = new ConfigParser(new Source(null, ENV_KEY + "=" + value), baseDir, env, envInProgress,
                    includeChain).run();
            if (!m.containsKey(ENV_KEY)) {
                throw source.error(t.offset(),
                        "variable reference for '" + name + "' on line " + line + " can not be found");
            }
            return m.get(ENV_KEY);
        } catch (ConfigException e) {
            if (e.file().isPresent()) {
                throw e;
            }
            throw source.error(t.offset(), "variable reference for '" + name + "' on line " + line
                    + " could not be parsed: " + e.reason());
        } finally {
            envInProgress.remove(name);
        }
    }

    // ---- include -------------------------------------------------------------------------------------------

    private void include(Lexer.Token t) throws ConfigException {
        Frame f = frames.peek();
        if (f.map == null || f.pendingKey != null) {
            throw source.error(t.offset(), "internal error: include outside of a map");
        }
        Path target;
        try {
            // Cleaned lexically, as Go's filepath.Join does.
            target = baseDir.resolve(t.text()).normalize();
        } catch (InvalidPathException e) {
            throw source.error(t.offset(), "invalid include file name '" + t.text() + "': " + e.getMessage());
        }
        if (!Files.isRegularFile(target)) {
            throw source.error(t.offset(), "cannot read include file '" + t.text() + "' ("
                    + target.toAbsolutePath().normalize() + "): "
                    + (Files.exists(target) ? "not a regular file" : "no such file"));
        }
        Path canonicalTarget = canonical(target);
        if (includeChain.contains(canonicalTarget)) {
            throw source.error(t.offset(), "include cycle: '" + t.text() + "' (" + canonicalTarget
                    + ") is already being included");
        }
        if (includeChain.size() >= MAX_INCLUDE_DEPTH) {
            throw source.error(t.offset(), "includes are nested more than " + MAX_INCLUDE_DEPTH + " deep");
        }
        ConfigMap included;
        try {
            included = parseFile(target, env, includeChain);
        } catch (ConfigException e) {
            String here = (source.file() == null ? ConfigException.NO_FILE : source.file().toString()) + ":"
                    + source.line(t.offset()) + ":" + source.column(t.offset());
            throw e.withNote(" (in the file included at " + here + ")");
        }
        for (Map.Entry<String, Object> e : included.entrySet()) {
            f.map.define(e.getKey(), e.getValue(), included.origin(e.getKey()).orElse(null));
            if (included.usedAsVariable(e.getKey())) {
                f.map.markUsedAsVariable(e.getKey());
            }
        }
    }
}
