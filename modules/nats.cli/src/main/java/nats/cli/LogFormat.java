package nats.cli;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.TimeZone;

/**
 * How the Go server's logger writes a line to stderr or a file: {@code [pid] } (the prefix), then the time as
 * Go's {@code log.LstdFlags|log.Lmicroseconds} writes it ({@code 2006/01/02 15:04:05.000000 }, local time or UTC
 * with {@code logtime_utc}) when {@code logtime} is on, then the level's label ({@code [INF] }) and the message.
 */
final class LogFormat {

    static final String PID_PREFIX = "[" + ProcessHandle.current().pid() + "] ";

    private LogFormat() {
    }

    /** Go's plain labels; the same for every destination but syslog, which uses severities instead. */
    static String label(System.Logger.Level level) {
        return switch (level) {
            case ERROR -> "[ERR] ";
            case WARNING -> "[WRN] ";
            case DEBUG -> "[DBG] ";
            case TRACE, ALL -> "[TRC] ";
            default -> "[INF] ";
        };
    }

    /** One line without its end: prefix, time when {@code withTime}, label, message. */
    static StringBuilder line(String label, String message, boolean withTime, boolean utc) {
        StringBuilder line = new StringBuilder(48 + message.length()).append(PID_PREFIX);
        if (withTime) {
            appendTime(line, utc ? LocalDateTime.now(ZoneOffset.UTC) : localNow());
        }
        return line.append(label).append(message);
    }

    /**
     * The local time, with the offset the default {@link TimeZone} gives for this instant (DST included).
     * Not {@code LocalDateTime.now()}: its {@code ZoneId} loads java.time's own copy of the time-zone
     * database (about 35 ms in the interpreter), and the first log line of a start waited for it; the
     * {@code TimeZone} rules are a smaller load of the same file.
     */
    static LocalDateTime localNow() {
        Instant now = Instant.now();
        int offsetMillis = TimeZone.getDefault().getOffset(now.toEpochMilli());
        return LocalDateTime.ofEpochSecond(now.getEpochSecond(), now.getNano(),
                ZoneOffset.ofTotalSeconds(offsetMillis / 1000));
    }

    /** {@code yyyy/MM/dd HH:mm:ss.uuuuuu }, written directly: a DateTimeFormatter costs start-up time. */
    static void appendTime(StringBuilder line, LocalDateTime t) {
        line.append(t.getYear()).append('/');
        twoDigits(line, t.getMonthValue()).append('/');
        twoDigits(line, t.getDayOfMonth()).append(' ');
        twoDigits(line, t.getHour()).append(':');
        twoDigits(line, t.getMinute()).append(':');
        twoDigits(line, t.getSecond()).append('.');
        String micros = Integer.toString(t.getNano() / 1000);
        line.append("000000", micros.length(), 6).append(micros).append(' ');
    }

    private static StringBuilder twoDigits(StringBuilder line, int value) {
        return line.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    /** Go's {@code %q} of a file name: double quotes, with backslash escapes for quotes, backslashes and controls. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
