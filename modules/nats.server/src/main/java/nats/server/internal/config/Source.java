package nats.server.internal.config;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * The text being parsed, as Unicode code points, with what is needed to turn an offset into a line and column.
 * Lines are counted on {@code '\n'} alone, as the Go lexer does.
 */
final class Source {

    private final Path file;
    private final int[] codePoints;
    private final int[] lineStarts;

    Source(Path file, String text) {
        this.file = file;
        this.codePoints = text.codePoints().toArray();
        int[] starts = new int[16];
        int count = 0;
        starts[count++] = 0;
        for (int i = 0; i < codePoints.length; i++) {
            if (codePoints[i] == '\n') {
                if (count == starts.length) {
                    starts = Arrays.copyOf(starts, count * 2);
                }
                starts[count++] = i + 1;
            }
        }
        this.lineStarts = Arrays.copyOf(starts, count);
    }

    /** The file the text came from, or {@code null}. */
    Path file() {
        return file;
    }

    int[] codePoints() {
        return codePoints;
    }

    int length() {
        return codePoints.length;
    }

    String text(int from, int to) {
        return new String(codePoints, from, to - from);
    }

    /** 1-based line of the code point at {@code offset} (an offset at the end is on the last line). */
    int line(int offset) {
        int i = Arrays.binarySearch(lineStarts, offset);
        return i >= 0 ? i + 1 : -i - 1;
    }

    /** 1-based column of the code point at {@code offset}. */
    int column(int offset) {
        return offset - lineStarts[line(offset) - 1] + 1;
    }

    ConfigException error(int offset, String reason) {
        int at = Math.max(0, Math.min(offset, codePoints.length));
        return new ConfigException(file, line(at), column(at), reason);
    }

    /** "line 3, column 7", for messages that point back at an earlier place. */
    String where(int offset) {
        return "line " + line(offset) + ", column " + column(offset);
    }
}
