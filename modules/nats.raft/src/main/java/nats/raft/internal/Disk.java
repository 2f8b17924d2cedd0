package nats.raft.internal;

import java.io.IOException;
import java.util.List;

/**
 * The files of one member's directory. The log, term/vote and snapshot code reads and writes through this, so
 * the simulation can run the very same format code over a disk that loses unsynced writes at a crash.
 */
interface Disk {

    /** Names of the files present, sorted. */
    List<String> list() throws IOException;

    boolean exists(String name) throws IOException;

    /** Opens a file for reading and writing, creating it (durably, with its directory entry) if absent. */
    File open(String name) throws IOException;

    /** Removes a file; the removal is durable when this returns. */
    void delete(String name) throws IOException;

    /** Renames {@code from} over {@code to}; durable when this returns. */
    void rename(String from, String to) throws IOException;

    /** One open file. */
    interface File extends AutoCloseable {

        long size() throws IOException;

        /** Reads up to {@code len} bytes at {@code position}; fewer only at the end of the file. */
        int read(long position, byte[] buffer, int offset, int len) throws IOException;

        void write(long position, byte[] buffer, int offset, int len) throws IOException;

        void truncate(long size) throws IOException;

        /** Makes everything written so far durable. */
        void sync() throws IOException;

        @Override
        void close() throws IOException;
    }
}
