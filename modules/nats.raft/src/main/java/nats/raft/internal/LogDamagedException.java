package nats.raft.internal;

/** A log record failed its checksum when read back: the entry must not be used, the log is cut before it. */
final class LogDamagedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final long index;

    LogDamagedException(long index, String detail) {
        super("log entry " + index + " is damaged: " + detail);
        this.index = index;
    }
}
