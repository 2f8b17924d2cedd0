package nats.server.internal.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A configuration file that cannot be read, parsed or applied. Carries where the problem is: the file (absent
 * for text parsed from a string), the 1-based line and column (both 0 when the problem has no position, e.g. an
 * unreadable file), and the reason. {@link #getMessage()} reads {@code path/to/file.conf:12:5: reason}, the
 * shape the Go server uses for its configuration errors.
 */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Shown in place of a file name for configuration text that did not come from a file. */
    static final String NO_FILE = "<config>";

    private final transient Path file;
    private final int line;
    private final int column;
    private final String reason;

    public ConfigException(Path file, int line, int column, String reason) {
        super(format(file, line, column, reason));
        this.file = file;
        this.line = line;
        this.column = column;
        this.reason = reason;
    }

    public ConfigException(Path file, int line, int column, String reason, Throwable cause) {
        this(file, line, column, reason);
        initCause(cause);
    }

    /** The file the problem is in; empty for configuration text parsed from a string. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** 1-based line of the problem; 0 when it has no position. */
    public int line() {
        return line;
    }

    /** 1-based column (in Unicode code points) of the problem; 0 when it has no position. */
    public int column() {
        return column;
    }

    /** What went wrong, without the position prefix. */
    public String reason() {
        return reason;
    }

    /** The same problem with {@code note} appended to its reason, keeping the position. */
    ConfigException withNote(String note) {
        ConfigException e = new ConfigException(file, line, column, reason + note);
        e.initCause(getCause());
        return e;
    }

    private static String format(Path file, int line, int column, String reason) {
        String where = file == null ? NO_FILE : file.toString();
        if (line <= 0) {
            return where + ": " + reason;
        }
        return where + ":" + line + ":" + column + ": " + reason;
    }

    /** A plugin's (or a nats.transport block reader's) problem, placed at the file, line and column of its key. */
    public static ConfigException at(nats.transport.config.ConfigProblem problem) {
        return OptionsMapper.error(problem);
    }
}
