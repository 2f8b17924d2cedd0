package nats.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import nats.server.options.ServerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the log goes as the options change, as Go's ConfigureLogger and ReOpenLogFile decide: the file, a reload
 * that names another file or level, a reopen after the file was moved, and Go's texts for a syslog address that
 * cannot be used.
 */
class LoggingTest {

    @TempDir
    Path dir;

    /** A logger of the finder itself: on the test class path the JDK does not load the module's finder. */
    private final System.Logger log = new GoStyleLoggerFinder().getLogger("test", LoggingTest.class.getModule());

    @AfterEach
    void backToStderr() throws Exception {
        Logging.configure(new ServerOptions());
    }

    @Test
    void aReloadMovesTheLogAndChangesLevels() throws Exception {
        Path first = dir.resolve("first.log");
        Path second = dir.resolve("second.log");
        Logging.configure(new ServerOptions().logFile(first));
        log.log(System.Logger.Level.INFO, "one");
        log.log(System.Logger.Level.DEBUG, "hidden");
        Logging.reload(new ServerOptions().logFile(second).debug(true));
        log.log(System.Logger.Level.INFO, "two");
        log.log(System.Logger.Level.DEBUG, "shown");
        String a = Files.readString(first);
        String b = Files.readString(second);
        assertTrue(a.contains("[INF] one") && !a.contains("hidden") && !a.contains("two"), "the first file: " + a);
        assertTrue(b.contains("[INF] two") && b.contains("[DBG] shown"), "the reload moved the log: " + b);
        Logging.reload(new ServerOptions().logFile(second).logTime(false));
        log.log(System.Logger.Level.INFO, "untimed");
        assertTrue(Files.readString(second).matches("(?s).*\\n\\[\\d+\\] \\[INF\\] untimed\\n"),
                "logtime: false takes effect on reload: " + Files.readString(second));
    }

    @Test
    void reopenStartsTheFileAgainAfterItWasMoved() throws Exception {
        Path file = dir.resolve("nats.log");
        Logging.configure(new ServerOptions().logFile(file));
        log.log(System.Logger.Level.INFO, "before");
        Path moved = dir.resolve("nats.log.1");
        Files.move(file, moved);
        log.log(System.Logger.Level.INFO, "still the old file");
        Logging.reopen();
        log.log(System.Logger.Level.INFO, "after");
        assertTrue(Files.readString(moved).contains("still the old file"), "the open file followed the move");
        String fresh = Files.readString(file);
        assertTrue(fresh.contains("[INF] after"), "the reopened file gets new lines: " + fresh);
        assertFalse(fresh.contains("before"), "and only those");
    }

    @Test
    void syslogAddressesGoRefusesAreRefusedWithGosText() {
        Logging.SetupException e = assertThrows(Logging.SetupException.class,
                () -> Logging.configure(new ServerOptions().logging(
                        new ServerOptions().logging().withRemoteSyslog("http://127.0.0.1:514"))));
        assertEquals("error invalid network type: \"http\"", e.getMessage(), "Go's text");
        Logging.SetupException missing = assertThrows(Logging.SetupException.class,
                () -> Logging.configure(new ServerOptions().logging(new ServerOptions().logging()
                        .withRemoteSyslog("unix://" + dir.resolve("no-such-socket")))));
        assertTrue(missing.getMessage().startsWith("error connecting to syslog: \""), missing.getMessage());
    }
}
