package nats.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.text.MessageFormat;
import java.util.ResourceBundle;

/**
 * Routes {@link System.Logger} output in the Go server's format ({@code [pid] 2026/11/26 12:00:00.000000 [INF]
 * message}) to where {@link Logging} sends it: stderr, the log file, or syslog. Levels follow {@code -D} and
 * {@code -V}.
 */
public final class GoStyleLoggerFinder extends System.LoggerFinder {

    private static volatile System.Logger.Level threshold = System.Logger.Level.INFO;
    private static volatile LogSink sink = LogSink.stderr(true, false);

    /** Changes what is logged, keeping the destination (a reload that does not move the log). */
    static void levels(boolean debug, boolean trace) {
        threshold = trace ? System.Logger.Level.TRACE : debug ? System.Logger.Level.DEBUG : System.Logger.Level.INFO;
    }

    /** Sends the log to {@code destination} from now on and closes the previous one, as Go's SetLogger does. */
    static void use(LogSink destination, boolean debug, boolean trace) {
        levels(debug, trace);
        LogSink previous = sink;
        sink = destination;
        if (previous != destination) {
            previous.close();
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
            if (thrown != null && isLoggable(Level.DEBUG)) {
                StringWriter trace = new StringWriter();
                thrown.printStackTrace(new PrintWriter(trace));
                sink.log(level, msg + "\n" + trace.toString().stripTrailing());
            } else if (thrown != null) {
                sink.log(level, msg);
                sink.log(level, "  cause: " + thrown);
            } else {
                sink.log(level, msg);
            }
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            if (isLoggable(level)) {
                sink.log(level, params == null || params.length == 0 ? format : MessageFormat.format(format, params));
            }
        }
    }
}
