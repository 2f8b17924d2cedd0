package nats.leafnode.internal;

import java.nio.charset.StandardCharsets;

/**
 * One permission subject, split into tokens once, that matches a message's subject bytes where they lie: a
 * leaf connection checks every message it sends against its denies (Go's JetStream denies are always there),
 * so the check must not split or copy the subject. Matches as {@code Subjects.matches} does: {@code *} takes
 * one token, {@code >} one or more, empty tokens are tokens.
 */
final class SubjectPattern {

    private static final byte[] ONE = {'*'};
    private static final byte[] REST = {'>'};

    /** The tokens' bytes; {@link #ONE} and {@link #REST} stand for the wildcards. */
    private final byte[][] tokens;
    private final String text;

    SubjectPattern(String text) {
        this.text = text;
        String[] parts = text.split("\\.", -1);
        tokens = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            tokens[i] = switch (parts[i]) {
                case "*" -> ONE;
                case ">" -> REST;
                default -> parts[i].getBytes(StandardCharsets.UTF_8);
            };
        }
    }

    /** Whether the literal subject in {@code subject[offset, offset + length)} is matched by this pattern. */
    boolean matches(byte[] subject, int offset, int length) {
        int end = offset + length;
        // The next token starts at pos; pos > end once the subject's last token was taken.
        int pos = offset;
        for (byte[] token : tokens) {
            if (token == REST) {
                return pos <= end;
            }
            if (pos > end) {
                return false;
            }
            int tokenEnd = pos;
            while (tokenEnd < end && subject[tokenEnd] != '.') {
                tokenEnd++;
            }
            if (token != ONE && !java.util.Arrays.equals(subject, pos, tokenEnd, token, 0, token.length)) {
                return false;
            }
            pos = tokenEnd + 1;
        }
        return pos > end;
    }

    @Override
    public String toString() {
        return text;
    }
}
