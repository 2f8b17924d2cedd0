package nats.transport.protocol;

import java.util.Arrays;

/**
 * A byte-level state machine for what a client sends, resumable across reads. It follows the Go server's
 * parser state by state, so that odd input (lower case operations, tabs, garbage after PING, split frames)
 * gets the same answer. Steady state allocates nothing: payloads are handed over as slices of the read
 * buffer, and only frames split across reads are copied into reused scratch buffers.
 */
public final class ClientProtocolParser {

    /** The Go server's default maximum control line. */
    public static final int DEFAULT_MAX_CONTROL_LINE = 4096;
    private static final int LARGE_CARRY = 64 * 1024;

    private static final int OP_START = 0;
    private static final int OP_PLUS = 1;
    private static final int OP_PLUS_O = 2;
    private static final int OP_PLUS_OK = 3;
    private static final int OP_MINUS = 4;
    private static final int OP_MINUS_E = 5;
    private static final int OP_MINUS_ER = 6;
    private static final int OP_MINUS_ERR = 7;
    private static final int OP_MINUS_ERR_SPC = 8;
    private static final int MINUS_ERR_ARG = 9;
    private static final int OP_C = 10;
    private static final int OP_CO = 11;
    private static final int OP_CON = 12;
    private static final int OP_CONN = 13;
    private static final int OP_CONNE = 14;
    private static final int OP_CONNEC = 15;
    private static final int OP_CONNECT = 16;
    private static final int CONNECT_ARG = 17;
    private static final int OP_H = 18;
    private static final int OP_HP = 19;
    private static final int OP_HPU = 20;
    private static final int OP_HPUB = 21;
    private static final int OP_HPUB_SPC = 22;
    private static final int HPUB_ARG = 23;
    private static final int OP_P = 24;
    private static final int OP_PU = 25;
    private static final int OP_PUB = 26;
    private static final int OP_PUB_SPC = 27;
    private static final int PUB_ARG = 28;
    private static final int OP_PI = 29;
    private static final int OP_PIN = 30;
    private static final int OP_PING = 31;
    private static final int OP_PO = 32;
    private static final int OP_PON = 33;
    private static final int OP_PONG = 34;
    private static final int MSG_PAYLOAD = 35;
    private static final int OP_S = 36;
    private static final int OP_SU = 37;
    private static final int OP_SUB = 38;
    private static final int OP_SUB_SPC = 39;
    private static final int SUB_ARG = 40;
    private static final int OP_U = 41;
    private static final int OP_UN = 42;
    private static final int OP_UNS = 43;
    private static final int OP_UNSU = 44;
    private static final int OP_UNSUB = 45;
    private static final int OP_UNSUB_SPC = 46;
    private static final int UNSUB_ARG = 47;
    private static final int OP_I = 48;
    private static final int OP_IN = 49;
    private static final int OP_INF = 50;
    private static final int OP_INFO = 51;
    private static final int INFO_ARG = 52;

    private final ClientProtocolHandler handler;
    private final PubArgs pubArgs = new PubArgs();
    private final int maxControlLine;

    private int state = OP_START;
    /** Start of the current argument in the buffer being parsed. */
    private int argStart;
    /** 1 when a CR preceded the LF that ends the argument. */
    private int drop;

    /** Argument bytes carried over from an earlier read; null when the argument is in the read buffer. */
    private byte[] argCarry = new byte[256];
    private int argCarryLength = -1;

    /** Payload bytes (plus CRLF) carried over from earlier reads; length -1 when not in use. */
    private byte[] payloadCarry = new byte[1024];
    private int payloadCarryLength = -1;

    public ClientProtocolParser(ClientProtocolHandler handler, int maxControlLine) {
        this.handler = handler;
        this.maxControlLine = maxControlLine;
    }

    /**
     * Parses {@code len} bytes starting at {@code off}. Returns normally when all bytes were consumed
     * (possibly leaving a partial frame in the parser's own buffers).
     *
     * @throws ProtocolException on a violation; the connection should then be handled as it says
     */
    public void parse(byte[] buf, int off, int len) throws ProtocolException {
        int end = off + len;
        int i = off;
        if (state == MSG_PAYLOAD) {
            i = continuePayload(buf, i, end);
        }
        for (; i < end; i++) {
            byte b = buf[i];
            switch (state) {
                case OP_START -> state = switch (b) {
                    case 'P', 'p' -> afterConnect(OP_P);
                    case 'H', 'h' -> afterConnect(OP_H);
                    default -> startRareOperation(b, buf, i, end);
                };
                case OP_H -> state = expect(b, 'P', OP_HP, buf, i, end);
                case OP_HP -> state = expect(b, 'U', OP_HPU, buf, i, end);
                case OP_HPU -> state = expect(b, 'B', OP_HPUB, buf, i, end);
                case OP_HPUB -> state = expectSpace(b, OP_HPUB_SPC, buf, i, end);
                case OP_HPUB_SPC -> {
                    if (b != ' ' && b != '\t') {
                        state = HPUB_ARG;
                        argStart = i;
                    }
                }
                case OP_P -> state = switch (b) {
                    case 'U', 'u' -> OP_PU;
                    case 'I', 'i' -> OP_PI;
                    case 'O', 'o' -> OP_PO;
                    default -> throw parseError(buf, i, end);
                };
                case OP_PU -> state = expect(b, 'B', OP_PUB, buf, i, end);
                case OP_PUB -> state = expectSpace(b, OP_PUB_SPC, buf, i, end);
                case OP_PUB_SPC -> {
                    if (b != ' ' && b != '\t') {
                        state = PUB_ARG;
                        argStart = i;
                    }
                }
                case PUB_ARG, HPUB_ARG -> {
                    if (b != '\n' && argCarryLength < 0) {
                        // Fast path: the control line is in this buffer; find its end in one tight loop.
                        int lf = i;
                        while (lf < end && buf[lf] != '\n') {
                            if (buf[lf] == '\r') {
                                drop = 1;
                            }
                            lf++;
                        }
                        if (lf == end) {
                            i = end - 1;
                            continue;
                        }
                        i = lf;
                        b = '\n';
                    }
                    if (b == '\n') {
                        startPayload(buf, i, end, state == HPUB_ARG);
                        i = argStart - 1;
                        if (i + 1 < end) {
                            i = continuePayload(buf, i + 1, end) - 1;
                        } else {
                            keepArgsAcrossReads();
                            payloadCarryLength = 0;
                        }
                    } else {
                        argByte(b);
                    }
                }
                case OP_PI -> state = expect(b, 'N', OP_PIN, buf, i, end);
                case OP_PIN -> state = expect(b, 'G', OP_PING, buf, i, end);
                case OP_PING -> {
                    if (b == '\n') {
                        state = OP_START;
                        drop = 0;
                        handler.onPing();
                    }
                }
                case OP_PO -> state = expect(b, 'N', OP_PON, buf, i, end);
                case OP_PON -> state = expect(b, 'G', OP_PONG, buf, i, end);
                case OP_PONG -> {
                    if (b == '\n') {
                        state = OP_START;
                        drop = 0;
                        handler.onPong();
                    }
                }
                default -> parseRare(b, buf, i, end);
            }
        }
        carryPartialArgument(buf, end);
    }

    /** With no CONNECT yet, only CONNECT itself is accepted when the server requires one. */
    private int afterConnect(int next) throws ProtocolException {
        if (!handler.acceptsOperationsBeforeConnect()) {
            throw ProtocolException.fatal("Authorization Violation", "operation before CONNECT");
        }
        return next;
    }

    /**
     * The first byte of the operations other than PUB, HPUB, PING and PONG. These, and the states below, are kept
     * out of {@link #parse}: the JIT compiles a method's branches as they were taken so far, so a CONNECT, SUB or
     * UNSUB first seen after the parser was compiled threw the compiled parser away (up to five recompilations of
     * the whole publish path in a fresh server under load); here they cost the recompilation of a small method.
     */
    private int startRareOperation(byte b, byte[] buf, int i, int end) throws ProtocolException {
        return switch (b) {
            case 'C', 'c' -> OP_C;
            case 'S', 's' -> afterConnect(OP_S);
            case 'U', 'u' -> afterConnect(OP_U);
            case 'I', 'i' -> afterConnect(OP_I);
            case '+' -> afterConnect(OP_PLUS);
            case '-' -> afterConnect(OP_MINUS);
            default -> {
                afterConnect(OP_START);
                throw parseError(buf, i, end);
            }
        };
    }

    /** One byte in the states of SUB, UNSUB, CONNECT, INFO, +OK and -ERR (see {@link #startRareOperation}). */
    private void parseRare(byte b, byte[] buf, int i, int end) throws ProtocolException {
        switch (state) {
            case OP_S -> state = expect(b, 'U', OP_SU, buf, i, end);
            case OP_SU -> state = expect(b, 'B', OP_SUB, buf, i, end);
            case OP_SUB -> state = expectSpace(b, OP_SUB_SPC, buf, i, end);
            case OP_SUB_SPC -> {
                if (b != ' ' && b != '\t') {
                    state = SUB_ARG;
                    argStart = i;
                }
            }
            case OP_U -> state = expect(b, 'N', OP_UN, buf, i, end);
            case OP_UN -> state = expect(b, 'S', OP_UNS, buf, i, end);
            case OP_UNS -> state = expect(b, 'U', OP_UNSU, buf, i, end);
            case OP_UNSU -> state = expect(b, 'B', OP_UNSUB, buf, i, end);
            case OP_UNSUB -> state = expectSpace(b, OP_UNSUB_SPC, buf, i, end);
            case OP_UNSUB_SPC -> {
                if (b != ' ' && b != '\t') {
                    state = UNSUB_ARG;
                    argStart = i;
                }
            }
            case OP_C -> state = expect(b, 'O', OP_CO, buf, i, end);
            case OP_CO -> state = expect(b, 'N', OP_CON, buf, i, end);
            case OP_CON -> state = expect(b, 'N', OP_CONN, buf, i, end);
            case OP_CONN -> state = expect(b, 'E', OP_CONNE, buf, i, end);
            case OP_CONNE -> state = expect(b, 'C', OP_CONNEC, buf, i, end);
            case OP_CONNEC -> state = expect(b, 'T', OP_CONNECT, buf, i, end);
            case OP_I -> state = expect(b, 'N', OP_IN, buf, i, end);
            case OP_IN -> state = expect(b, 'F', OP_INF, buf, i, end);
            case OP_INF -> state = expect(b, 'O', OP_INFO, buf, i, end);
            case OP_CONNECT, OP_INFO -> {
                // Like the Go server, no space is required between the verb and its argument.
                if (b != ' ' && b != '\t') {
                    state = state == OP_CONNECT ? CONNECT_ARG : INFO_ARG;
                    argStart = i;
                }
            }
            case SUB_ARG, UNSUB_ARG, CONNECT_ARG, INFO_ARG, MINUS_ERR_ARG -> {
                if (b == '\n') {
                    completeArgument(buf, i);
                } else {
                    argByte(b);
                }
            }
            case OP_PLUS -> state = expect(b, 'O', OP_PLUS_O, buf, i, end);
            case OP_PLUS_O -> state = expect(b, 'K', OP_PLUS_OK, buf, i, end);
            case OP_PLUS_OK -> {
                if (b == '\n') {
                    drop = 0;
                    state = OP_START;
                }
            }
            case OP_MINUS -> state = expect(b, 'E', OP_MINUS_E, buf, i, end);
            case OP_MINUS_E -> state = expect(b, 'R', OP_MINUS_ER, buf, i, end);
            case OP_MINUS_ER -> state = expect(b, 'R', OP_MINUS_ERR, buf, i, end);
            case OP_MINUS_ERR -> state = expectSpace(b, OP_MINUS_ERR_SPC, buf, i, end);
            case OP_MINUS_ERR_SPC -> {
                if (b != ' ' && b != '\t') {
                    state = MINUS_ERR_ARG;
                    argStart = i;
                }
            }
            default -> throw parseError(buf, i, end);
        }
    }

    private void argByte(byte b) throws ProtocolException {
        if (b == '\r') {
            drop = 1;
        } else if (argCarryLength >= 0) {
            appendArgCarry(b);
        }
    }

    /** The argument just completed: in the carry buffer if it spanned reads, else in the read buffer. */
    private byte[] lineBuf;
    private int lineOff;
    private int lineLen;

    private void takeArgument(byte[] buf, int lf) throws ProtocolException {
        if (argCarryLength >= 0) {
            lineBuf = argCarry;
            lineOff = 0;
            lineLen = argCarryLength;
            argCarryLength = -1;
        } else {
            lineBuf = buf;
            lineOff = argStart;
            lineLen = lf - drop - argStart;
        }
        checkControlLine(lineLen);
    }

    /** Finishes SUB, UNSUB, CONNECT, INFO and -ERR once their LF arrives. */
    private void completeArgument(byte[] buf, int lf) throws ProtocolException {
        takeArgument(buf, lf);
        byte[] argBuf = lineBuf;
        int argOff = lineOff;
        int argLen = lineLen;
        int completed = state;
        state = OP_START;
        drop = 0;
        switch (completed) {
            case SUB_ARG -> handler.onSubscribe(argBuf, argOff, argLen);
            case UNSUB_ARG -> handler.onUnsubscribe(argBuf, argOff, argLen);
            case CONNECT_ARG -> handler.onConnect(argBuf, argOff, argLen);
            case INFO_ARG -> handler.onInfo(argBuf, argOff, argLen);
            default -> handler.onError(argBuf, argOff, argLen);
        }
    }

    /** Parses a PUB/HPUB control line ending at {@code lf} and prepares for its payload. */
    private void startPayload(byte[] buf, int lf, int end, boolean withHeaders) throws ProtocolException {
        takeArgument(buf, lf);
        byte[] argBuf = lineBuf;
        int argOff = lineOff;
        int argLen = lineLen;
        String error = pubArgs.parse(argBuf, argOff, argLen, withHeaders);
        if (error != null) {
            throw ProtocolException.closeSilently((withHeaders ? "HPUB " : "PUB ") + error);
        }
        pubArgs.following(buf, lf + 1, end - lf - 1);
        handler.onPublishArgs(pubArgs);
        if (argBuf != argCarry) {
            pendingArgOffset = argOff;
            pendingArgLength = argLen;
        } else {
            pendingArgOffset = -1;
        }
        drop = 0;
        state = MSG_PAYLOAD;
        argStart = lf + 1;
        payloadCarryLength = -1;
    }

    private int pendingArgOffset = -1;
    private int pendingArgLength;

    /**
     * Consumes payload bytes from {@code i}. Returns the index of the first byte after the message, or
     * {@code end} when the message continues in the next read.
     */
    private int continuePayload(byte[] buf, int i, int end) throws ProtocolException {
        int need = pubArgs.totalSize() + 2;
        if (payloadCarryLength < 0) {
            if (end - i >= need) {
                return deliver(buf, i, need);
            }
            // Split message: keep the arguments and what we have of the payload.
            keepArgsAcrossReads();
            payloadCarryLength = 0;
        }
        int copy = Math.min(need - payloadCarryLength, end - i);
        if (payloadCarry.length < need) {
            payloadCarry = Arrays.copyOf(payloadCarry, Math.max(need, payloadCarry.length * 2));
        }
        System.arraycopy(buf, i, payloadCarry, payloadCarryLength, copy);
        payloadCarryLength += copy;
        if (payloadCarryLength < need) {
            return end;
        }
        payloadCarryLength = -1;
        deliver(payloadCarry, 0, need);
        // Do not keep a large message's buffer for the life of the connection.
        if (payloadCarry.length > LARGE_CARRY) {
            payloadCarry = new byte[1024];
        }
        return i + copy;
    }

    private int deliver(byte[] buf, int from, int need) throws ProtocolException {
        int crlf = from + need - 2;
        if (buf[crlf] != '\r' || buf[crlf + 1] != '\n') {
            throw parseError(buf, buf[crlf] != '\r' ? crlf : crlf + 1, from + need);
        }
        state = OP_START;
        handler.onMessage(pubArgs, buf, from, need - 2);
        return from + need;
    }

    private void keepArgsAcrossReads() {
        if (pendingArgOffset >= 0) {
            if (argCarry.length < pendingArgLength) {
                argCarry = new byte[Math.max(pendingArgLength, argCarry.length * 2)];
            }
            pubArgs.relocate(argCarry, pendingArgOffset, pendingArgLength);
            pendingArgOffset = -1;
        }
    }

    /** At the end of a read, copies an unfinished argument so the read buffer can be reused. */
    private void carryPartialArgument(byte[] buf, int end) throws ProtocolException {
        boolean inArgument = state == SUB_ARG || state == UNSUB_ARG || state == PUB_ARG || state == HPUB_ARG
                || state == CONNECT_ARG || state == INFO_ARG || state == MINUS_ERR_ARG;
        if (!inArgument) {
            return;
        }
        if (argCarryLength < 0) {
            argCarryLength = 0;
            int len = end - argStart - drop;
            for (int k = 0; k < len; k++) {
                appendArgCarry(buf[argStart + k]);
            }
        }
        checkControlLine(argCarryLength);
    }

    private void appendArgCarry(byte b) throws ProtocolException {
        if (argCarryLength == argCarry.length) {
            checkControlLine(argCarryLength);
            argCarry = Arrays.copyOf(argCarry, argCarry.length * 2);
        }
        argCarry[argCarryLength++] = b;
    }

    private void checkControlLine(int length) throws ProtocolException {
        if (length > maxControlLine) {
            throw ProtocolException.fatal("maximum control line exceeded",
                    "control line of " + length + " bytes exceeds max_control_line " + maxControlLine);
        }
    }

    private int expect(byte b, char upper, int next, byte[] buf, int i, int end) throws ProtocolException {
        if (b == upper || b == upper + ('a' - 'A')) {
            return next;
        }
        throw parseError(buf, i, end);
    }

    private int expectSpace(byte b, int next, byte[] buf, int i, int end) throws ProtocolException {
        if (b == ' ' || b == '\t') {
            return next;
        }
        throw parseError(buf, i, end);
    }

    private ProtocolException parseError(byte[] buf, int i, int end) {
        int snippetEnd = Math.min(end, i + 32);
        String snippet = new String(buf, i, Math.max(0, snippetEnd - i), java.nio.charset.StandardCharsets.ISO_8859_1);
        return ProtocolException.fatal("Unknown Protocol Operation",
                "parser error in state " + state + " near '" + snippet.replace("\r", "\\r").replace("\n", "\\n") + "'");
    }
}
