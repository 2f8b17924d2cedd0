package nats.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.TimeZone;

import org.junit.jupiter.api.Test;

/** The log's local time, read from {@link TimeZone}, is the time java.time gives for the same zone. */
class LogFormatTest {

    @Test
    void localTimeMatchesJavaTimeInZonesWithAndWithoutDaylightSaving() {
        TimeZone saved = TimeZone.getDefault();
        try {
            for (String zone : new String[] {"UTC", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata",
                    saved.getID()}) {
                TimeZone.setDefault(TimeZone.getTimeZone(zone));
                LocalDateTime before = LocalDateTime.now(ZoneId.of(zone));
                LocalDateTime logged = LogFormat.localNow();
                LocalDateTime after = LocalDateTime.now(ZoneId.of(zone));
                assertTrue(!logged.isBefore(before.minus(Duration.ofMillis(1)))
                                && !logged.isAfter(after.plus(Duration.ofMillis(1))),
                        zone + ": logged " + logged + " not within [" + before + ", " + after + "]");
            }
        } finally {
            TimeZone.setDefault(saved);
        }
    }

    @Test
    void timeIsWrittenAsGoWritesIt() {
        StringBuilder line = new StringBuilder();
        LogFormat.appendTime(line, LocalDateTime.of(2026, 3, 4, 5, 6, 7, 8_009_000));
        assertTrue(line.toString().equals("2026/03/04 05:06:07.008009 "), "Go's layout: " + line);
    }
}
