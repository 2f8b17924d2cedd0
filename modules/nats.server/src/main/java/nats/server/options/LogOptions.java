package nats.server.options;

/**
 * How the log is kept beyond its level and file (Go's options of the same names): rotation of the log file,
 * timestamps in UTC, and syslog as the destination instead of a file or stderr.
 *
 * @param sizeLimit    {@code logfile_size_limit}: bytes after which the log file is rotated; 0 never rotates
 * @param maxFiles     {@code logfile_max_num}: log files kept (the current one and its backups); 0 keeps all
 * @param utc          {@code logtime_utc}: timestamps in UTC instead of local time
 * @param syslog       {@code syslog}: log to the local syslog daemon
 * @param remoteSyslog {@code remote_syslog}: a syslog server, {@code udp://host:port}, {@code tcp://host:port} or
 *                     {@code unix:///path}; empty for none
 */
public record LogOptions(long sizeLimit, long maxFiles, boolean utc, boolean syslog, String remoteSyslog) {

    /** Go's defaults: no rotation, local time, no syslog. */
    public static final LogOptions DEFAULT = new LogOptions(0, 0, false, false, "");

    public LogOptions {
        java.util.Objects.requireNonNull(remoteSyslog, "remoteSyslog");
    }

    public LogOptions withSizeLimit(long bytes) {
        return new LogOptions(bytes, maxFiles, utc, syslog, remoteSyslog);
    }

    public LogOptions withMaxFiles(long files) {
        return new LogOptions(sizeLimit, files, utc, syslog, remoteSyslog);
    }

    public LogOptions withUtc(boolean inUtc) {
        return new LogOptions(sizeLimit, maxFiles, inUtc, syslog, remoteSyslog);
    }

    public LogOptions withSyslog(boolean on) {
        return new LogOptions(sizeLimit, maxFiles, utc, on, remoteSyslog);
    }

    public LogOptions withRemoteSyslog(String address) {
        return new LogOptions(sizeLimit, maxFiles, utc, syslog, address);
    }
}
