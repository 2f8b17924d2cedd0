package nats.raft.internal;

/** Kinds of log entries; the code is stored in each record. */
enum EntryType {
    /** The state machine's data. */
    NORMAL(0),
    /** Appended by each new leader, so it can commit something of its own term. */
    NOOP(1),
    /** The group's full member list from this index on. */
    CONFIG(2);

    final int code;

    EntryType(int code) {
        this.code = code;
    }

    static EntryType of(int code) {
        return switch (code) {
            case 0 -> NORMAL;
            case 1 -> NOOP;
            case 2 -> CONFIG;
            default -> throw new IllegalArgumentException("unknown entry type " + code);
        };
    }
}
