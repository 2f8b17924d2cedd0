package nats.jetstream.store;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What an offline check of a store directory found ({@link StoreProvider#verify}).
 *
 * @param directory the directory checked
 * @param files files read
 * @param messages intact messages found
 * @param bytes bytes of intact messages
 * @param firstSequence lowest sequence found, 0 if none
 * @param lastSequence highest sequence known (from messages or the high-water mark)
 * @param damage everything found damaged, missing or inconsistent, in file order
 */
public record VerifyReport(Path directory, long files, long messages, long bytes, long firstSequence,
        long lastSequence, List<Damage> damage) {

    /** The kind of file a problem was found in. */
    public enum FileKind {
        /** A message block. */
        BLOCK,
        /** A block's index. */
        INDEX,
        /** Stream metadata, high-water mark or owner metadata. */
        METADATA,
        /** A consumer's state or metadata. */
        CONSUMER
    }

    /**
     * One problem.
     *
     * @param file the file, relative to the directory
     * @param kind what kind of file it is
     * @param offset byte offset of the damage in the file, -1 if it concerns the whole file
     * @param firstSequence first stream sequence affected, 0 if none or unknown
     * @param lastSequence last stream sequence affected, 0 if none or unknown
     * @param lostMessages messages that can no longer be read because of it
     * @param description what was found
     */
    public record Damage(String file, FileKind kind, long offset, long firstSequence, long lastSequence,
            long lostMessages, String description) {

        public Damage {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(description, "description");
        }

        /** One line for an operator: file, offset, sequences, what. */
        @Override
        public String toString() {
            StringBuilder line = new StringBuilder(file);
            if (offset >= 0) {
                line.append(" @").append(offset);
            }
            if (firstSequence > 0) {
                line.append(" seq ").append(firstSequence);
                if (lastSequence > firstSequence) {
                    line.append('-').append(lastSequence);
                }
            }
            if (lostMessages > 0) {
                line.append(" (").append(lostMessages).append(" lost)");
            }
            return line.append(": ").append(description).toString();
        }
    }

    public VerifyReport {
        Objects.requireNonNull(directory, "directory");
        damage = List.copyOf(damage);
    }

    /** Whether nothing is damaged. */
    public boolean ok() {
        return damage.isEmpty();
    }
}
