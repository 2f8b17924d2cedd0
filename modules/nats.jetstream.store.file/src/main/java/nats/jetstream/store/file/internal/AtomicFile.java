package nats.jetstream.store.file.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Small files replaced whole and atomically: written to {@code name.tmp}, synced, renamed over the old one,
 * and the directory synced, so after a crash either the old or the new content is there, never a mix.
 * The content is framed with a magic number, its length and a CRC32C, so damage is detected on read.
 *
 * <pre>
 * u32 magic 'JNAF' | u8 version 1 | u8 flags (1 = sealed with the store key) | u16 0 | u32 length |
 * payload | u32 CRC32C of everything before it
 * </pre>
 */
final class AtomicFile {

    private static final int MAGIC = 0x4A4E4146;
    private static final int HEADER = 12;

    /** What reading found. */
    sealed interface Content permits Missing, Damaged, Intact {
    }

    /** No such file. */
    record Missing() implements Content {
    }

    /** The file exists but fails its checks. */
    record Damaged(String reason) implements Content {
    }

    /** The payload, checked. */
    record Intact(byte[] payload) implements Content {
    }

    private AtomicFile() {
    }

    /** Replaces {@code file} with {@code payload}, durably. */
    static void write(Path file, byte[] payload, Crypto crypto) throws IOException {
        write(file, payload, crypto, true);
    }

    /** Replaces {@code file} with {@code payload}; with {@code sync}, durably (file and directory synced). */
    static void write(Path file, byte[] payload, Crypto crypto, boolean sync) throws IOException {
        byte[] body = crypto == null ? payload : crypto.sealFile(payload);
        ByteBuffer buffer = ByteBuffer.allocate(HEADER + body.length + 4);
        buffer.putInt(MAGIC).put((byte) 1).put((byte) (crypto == null ? 0 : 1)).putShort((short) 0)
                .putInt(body.length).put(body);
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), 0, buffer.position());
        buffer.putInt((int) crc.getValue()).flip();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (sync) {
                channel.force(true);
            }
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        if (sync) {
            syncDirectory(file.getParent());
        }
    }

    /** Reads and checks {@code file}. */
    static Content read(Path file, Crypto crypto, String what) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new Missing();
        }
        if (bytes.length < HEADER + 4) {
            return new Damaged("truncated to " + bytes.length + " bytes");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        if (buffer.getInt() != MAGIC || buffer.get() != 1) {
            return new Damaged("bad magic number or version");
        }
        boolean sealed = (buffer.get() & 1) != 0;
        buffer.getShort();
        int length = buffer.getInt();
        if (length < 0 || HEADER + (long) length + 4 != bytes.length) {
            return new Damaged("length " + length + " does not match the file size " + bytes.length);
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, HEADER + length);
        if ((int) crc.getValue() != ByteBuffer.wrap(bytes, HEADER + length, 4).getInt()) {
            return new Damaged("checksum mismatch");
        }
        byte[] body = new byte[length];
        System.arraycopy(bytes, HEADER, body, 0, length);
        if (!sealed) {
            return new Intact(body);
        }
        if (crypto == null) {
            throw new nats.jetstream.store.StoreException(nats.jetstream.store.StoreException.Kind.WRONG_KEY,
                    what + " is encrypted but no encryption key is configured");
        }
        byte[] plain = crypto.openFile(body, what);
        return plain == null ? new Damaged("authentication failed") : new Intact(plain);
    }

    /** The payload if intact, else empty. */
    static Optional<byte[]> payload(Content content) {
        return content instanceof Intact intact ? Optional.of(intact.payload()) : Optional.empty();
    }

    /** Makes a directory's entries (new, renamed or removed files) durable. */
    static void syncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some file systems refuse to open directories; nothing more can be done there.
            if (!(e instanceof java.nio.file.AccessDeniedException)) {
                throw e;
            }
        }
    }
}
