package nats.server.internal.config;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * Splits configuration text into tokens, state for state as the Go server's lexer ({@code conf/lex.go}) does,
 * so that every oddity of the format (bare strings that start with a digit, {@code 2m} being a number,
 * {@code 127.0.0.1:4222} being a string, keys separated from values by nothing but a space, ...) comes out the
 * same. Where the Go lexer gives up with an error this one does too, at the same place, with a message that
 * says what was expected.
 *
 * <p>Offsets are in Unicode code points. The lexer is lazy: {@link #nextToken()} runs states until one emits a token.
 */
final class Lexer {

    enum Kind {
        KEY, STRING, BOOL, INTEGER, FLOAT, DATETIME, ARRAY_START, ARRAY_END, MAP_START, MAP_END, VARIABLE,
        INCLUDE, EOF
    }

    /** One token: its kind, its text (escapes applied; without quotes or {@code $}), and where it starts. */
    record Token(Kind kind, String text, int offset) {
    }

    @FunctionalInterface
    private interface State {
        State run() throws ConfigException;
    }

    private static final int EOF = -1;

    private final Source source;
    private final int[] in;
    private final int len;
    private final long maxSteps;

    private int pos;
    private int start;
    private int width;
    private long steps;
    private State state = this::lexTop;

    private final ArrayDeque<State> stack = new ArrayDeque<>();
    private final ArrayDeque<Token> ready = new ArrayDeque<>();
    /** Offsets of the '{' and '[' not closed yet, innermost first; for messages only. */
    private final ArrayDeque<Integer> open = new ArrayDeque<>();

    /** Text of a string gathered so far when it contains escapes; null when it has none. */
    private StringBuilder parts;
    private int partsOrigin;
    private final ByteArrayOutputStream pendingBytes = new ByteArrayOutputStream();
    /** Where to return after an escape sequence: the quoted or the unquoted string state. */
    private State stringState;
    /** Offset of the opening quote or parenthesis of the string being read; for messages. */
    private int quoteOffset;
    /** Offset of the backslash of the escape being read; for messages. */
    private int escapeOffset;
    private String lastKey = "";
    private Token lastValue;

    Lexer(Source source) {
        this.source = source;
        this.in = source.codePoints();
        this.len = in.length;
        this.maxSteps = 16L * len + 1024;
    }

    /** The next token; {@link Kind#EOF} at the end (and on every call after). */
    Token nextToken() throws ConfigException {
        while (ready.isEmpty()) {
            if (state == null) {
                return new Token(Kind.EOF, "", len);
            }
            if (++steps > maxSteps) {
                throw source.error(pos, "internal error: the configuration lexer stopped making progress");
            }
            state = state.run();
        }
        return ready.poll();
    }

    // ---- reading -------------------------------------------------------------------------------------------

    private int next() {
        if (pos >= len) {
            width = 0;
            return EOF;
        }
        width = 1;
        return in[pos++];
    }

    /** Steps back over what the last {@link #next()} read (nothing at the end of input). */
    private void backup() {
        pos -= width;
    }

    private int peek() {
        int r = next();
        backup();
        return r;
    }

    private void ignore() {
        start = pos;
    }

    private void push(State s) {
        stack.push(s);
    }

    private State pop() throws ConfigException {
        State s = stack.poll();
        if (s == null) {
            throw source.error(pos, "internal error: configuration lexer state stack is empty");
        }
        return s;
    }

    // ---- emitting ------------------------------------------------------------------------------------------

    private void emit(Kind kind) {
        emit(kind, start);
    }

    private void emit(Kind kind, int offset) {
        String text;
        if (parts != null) {
            flushBytes();
            parts.append(source.text(start, pos));
            text = parts.toString();
            offset = partsOrigin;
            parts = null;
        } else {
            text = source.text(start, pos);
        }
        Token token = new Token(kind, text, offset);
        ready.add(token);
        lastValue = token;
        start = pos;
    }

    private void emitKey() {
        emit(Kind.KEY);
        lastKey = ready.peekLast().text();
    }

    private void emitMarker(Kind kind, int offset) {
        ready.add(new Token(kind, "", offset));
    }

    private void emitEof() {
        ready.add(new Token(Kind.EOF, "", pos));
    }

    /** Keeps the text read so far (less the {@code drop} code points just read) as part of the current string. */
    private void addCurrentStringPart(int drop) {
        if (parts == null) {
            parts = new StringBuilder();
            partsOrigin = start;
        }
        if (pos - drop > start) {
            // Bytes from consecutive \x escapes stay pending so that together they can form one character.
            flushBytes();
            parts.append(source.text(start, pos - drop));
        }
        start = pos;
    }

    private State addStringPart(String s) {
        flushBytes();
        parts.append(s);
        start = pos;
        return stringState;
    }

    private State addByte(int b) {
        pendingBytes.write(b);
        start = pos;
        return stringState;
    }

    /**
     * Bytes from {@code \xXX} escapes: Go keeps them as raw bytes. A run of them that forms valid UTF-8 becomes
     * the characters it encodes; otherwise each byte becomes the Latin-1 character of the same value.
     */
    private void flushBytes() {
        if (pendingBytes.size() == 0) {
            return;
        }
        byte[] bytes = pendingBytes.toByteArray();
        pendingBytes.reset();
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            s = new String(bytes, StandardCharsets.ISO_8859_1);
        }
        parts.append(s);
    }

    // ---- errors --------------------------------------------------------------------------------------------

    private ConfigException error(int offset, String reason) {
        return source.error(offset, reason);
    }

    /** The offset of what the last {@link #next()} returned: the character, or the end of input. */
    private int lastRead() {
        return width == 0 ? pos : pos - 1;
    }

    private String openedAt(String what, char closer) {
        Integer at = open.peek();
        return at == null ? "unexpected end of file"
                : "unexpected end of file: the " + what + " opened at " + source.where(at) + " has no closing '"
                        + closer + "'";
    }

    /**
     * Go reads a number directly followed by ']' (as in {@code [1, 2]}) as a string such as "2]", so the
     * array is not closed: say so when that is what happened.
     */
    private String numberSwallowedBracket() {
        Token last = lastValue;
        if (last != null && last.kind() == Kind.STRING && last.text().endsWith("]") && !last.text().isEmpty()
                && isDigit(last.text().codePointAt(0))) {
            return " (the value '" + last.text() + "' took in the ']': as in the Go server, a number directly "
                    + "followed by ']' is read as a string; put a space or ',' before the ']')";
        }
        return "";
    }

    static String describe(int r) {
        return switch (r) {
            case EOF -> "the end of the file";
            case '\n' -> "a new line";
            case '\r' -> "a carriage return";
            case '\t' -> "a tab";
            case ' ' -> "a space";
            case '\'' -> "a single quote";
            case '"' -> "a double quote";
            default -> "'" + Character.toString(r) + "'";
        };
    }

    /** A quote character as it is written in messages: {@code "'"} or {@code '"'}. */
    private static String quoteChar(int quote) {
        return quote == '\'' ? "\"'\"" : "'\"'";
    }

    // ---- character classes (Go's unicode.IsSpace / IsDigit and the lexer's own) ----------------------------

    static boolean isSpace(int r) {
        if (r < 0) {
            return false;
        }
        if (r <= 0xFF) {
            return r == '\t' || r == '\n' || r == 0x0B || r == '\f' || r == '\r' || r == ' ' || r == 0x85
                    || r == 0xA0;
        }
        return r == 0x1680 || (r >= 0x2000 && r <= 0x200A) || r == 0x2028 || r == 0x2029 || r == 0x202F
                || r == 0x205F || r == 0x3000;
    }

    static boolean isDigit(int r) {
        if (r < 0) {
            return false;
        }
        if (r <= 0xFF) {
            return r >= '0' && r <= '9';
        }
        return Character.getType(r) == Character.DECIMAL_DIGIT_NUMBER;
    }

    private static boolean isWhitespace(int r) {
        return r == '\t' || r == ' ';
    }

    private static boolean isNL(int r) {
        return r == '\n' || r == '\r';
    }

    private static boolean isKeySeparator(int r) {
        return r == '=' || r == ':';
    }

    private static boolean isNumberSuffix(int r) {
        return switch (r) {
            case 'k', 'K', 'm', 'M', 'g', 'G', 't', 'T', 'p', 'P', 'e', 'E' -> true;
            default -> false;
        };
    }

    /** Ends a number: what may follow an integer for it to stay an integer. */
    private static boolean endsNumber(int r) {
        return isNL(r) || r == EOF || r == '}' || r == ';' || r == ',' || isWhitespace(r);
    }

    /** Lower-cases each code point on its own, as Go's strings.ToLower does. */
    static String goLower(String s) {
        return nats.transport.config.ConfigValues.goLower(s);
    }

    // ---- top level -----------------------------------------------------------------------------------------

    private State lexTop() throws ConfigException {
        int r = next();
        if (isSpace(r)) {
            ignore();
            return this::lexTop;
        }
        switch (r) {
            case '{' -> {
                // A top-level '{' is skipped: the whole file may be wrapped in braces, as JSON is.
                ignore();
                return this::lexTop;
            }
            case '#' -> {
                push(this::lexTop);
                return this::lexComment;
            }
            case '/' -> {
                int rn = next();
                if (rn == '/') {
                    push(this::lexTop);
                    return this::lexComment;
                }
                backup();
                throw error(pos - 1, "unexpected '/': a comment starts with '//' or '#'");
            }
            case EOF -> {
                emitEof();
                return null;
            }
            default -> {
                backup();
                push(this::lexTopValueEnd);
                return this::lexKeyStart;
            }
        }
    }

    private State lexTopValueEnd() throws ConfigException {
        int r = next();
        if (r == '#') {
            push(this::lexTop);
            return this::lexComment;
        }
        if (r == '/') {
            int rn = next();
            if (rn == '/') {
                push(this::lexTop);
                return this::lexComment;
            }
            backup();
            return this::lexTopValueEnd;
        }
        if (isWhitespace(r)) {
            return this::lexTopValueEnd;
        }
        if (isNL(r) || r == EOF || r == ';' || r == ',' || r == '}') {
            ignore();
            return this::lexTop;
        }
        throw error(pos - 1, "expected a new line, ';', ',' or a comment after the value of '" + lastKey
                + "', but found " + describe(r) + " (put the value in quotes if it is meant to be a string)");
    }

    // ---- keys ----------------------------------------------------------------------------------------------

    private State lexKeyStart() throws ConfigException {
        int r = peek();
        if (isKeySeparator(r)) {
            throw error(pos, "unexpected key separator " + describe(r) + " where a key was expected");
        }
        if (isSpace(r)) {
            next();
            ignore();
            return this::lexKeyStart;
        }
        if (r == '"' || r == '\'') {
            next();
            ignore();
            quoteOffset = pos - 1;
            return () -> lexQuotedKey(r);
        }
        ignore();
        next();
        return this::lexKey;
    }

    /** A quoted key at the top level; Go lets a lone quote at the very end of the file pass. */
    private State lexQuotedKey(int quote) throws ConfigException {
        while (true) {
            int r = peek();
            if (r == quote) {
                emitKey();
                next();
                ignore();
                return this::lexKeyEnd;
            }
            if (r == EOF) {
                if (pos > start) {
                    throw error(pos, "unexpected end of file: the quoted key started at "
                            + source.where(quoteOffset) + " has no closing " + quoteChar(quote));
                }
                emitEof();
                return null;
            }
            next();
        }
    }

    /** After a key followed by white space: the key may be the keyword {@code include}. */
    private State keyCheckKeyword(State fallThrough, State pushIfInclude) {
        if (goLower(source.text(start, pos)).equals("include")) {
            ignore();
            if (pushIfInclude != null) {
                push(pushIfInclude);
            }
            return this::lexIncludeStart;
        }
        emitKey();
        return fallThrough;
    }

    private State lexKey() {
        while (true) {
            int r = peek();
            if (isSpace(r)) {
                return keyCheckKeyword(this::lexKeyEnd, null);
            }
            if (isKeySeparator(r) || r == EOF) {
                emitKey();
                return this::lexKeyEnd;
            }
            next();
        }
    }

    private State lexKeyEnd() {
        int r = next();
        if (isSpace(r)) {
            ignore();
            return this::lexKeyEnd;
        }
        if (isKeySeparator(r)) {
            ignore();
            return this::lexValue;
        }
        if (r == EOF) {
            emitEof();
            return null;
        }
        backup();
        return this::lexValue;
    }

    // ---- include -------------------------------------------------------------------------------------------

    private State lexIncludeStart() {
        int r = next();
        if (isWhitespace(r)) {
            ignore();
            return this::lexIncludeStart;
        }
        backup();
        return this::lexInclude;
    }

    private State lexInclude() throws ConfigException {
        int r = next();
        String found;
        if (r == '\'' || r == '"') {
            ignore();
            quoteOffset = pos - 1;
            return () -> lexIncludeQuoted(r);
        } else if (r == '[') {
            found = "the start of an array";
        } else if (r == '{') {
            found = "the start of a map";
        } else if (r == '(') {
            found = "the start of a block";
        } else if (isDigit(r) || r == '-') {
            found = "the start of a number (put the file name in quotes)";
        } else if (r == '\\') {
            found = "an escape sequence";
        } else if (isNL(r)) {
            found = "a new line";
        } else {
            backup();
            return this::lexIncludeString;
        }
        throw error(pos - 1, "expected the name of the file to include, but found " + found);
    }

    private State lexIncludeQuoted(int quote) throws ConfigException {
        while (true) {
            int r = next();
            if (r == quote) {
                backup();
                emit(Kind.INCLUDE);
                next();
                ignore();
                return pop();
            }
            if (r == EOF) {
                throw error(pos, "unexpected end of file: the quoted include file name started at "
                        + source.where(quoteOffset) + " has no closing " + quoteChar(quote));
            }
        }
    }

    private State lexIncludeString() throws ConfigException {
        while (true) {
            int r = next();
            if (isNL(r) || r == EOF || r == ';' || r == '}' || isWhitespace(r)) {
                backup();
                emit(Kind.INCLUDE);
                return pop();
            }
            if (r == '\'') {
                backup();
                emit(Kind.INCLUDE);
                next();
                ignore();
                return pop();
            }
        }
    }

    // ---- values --------------------------------------------------------------------------------------------

    private State lexValue() throws ConfigException {
        int r = next();
        if (isWhitespace(r)) {
            ignore();
            return this::lexValue;
        }
        switch (r) {
            case '[' -> {
                ignore();
                emitMarker(Kind.ARRAY_START, pos - 1);
                open.push(pos - 1);
                return this::lexArrayValue;
            }
            case '{' -> {
                ignore();
                emitMarker(Kind.MAP_START, pos - 1);
                open.push(pos - 1);
                return this::lexMapKeyStart;
            }
            case '\'' -> {
                ignore();
                quoteOffset = pos - 1;
                return this::lexQuotedString;
            }
            case '"' -> {
                ignore();
                quoteOffset = pos - 1;
                stringState = this::lexDubQuotedString;
                return stringState;
            }
            case '-' -> {
                return this::lexNegNumberStart;
            }
            case '(' -> {
                ignore();
                quoteOffset = pos - 1;
                return this::lexBlock;
            }
            case '.' -> throw error(pos - 1, "a number must start with a digit: write 0.5, not .5 "
                    + "(put the value in quotes if it is meant to be a string)");
            default -> {
                if (isDigit(r)) {
                    return this::lexNumberOrDateOrStringOrIP;
                }
                if (isNL(r)) {
                    throw error(pos - 1, "expected a value for '" + lastKey + "' but found a new line");
                }
                backup();
                stringState = this::lexString;
                return stringState;
            }
        }
    }

    // ---- arrays --------------------------------------------------------------------------------------------

    private State lexArrayValue() throws ConfigException {
        int r = next();
        if (isSpace(r)) {
            ignore();
            return this::lexArrayValue;
        }
        if (r == '#') {
            push(this::lexArrayValue);
            return this::lexComment;
        }
        if (r == '/') {
            int rn = next();
            if (rn == '/') {
                push(this::lexArrayValue);
                return this::lexComment;
            }
            backup();
            throw error(pos - 1, "unexpected '/' in an array: a comment starts with '//' or '#'");
        }
        if (r == ',') {
            throw error(pos - 1, "unexpected ',' in an array: expected a value or ']'");
        }
        if (r == ']') {
            return lexArrayEnd();
        }
        backup();
        push(this::lexArrayValueEnd);
        return this::lexValue;
    }

    private State lexArrayValueEnd() throws ConfigException {
        int r = next();
        if (isWhitespace(r)) {
            ignore();
            return this::lexArrayValueEnd;
        }
        if (r == '#') {
            push(this::lexArrayValueEnd);
            return this::lexComment;
        }
        if (r == '/') {
            int rn = next();
            if (rn == '/') {
                push(this::lexArrayValueEnd);
                return this::lexComment;
            }
            backup();
            ignore();
            return this::lexArrayValue;
        }
        if (r == ',' || isNL(r)) {
            ignore();
            return this::lexArrayValue;
        }
        if (r == ']') {
            return lexArrayEnd();
        }
        if (r == EOF) {
            throw error(pos, openedAt("array", ']') + numberSwallowedBracket());
        }
        throw error(pos - 1, "expected ',', a new line or ']' after an array value, but found " + describe(r)
                + numberSwallowedBracket());
    }

    private State lexArrayEnd() throws ConfigException {
        ignore();
        emitMarker(Kind.ARRAY_END, pos - 1);
        open.poll();
        return pop();
    }

    // ---- maps ----------------------------------------------------------------------------------------------

    private State lexMapKeyStart() throws ConfigException {
        int r = peek();
        if (isKeySeparator(r)) {
            throw error(pos, "unexpected key separator " + describe(r) + " where a key was expected");
        }
        if (r == ']') {
            throw error(pos, "unexpected ']' in a map: expected a key or '}'");
        }
        if (isSpace(r)) {
            next();
            ignore();
            return this::lexMapKeyStart;
        }
        if (r == '}') {
            next();
            ignore();
            return lexMapEnd();
        }
        if (r == '#') {
            next();
            push(this::lexMapKeyStart);
            return this::lexComment;
        }
        if (r == '/') {
            next();
            int rn = next();
            if (rn == '/') {
                push(this::lexMapKeyStart);
                return this::lexComment;
            }
            // Go drops a lone '/' here and starts the key at the next character.
            backup();
        } else if (r == '"' || r == '\'') {
            next();
            ignore();
            quoteOffset = pos - 1;
            return () -> lexMapQuotedKey(r);
        } else if (r == EOF) {
            throw error(pos, openedAt("map", '}'));
        }
        ignore();
        next();
        return this::lexMapKey;
    }

    private State lexMapQuotedKey(int quote) throws ConfigException {
        while (true) {
            int r = peek();
            if (r == EOF) {
                throw error(pos, "unexpected end of file: the quoted key started at " + source.where(quoteOffset)
                        + " has no closing " + quoteChar(quote));
            }
            if (r == quote) {
                emitKey();
                next();
                ignore();
                return this::lexMapKeyEnd;
            }
            next();
        }
    }

    private State lexMapKey() throws ConfigException {
        while (true) {
            int r = peek();
            if (r == EOF) {
                throw error(pos, openedAt("map", '}'));
            }
            if (isSpace(r)) {
                return keyCheckKeyword(this::lexMapKeyEnd, this::lexMapValueEnd);
            }
            if (isKeySeparator(r)) {
                emitKey();
                return this::lexMapKeyEnd;
            }
            next();
        }
    }

    private State lexMapKeyEnd() {
        int r = next();
        if (isSpace(r)) {
            ignore();
            return this::lexMapKeyEnd;
        }
        if (isKeySeparator(r)) {
            ignore();
            return this::lexMapValue;
        }
        backup();
        return this::lexMapValue;
    }

    private State lexMapValue() throws ConfigException {
        int r = next();
        if (isSpace(r)) {
            ignore();
            return this::lexMapValue;
        }
        if (r == ',') {
            throw error(pos - 1, "unexpected ',' after the key '" + lastKey + "': expected a value");
        }
        if (r == '}') {
            ignore();
            return lexMapEnd();
        }
        backup();
        push(this::lexMapValueEnd);
        return this::lexValue;
    }

    private State lexMapValueEnd() throws ConfigException {
        int r = next();
        if (isWhitespace(r)) {
            ignore();
            return this::lexMapValueEnd;
        }
        if (r == '#') {
            push(this::lexMapValueEnd);
            return this::lexComment;
        }
        if (r == '/') {
            int rn = next();
            if (rn == '/') {
                push(this::lexMapValueEnd);
                return this::lexComment;
            }
            backup();
            ignore();
            return this::lexMapKeyStart;
        }
        if (r == ';' || r == ',' || isNL(r)) {
            ignore();
            return this::lexMapKeyStart;
        }
        if (r == '}') {
            ignore();
            return lexMapEnd();
        }
        if (r == EOF) {
            throw error(pos, openedAt("map", '}'));
        }
        throw error(pos - 1, "expected a new line, ',', ';' or '}' after the value of '" + lastKey
                + "', but found " + describe(r) + " (put the value in quotes if it is meant to be a string)");
    }

    private State lexMapEnd() throws ConfigException {
        ignore();
        emitMarker(Kind.MAP_END, pos - 1);
        open.poll();
        return pop();
    }

    // ---- strings -------------------------------------------------------------------------------------------

    private ConfigException unterminated(int quote) {
        return error(pos, "unexpected end of file: the string started at " + source.where(quoteOffset)
                + " has no closing " + quoteChar(quote));
    }

    /** A '...' string: taken as written, no escapes. */
    private State lexQuotedString() throws ConfigException {
        while (true) {
            int r = next();
            if (r == '\'') {
                backup();
                emit(Kind.STRING);
                next();
                ignore();
                return pop();
            }
            if (r == EOF) {
                throw unterminated('\'');
            }
        }
    }

    /** A "..." string, with escapes. */
    private State lexDubQuotedString() throws ConfigException {
        while (true) {
            int r = next();
            if (r == '\\') {
                escapeOffset = pos - 1;
                addCurrentStringPart(1);
                return this::lexStringEscape;
            }
            if (r == '"') {
                backup();
                emit(Kind.STRING);
                next();
                ignore();
                return pop();
            }
            if (r == EOF) {
                throw unterminated('"');
            }
        }
    }

    /** An unquoted string, which may turn out to be a boolean or a variable reference. */
    private State lexString() throws ConfigException {
        while (true) {
            int r = next();
            if (r == '\\') {
                escapeOffset = pos - 1;
                addCurrentStringPart(1);
                return this::lexStringEscape;
            }
            if (isNL(r) || r == EOF || r == ';' || r == ',' || r == ']' || r == '}' || isWhitespace(r)) {
                backup();
                if (parts != null) {
                    emit(Kind.STRING);
                } else if (isBool(source.text(start, pos))) {
                    emit(Kind.BOOL);
                } else if (start < pos && in[start] == '$') {
                    int dollar = start;
                    start++;
                    emit(Kind.VARIABLE, dollar);
                } else {
                    emit(Kind.STRING);
                }
                return pop();
            }
            if (r == '\'') {
                backup();
                emit(Kind.STRING);
                next();
                ignore();
                return pop();
            }
        }
    }

    static boolean isBool(String s) {
        return switch (goLower(s)) {
            case "true", "false", "on", "off", "yes", "no" -> true;
            default -> false;
        };
    }

    /**
     * A block: everything from '(' up to a ')' that stands alone on its line, taken as a string. (Go keeps the
     * ')' in the string when it is the very last character of the file; this lexer does not.)
     */
    private State lexBlock() throws ConfigException {
        while (true) {
            int r = next();
            if (r == ')') {
                int close = pos - 1;
                boolean aloneBefore = close > 0 && in[close - 1] == '\n';
                boolean aloneAfter = close + 1 >= len || in[close + 1] == '\n';
                if (aloneBefore && aloneAfter) {
                    pos = close;
                    emit(Kind.STRING);
                    pos = close + 1;
                    ignore();
                    return pop();
                }
            } else if (r == EOF) {
                throw error(pos, "unexpected end of file: the block started with '(' at " + source.where(quoteOffset)
                        + " has no ')' on a line of its own");
            }
        }
    }

    private State lexStringEscape() throws ConfigException {
        int r = next();
        return switch (r) {
            case 'x' -> this::lexStringBinary;
            case 't' -> addStringPart("\t");
            case 'n' -> addStringPart("\n");
            case 'r' -> addStringPart("\r");
            case '"' -> addStringPart("\"");
            case '\\' -> addStringPart("\\");
            default -> throw error(escapeOffset, "invalid escape sequence: '\\' followed by " + describe(r)
                    + "; only \\xXX, \\t, \\n, \\r, \\\" and \\\\ are allowed");
        };
    }

    private State lexStringBinary() throws ConfigException {
        int hi = next();
        if (isNL(hi)) {
            throw error(escapeOffset, "expected two hexadecimal digits after '\\x', but hit end of line");
        }
        int lo = next();
        if (isNL(lo)) {
            throw error(escapeOffset, "expected two hexadecimal digits after '\\x', but hit end of line");
        }
        int h = Character.digit(hi, 16);
        int l = Character.digit(lo, 16);
        if (hi > 0x7F || lo > 0x7F || h < 0 || l < 0) {
            String got = (hi == EOF ? "" : Character.toString(hi)) + (lo == EOF ? "" : Character.toString(lo));
            throw error(escapeOffset, "expected two hexadecimal digits after '\\x', but got '" + got + "'");
        }
        return addByte(h * 16 + l);
    }

    // ---- numbers, dates, addresses -------------------------------------------------------------------------

    /** After a first digit: an integer, a float, a date, an IP address, or a string that starts with a digit. */
    private State lexNumberOrDateOrStringOrIP() throws ConfigException {
        while (true) {
            int r = next();
            if (r == '-') {
                if (pos - start != 5) {
                    throw error(pos - 1, "a date must be in full Zulu form such as 2016-05-04T18:53:41Z "
                            + "(put the value in quotes if it is meant to be a string)");
                }
                return this::lexDateAfterYear;
            }
            if (isDigit(r)) {
                continue;
            }
            if (r == '.') {
                return this::lexFloatStart;
            }
            if (isNumberSuffix(r)) {
                return this::lexConvenientNumber;
            }
            if (!endsNumber(r)) {
                // Not a number after all: the value is a string that starts with digits.
                stringState = this::lexString;
                return stringState;
            }
            backup();
            emit(Kind.INTEGER);
            return pop();
        }
    }

    /** A number with a size suffix such as 1k, 8MB or 2Gi. */
    private State lexConvenientNumber() throws ConfigException {
        while (true) {
            int r = next();
            if (r == 'b' || r == 'B' || r == 'i' || r == 'I') {
                continue;
            }
            backup();
            if (endsNumber(r) || isDigit(r)) {
                emit(Kind.INTEGER);
                return pop();
            }
            stringState = this::lexString;
            return stringState;
        }
    }

    private State lexDateAfterYear() throws ConfigException {
        String format = "00-00T00:00:00Z";
        for (int i = 0; i < format.length(); i++) {
            char f = format.charAt(i);
            int r = next();
            if (f == '0') {
                if (!isDigit(r)) {
                    throw error(lastRead(), "expected a digit in the date, but found " + describe(r));
                }
            } else if (r != f) {
                throw error(lastRead(), "expected '" + f + "' in the date, but found " + describe(r));
            }
        }
        emit(Kind.DATETIME);
        return pop();
    }

    private State lexNegNumberStart() throws ConfigException {
        int r = next();
        if (!isDigit(r)) {
            if (r == '.') {
                throw error(pos - 1, "a number must start with a digit, not '.'");
            }
            throw error(lastRead(), "expected a digit after '-', but found " + describe(r)
                    + " (put the value in quotes if it is meant to be a string)");
        }
        return this::lexNegNumber;
    }

    private State lexNegNumber() throws ConfigException {
        while (true) {
            int r = next();
            if (isDigit(r)) {
                continue;
            }
            if (r == '.') {
                return this::lexFloatStart;
            }
            if (isNumberSuffix(r)) {
                return this::lexConvenientNumber;
            }
            backup();
            emit(Kind.INTEGER);
            return pop();
        }
    }

    private State lexFloatStart() throws ConfigException {
        int r = next();
        if (!isDigit(r)) {
            throw error(lastRead(), "expected a digit after '.', but found " + describe(r)
                    + " (put the value in quotes if it is meant to be a string)");
        }
        return this::lexFloat;
    }

    private State lexFloat() throws ConfigException {
        while (true) {
            int r = next();
            if (isDigit(r)) {
                continue;
            }
            if (r == '.') {
                // A second '.': an IP address, not a float.
                return this::lexIPAddr;
            }
            backup();
            emit(Kind.FLOAT);
            return pop();
        }
    }

    private State lexIPAddr() throws ConfigException {
        while (true) {
            int r = next();
            if (isDigit(r) || r == '.' || r == ':' || r == '-') {
                continue;
            }
            backup();
            emit(Kind.STRING);
            return pop();
        }
    }

    // ---- comments ------------------------------------------------------------------------------------------

    /** A comment, up to (not including) the end of its line; then back to the state pushed before it. */
    private State lexComment() throws ConfigException {
        while (true) {
            int r = peek();
            if (isNL(r) || r == EOF) {
                ignore();
                return pop();
            }
            next();
        }
    }
}
