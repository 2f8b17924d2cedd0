package nats.cli;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.time.LocalDateTime;
import java.util.ResourceBundle;

/**
 * Routes {@link System.Logger} output to stderr or the log file in the Go server's format:
 * {@code [pid] 2026/11/26 12:00:00.000000 [INF] message}. Levels follow {@code -D} and {@code -V}.
 */
public final class GoStyleLoggerFinder extends System.LoggerFinder {

    private static final long PID = ProcessHandle.current().pid();
    private static volatile System.Logger.Level threshold = System.Logger.Level.INFO;
    private static volatile PrintStream out = System.err;
    private static volatile boolean withTime = true;

    /** Applies {@code -D}, {@code -V}, {@code -l} and {@code logtime}. */
    /** Changes what is logged and how, keeping the destination (a reload does not move the log). */
    static void levels(boolean debug, boolean trace, boolean logTime) {
        threshold = trace ? System.Logger.Level.TRACE : debug ? System.Logger.Level.DEBUG : System.Logger.Level.INFO;
        withTime = logTime;
    }

    static void configure(boolean debug, boolean trace, Path logFile, boolean logTime) throws IOException {
        threshold = trace ? System.Logger.Level.TRACE : debug ? System.Logger.Level.DEBUG : System.Logger.Level.INFO;
        withTime = logTime;
        if (logFile != null) {
            out = new PrintStream(new FileOutputStream(logFile.toFile(), true), true, StandardCharsets.UTF_8);
        }
    }

    @Override
    public System.Logger getLogger(String name, Module module) {
        return new GoStyleLogger(name, isJdk(module));
    }

    /** The JDK's own loggers (e.g. TLS handshake events, Runtime.exit) are not the server's debug output. */
    private static boolean isJdk(Module module) {
        String moduleName = module.getName();
        return moduleName != null && (moduleName.startsWith("java.") || moduleName.startsWith("jdk."));
    }

    private record GoStyleLogger(String name, boolean jdk) implements System.Logger {

        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean isLoggable(Level level) {
            int min = jdk ? Math.max(Level.INFO.getSeverity(), threshold.getSeverity()) : threshold.getSeverity();
            return level != Level.OFF && level.getSeverity() >= min;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            if (!isLoggable(level)) {
                return;
            }
            write(level, msg);
            if (thrown != null && isLoggable(Level.DEBUG)) {
                thrown.printStackTrace(out);
            } else if (thrown != null) {
                write(level, "  cause: " + thrown);
            }
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            if (isLoggable(level)) {
                write(level, params == null || params.length == 0 ? format : MessageFormat.format(format, params));
            }
        }

        private static void write(Level level, String msg) {
            String tag = switch (level) {
                case ERROR -> "[ERR]";
                case WARNING -> "[WRN]";
                case DEBUG -> "[DBG]";
                case TRACE -> "[TRC]";
                default -> "[INF]";
            };
            StringBuilder line = new StringBuilder(48 + msg.length()).append('[').append(PID).append("] ");
            if (withTime) {
                appendTime(line, LocalDateTime.now());
            }
            out.println(line.append(tag).append(' ').append(msg));
        }

        /** {@code yyyy/MM/dd HH:mm:ss.uuuuuu }, written directly: a DateTimeFormatter costs start-up time. */
        private static void appendTime(StringBuilder line, LocalDateTime t) {
            line.append(t.getYear()).append('/');
            twoDigits(line, t.getMonthValue()).append('/');
            twoDigits(line, t.getDayOfMonth()).append(' ');
            twoDigits(line, t.getHour()).append(':');
            twoDigits(line, t.getMinute()).append(':');
            twoDigits(line, t.getSecond()).append('.');
            String micros = Integer.toString(t.getNano() / 1000);
            line.append("000000", micros.length(), 6).append(micros).append(' ');
        }

        private static StringBuilder twoDigits(StringBuilder line, int value) {
            return line.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
        }
    }
}
