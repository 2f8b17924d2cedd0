package nats.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

import nats.server.options.LogOptions;
import nats.server.options.ServerOptions;

/**
 * Chooses where the log goes, as Go's {@code ConfigureLogger}: the log file when one is set (rotated with
 * {@code logfile_size_limit}, its backups limited by {@code logfile_max_num}), else {@code remote_syslog}, else
 * the local syslog with {@code syslog: true}, else stderr; applies a reload that changes any of that, and
 * reopens the file on SIGUSR1 ({@code --signal reopen}) after logrotate moved it.
 */
final class Logging {

    private static final System.Logger LOG = System.getLogger("nats.cli");

    /** A destination that cannot be set up, with Go's text. */
    static final class SetupException extends Exception {
        private static final long serialVersionUID = 1L;

        SetupException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** What decides the destination; a reload that changes it sets the destination up again. */
    private record Destination(Optional<Path> file, boolean time, LogOptions options) {
    }

    private static volatile ServerOptions current;
    private static volatile Destination destination;

    private Logging() {
    }

    /** Sets the destination and levels for a server starting with {@code options}. */
    static synchronized void configure(ServerOptions options) throws SetupException {
        GoStyleLoggerFinder.use(sink(options), options.debug(), options.trace());
        current = options;
        destination = destinationOf(options);
    }

    /** A reload: the levels always, the destination when a setting of it changed. */
    static synchronized void reload(ServerOptions fresh) {
        if (Objects.equals(destination, destinationOf(fresh))) {
            GoStyleLoggerFinder.levels(fresh.debug(), fresh.trace());
            current = fresh;
            return;
        }
        try {
            configure(fresh);
        } catch (SetupException e) {
            LOG.log(System.Logger.Level.ERROR, "Failed to reconfigure logging: " + e.getMessage());
            GoStyleLoggerFinder.levels(fresh.debug(), fresh.trace());
        }
    }

    /**
     * Go's {@code ReOpenLogFile}: a file logger opens its file again (for logrotate, which moved it away) with the
     * size limit, as Go does (Go leaves the backup limit out here); any other logger ignores the request.
     */
    static synchronized void reopen() {
        ServerOptions options = current;
        if (options == null) {
            LOG.log(System.Logger.Level.INFO, "File log re-open ignored, no logger");
            return;
        }
        if (options.logFile().isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "File log re-open ignored, not a file logger");
            return;
        }
        try {
            RotatingLogFile file = new RotatingLogFile(options.logFile().get(), options.logTime(),
                    options.logging().utc());
            GoStyleLoggerFinder.use(file, options.debug(), options.trace());
            if (options.logging().sizeLimit() > 0) {
                file.sizeLimit(options.logging().sizeLimit());
            }
            LOG.log(System.Logger.Level.INFO, "File log re-opened");
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "error opening file: " + e.getMessage());
        }
    }

    private static Destination destinationOf(ServerOptions o) {
        return new Destination(o.logFile(), o.logTime(), o.logging());
    }

    private static LogSink sink(ServerOptions options) throws SetupException {
        LogOptions log = options.logging();
        if (options.logFile().isPresent()) {
            try {
                RotatingLogFile file = new RotatingLogFile(options.logFile().get(), options.logTime(), log.utc());
                // Go sets the limit before the logger is in use; a file already past it rotates on that first line.
                GoStyleLoggerFinder.use(file, options.debug(), options.trace());
                if (log.sizeLimit() > 0) {
                    file.sizeLimit(log.sizeLimit());
                }
                if (log.maxFiles() > 0) {
                    file.maxFiles(log.maxFiles() > Integer.MAX_VALUE ? 0 : (int) log.maxFiles());
                }
                return file;
            } catch (IOException e) {
                throw new SetupException("error opening file: " + e.getMessage(), e);
            }
        }
        try {
            if (!log.remoteSyslog().isEmpty()) {
                return SyslogSink.remote(log.remoteSyslog());
            }
            if (log.syslog()) {
                return SyslogSink.local();
            }
        } catch (IOException e) {
            throw new SetupException("error connecting to syslog: " + LogFormat.quote(e.getMessage()), e);
        } catch (IllegalArgumentException e) {
            throw new SetupException(e.getMessage(), e);
        }
        return LogSink.stderr(options.logTime(), log.utc());
    }
}
