package nats.cli;

/** Where log lines go: stderr, a log file that may rotate, or syslog. */
interface LogSink extends AutoCloseable {

    /** Writes one entry; never throws (a log that cannot be written must not stop the server). */
    void log(System.Logger.Level level, String message);

    /** Releases the file or socket; entries logged after this are dropped. */
    @Override
    void close();

    /** Standard error, as Go's {@code NewStdLogger} without colours. */
    static LogSink stderr(boolean withTime, boolean utc) {
        return new LogSink() {
            @Override
            public void log(System.Logger.Level level, String message) {
                System.err.println(LogFormat.line(LogFormat.label(level), message, withTime, utc));
            }

            @Override
            public void close() {
                // stderr stays open
            }
        };
    }
}
