package nats.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log file's rotation as Go 2.10's {@code logger/log.go} does it: when a write takes the file past
 * {@code logfile_size_limit}, the file moves to {@code <name>.YYYY.MM.DD.hh.mm.ss.nnnnnnnnn}, a new one starts
 * with the "Rotated log" note (a CR LF line), and with {@code logfile_max_num} only {@code max - 1} backups stay.
 */
class RotatingLogFileTest {

    private static final Pattern BACKUP = Pattern.compile("nats\\.log\\.\\d{4}\\.\\d{2}\\.\\d{2}\\.\\d{2}\\.\\d{2}"
            + "\\.\\d{2}\\.\\d{9}");
    private static final String LINE = "x".repeat(80);
    /** A name with the shape of a stamp but month 13: the rotation must not take it for a backup. */
    private static final String INVALID_STAMP = "nats.log.2024.13.01.00.00.00.000000000";

    @TempDir
    Path dir;

    private List<Path> backups() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> BACKUP.matcher(p.getFileName().toString()).matches()
                    && !p.getFileName().toString().equals(INVALID_STAMP)).sorted().toList();
        }
    }

    @Test
    void appendsToTheFileWithGosLineFormatAndMode0640() throws IOException {
        Path file = dir.resolve("nats.log");
        Files.writeString(file, "earlier\n");
        try (RotatingLogFile log = new RotatingLogFile(file, true, false)) {
            log.log(System.Logger.Level.WARNING, "careful");
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals("earlier", lines.get(0), "appended, not truncated");
        assertTrue(lines.get(1).matches("\\[\\d+\\] \\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{6} \\[WRN\\] careful"),
                "[pid] date time.micros [WRN] message: " + lines.get(1));
        Path fresh = dir.resolve("fresh.log");
        new RotatingLogFile(fresh, false, false).close();
        String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh));
        assertEquals("---", perms.substring(6), "created with 0640 (less the umask): nothing for others: " + perms);
        assertFalse(perms.charAt(4) == 'w', "nor writing for the group: " + perms);
    }

    @Test
    void rotatesOnceAWriteGoesPastTheLimit() throws IOException {
        Path file = dir.resolve("nats.log");
        try (RotatingLogFile log = new RotatingLogFile(file, false, false)) {
            log.sizeLimit(1000);
            int lineLength = ("[" + ProcessHandle.current().pid() + "] [INF] " + LINE + "\n").length();
            int fit = 1000 / lineLength;
            for (int i = 0; i < fit; i++) {
                log.log(System.Logger.Level.INFO, LINE);
            }
            assertTrue(backups().isEmpty(), "at the limit nothing rotates yet");
            log.log(System.Logger.Level.INFO, LINE);
            assertEquals(1, backups().size(), "the write past the limit rotates");
            assertEquals((fit + 1) * lineLength, Files.size(backups().get(0)), "the write that passed it is in the backup");
            String current = Files.readString(file, StandardCharsets.UTF_8);
            assertEquals("[" + ProcessHandle.current().pid() + "] [INF] Rotated log, backup saved as \""
                    + backups().get(0) + "\"\r\n", current, "the new file starts with Go's note, a CR LF line");
        }
    }

    @Test
    void keepsMaxMinusOneBackupsDeletingTheOldest() throws Exception {
        Path file = dir.resolve("nats.log");
        Files.writeString(dir.resolve("nats.log.old"), "not a backup");
        Files.writeString(dir.resolve(INVALID_STAMP), "month 13: not a backup");
        Files.writeString(dir.resolve("nats.log.2000.01.01.00.00.00.000000001"), "the oldest backup");
        try (RotatingLogFile log = new RotatingLogFile(file, true, false)) {
            log.sizeLimit(200);
            log.maxFiles(3);
            for (int i = 0; i < 12; i++) {
                log.log(System.Logger.Level.INFO, LINE);
                log.log(System.Logger.Level.INFO, LINE);
                log.log(System.Logger.Level.INFO, LINE);
            }
        }
        List<Path> kept = backups();
        assertEquals(2, kept.size(), "max 3 files: the log and two backups: " + kept);
        assertFalse(Files.exists(dir.resolve("nats.log.2000.01.01.00.00.00.000000001")), "the oldest went first");
        assertTrue(Files.exists(dir.resolve("nats.log.old")), "other files stay");
        assertTrue(Files.exists(dir.resolve(INVALID_STAMP)), "and so do invalid stamps");
        String current = Files.readString(file);
        assertTrue(current.contains("[INF] Purged log file \"nats.log."), "each deletion is noted: " + current);
        assertTrue(current.contains("\"\r\n"), "as direct lines ending in CR LF");
    }

    @Test
    void aFileAlreadyPastTheLimitRotatesAtOnce() throws IOException {
        Path file = dir.resolve("nats.log");
        Files.writeString(file, LINE.repeat(20));
        try (RotatingLogFile log = new RotatingLogFile(file, false, false)) {
            GoStyleLoggerFinder.use(log, false, false);
            log.sizeLimit(500);
            assertEquals(1, backups().size(), "rotated when the limit was set");
            assertTrue(Files.readString(backups().get(0)).endsWith("[INF] Rotating logfile...\n"),
                    "Go logs the rotation's reason into the old file");
        } finally {
            GoStyleLoggerFinder.use(LogSink.stderr(true, false), false, false);
        }
    }

    @Test
    void recognisesGosBackupStamps() {
        assertTrue(RotatingLogFile.isTimestamp("2024.05.01.10.00.00.123456789"), "Go's own form");
        assertTrue(RotatingLogFile.isTimestamp("2024.05.01.10.00.00"), "without the fraction");
        assertFalse(RotatingLogFile.isTimestamp("2024.02.30.10.00.00.1"), "no 30 February");
        assertFalse(RotatingLogFile.isTimestamp("2024.5.01.10.00.00.1"), "two-digit month");
        assertFalse(RotatingLogFile.isTimestamp("old"), "anything else");
    }
}
