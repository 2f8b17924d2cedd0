package nats.raft.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/** {@link Disk} over a real directory: {@code fdatasync} for file syncs, a directory sync after creates, deletes and renames. */
final class FileDisk implements Disk {

    private final Path dir;

    FileDisk(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    @Override
    public List<String> list() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Override
    public boolean exists(String name) {
        return Files.exists(dir.resolve(name));
    }

    @Override
    public File open(String name) throws IOException {
        Path path = dir.resolve(name);
        boolean created = !Files.exists(path);
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        if (created) {
            syncDir();
        }
        return new ChannelFile(channel);
    }

    @Override
    public void delete(String name) throws IOException {
        try {
            Files.delete(dir.resolve(name));
        } catch (NoSuchFileException gone) {
            return;
        }
        syncDir();
    }

    @Override
    public void rename(String from, String to) throws IOException {
        Files.move(dir.resolve(from), dir.resolve(to), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        syncDir();
    }

    private void syncDir() throws IOException {
        // Opening a directory for reading and forcing it is how Java syncs a directory entry on Linux.
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException unsupported) {
            // Some platforms refuse to open directories; their renames are durable by other means.
        }
    }

    private record ChannelFile(FileChannel channel) implements File {

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public int read(long position, byte[] buffer, int offset, int len) throws IOException {
            ByteBuffer target = ByteBuffer.wrap(buffer, offset, len);
            long at = position;
            while (target.hasRemaining()) {
                int n = channel.read(target, at);
                if (n < 0) {
                    break;
                }
                at += n;
            }
            return target.position() - offset;
        }

        @Override
        public void write(long position, byte[] buffer, int offset, int len) throws IOException {
            ByteBuffer source = ByteBuffer.wrap(buffer, offset, len);
            long at = position;
            while (source.hasRemaining()) {
                at += channel.write(source, at);
            }
        }

        @Override
        public void truncate(long size) throws IOException {
            channel.truncate(size);
        }

        @Override
        public void sync() throws IOException {
            channel.force(false);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
