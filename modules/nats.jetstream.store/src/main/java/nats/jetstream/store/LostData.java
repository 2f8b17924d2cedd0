package nats.jetstream.store;

import java.util.Arrays;

/**
 * Messages a store found damaged or missing and will not serve (Go's {@code LostStreamData}, JSON
 * {@code "lost": {"msgs": [...], "bytes": n}}).
 *
 * @param sequences the sequences lost, ascending
 * @param bytes the bytes they held, as far as known
 */
public record LostData(long[] sequences, long bytes) {

    /** Nothing lost. */
    public static final LostData NONE = new LostData(new long[0], 0);

    public LostData {
        sequences = sequences.clone();
    }

    @Override
    public long[] sequences() {
        return sequences.clone();
    }

    /** Whether anything was lost. */
    public boolean isEmpty() {
        return sequences.length == 0 && bytes == 0;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LostData lost && lost.bytes == bytes && Arrays.equals(lost.sequences, sequences);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(sequences) + Long.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "LostData[" + sequences.length + " messages, " + bytes + " bytes]";
    }
}
