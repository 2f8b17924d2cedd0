package nats.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The log file as the Go server (2.10, {@code logger/log.go}) keeps it: opened for appending (created with mode
 * 0640); with {@code logfile_size_limit}, once a write takes the file past the limit it is renamed to
 * {@code <name>.YYYY.MM.DD.hh.mm.ss.nnnnnnnnn} (local time, nanoseconds), a new file is started with the line
 * {@code Rotated log, backup saved as "<backup>"}, and with {@code logfile_max_num} the oldest backups beyond
 * {@code max - 1} are deleted, each noted with {@code Purged log file "<name>"}. Those notes are written straight
 * to the file, as Go's {@code logDirect} writes them: local time, and lines ending in CR LF.
 */
final class RotatingLogFile implements LogSink {

    private static final Set<StandardOpenOption> APPEND = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.APPEND);
    /** What Go's purge accepts after {@code <name>.}: its time layout with the first five dots as separators. */
    private static final Pattern BACKUP_STAMP = Pattern.compile(
            "(\\d{4})\\.(\\d{2})\\.(\\d{2})\\.(\\d{2})\\.(\\d{2})\\.(\\d{2})(?:\\.(\\d{1,9}))?");

    private final Path file;
    private final boolean withTime;
    private final boolean utc;
    private FileChannel channel;
    private long written;
    private long limit;
    private long originalLimit;
    private int maxFiles;
    private boolean closed;

    /**
     * Opens (or creates) the file for appending.
     *
     * @throws IOException when it cannot be opened, as Go's "error opening file"
     */
    RotatingLogFile(Path file, boolean withTime, boolean utc) throws IOException {
        this.file = file;
        this.withTime = withTime;
        this.utc = utc;
        this.channel = open(file);
        this.written = channel.size();
    }

    private static FileChannel open(Path file) throws IOException {
        try {
            return FileChannel.open(file, APPEND, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-r-----")));
        } catch (UnsupportedOperationException e) {
            return FileChannel.open(file, APPEND);
        }
    }

    /**
     * Go's {@code SetSizeLimit}: rotation from now on; a file already past the limit is rotated at once (Go logs
     * "Rotating logfile..." to get there).
     */
    void sizeLimit(long bytes) {
        boolean rotateNow;
        synchronized (this) {
            originalLimit = bytes;
            limit = bytes;
            rotateNow = written > limit;
        }
        if (rotateNow) {
            log(System.Logger.Level.INFO, "Rotating logfile...");
        }
    }

    /** Go's {@code SetMaxNumFiles}: how many files to keep, the current one included; 0 keeps every backup. */
    synchronized void maxFiles(int files) {
        maxFiles = files;
    }

    Path path() {
        return file;
    }

    @Override
    public synchronized void log(System.Logger.Level level, String message) {
        if (closed) {
            return;
        }
        byte[] line = LogFormat.line(LogFormat.label(level), message, withTime, utc).append('\n').toString()
                .getBytes(StandardCharsets.UTF_8);
        if (!write(line)) {
            return;
        }
        written += line.length;
        if (limit > 0 && written > limit) {
            rotate();
        }
    }

    private boolean write(byte[] bytes) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            return true;
        } catch (IOException e) {
            System.err.println("nats-server: cannot write the log file " + file + ": " + e.getMessage());
            return false;
        }
    }

    private void rotate() {
        try {
            channel.close();
        } catch (IOException e) {
            limit *= 2;
            direct("[ERR] ", "Unable to close logfile for rotation (" + e.getMessage()
                    + "), will attempt next rotation at size " + limit);
            return;
        }
        LocalDateTime now = LocalDateTime.now();
        String backup = file + "." + String.format("%04d.%02d.%02d.%02d.%02d.%02d.%09d", now.getYear(),
                now.getMonthValue(), now.getDayOfMonth(), now.getHour(), now.getMinute(), now.getSecond(),
                now.getNano());
        try {
            Files.move(file, Path.of(backup), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // As Go, which ignores the rename's error: the log goes on in the same file.
        }
        try {
            channel = open(file);
        } catch (IOException e) {
            closed = true;
            throw new IllegalStateException("Unable to re-open the logfile " + LogFormat.quote(file.toString())
                    + " after rotation: " + e.getMessage(), e);
        }
        written = direct("[INF] ", "Rotated log, backup saved as " + LogFormat.quote(backup));
        limit = originalLimit;
        if (maxFiles > 0) {
            purge();
        }
    }

    /** Go's {@code logPurge}: deletes the oldest backups (by name, which sorts by time) beyond max - 1. */
    private void purge() {
        Path dir = file.toAbsolutePath().getParent();
        String base = file.getFileName().toString();
        List<String> backups = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!Files.isDirectory(entry) && name.startsWith(base + ".")
                        && isTimestamp(name.substring(base.length() + 1))) {
                    backups.add(name);
                }
            }
        } catch (IOException e) {
            direct("[ERR] ", "Unable to read directory " + LogFormat.quote(dir.toString()) + " for log purge ("
                    + e.getMessage() + "), will attempt next rotation");
            return;
        }
        backups.sort(null);
        int excess = backups.size() - (maxFiles - 1);
        for (int i = 0; i < excess; i++) {
            try {
                Files.delete(dir.resolve(backups.get(i)));
            } catch (IOException e) {
                direct("[ERR] ", "Unable to remove backup log file " + LogFormat.quote(backups.get(i)) + " ("
                        + e.getMessage() + "), will attempt next rotation");
                return;
            }
            direct("[INF] ", "Purged log file " + LogFormat.quote(backups.get(i)));
        }
    }

    /** Whether Go's {@code time.Parse("2006:01:02:15:04:05.999999999", ...)} accepts the backup's suffix. */
    static boolean isTimestamp(String stamp) {
        Matcher m = BACKUP_STAMP.matcher(stamp);
        if (!m.matches()) {
            return false;
        }
        try {
            LocalDateTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                    Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)));
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    /** Go's {@code logDirect}: a line written past the logger, in local time, ending in CR LF; its length. */
    private long direct(String label, String message) {
        byte[] line = LogFormat.line(label, message, withTime, false).append("\r\n").toString()
                .getBytes(StandardCharsets.UTF_8);
        write(line);
        return line.length;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing more can be logged to it.
        }
    }
}
