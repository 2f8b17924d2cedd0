package nats.transport.protocol;

import java.util.Arrays;

/**
 * Parses what another server sends over a route (Go's route protocol, also spoken by gateways): control lines
 * ({@code INFO}, {@code CONNECT}, {@code PING}, {@code PONG}, {@code +OK}, {@code -ERR}, {@code RS+},
 * {@code RS-}, Go's leafnode-origin {@code LS+}/{@code LS-}, and a gateway's {@code A+}, {@code A-}) and messages
 * ({@code RMSG}, {@code HMSG}, a route's {@code LMSG} with its origin cluster) whose payloads are handed over as slices of the read
 * buffer. Resumable across reads; steady state allocates nothing (only lines and messages split across reads
 * are copied, into reused buffers). Verbs are case-insensitive, as in Go.
 */
public final class RouteProtocolParser {

    /** Go puts no limit on a route's control lines; this bound only stops a peer that never ends one. */
    public static final int MAX_CONTROL_LINE = 1 << 20;
    private static final int LARGE_CARRY = 64 * 1024;

    private final RouteProtocolHandler handler;
    /** Leaf-node dialect: {@code LS+}/{@code LS-} and {@code LMSG}/{@code HMSG} without an account. */
    private final boolean leaf;
    /** Whether RMSG/HMSG name their account: not on a leaf connection nor on a route bound to one account. */
    private boolean accountInMessages;
    private final RoutedMessageArgs args = new RoutedMessageArgs();

    /** Part of a control line from earlier reads. */
    private byte[] lineCarry = new byte[256];
    private int lineCarryLength;
    private boolean carryingLine;

    /** Between a message's control line and the end of its payload. */
    private boolean inPayload;
    private byte[] argCarry = new byte[256];
    /** Where the message's control line sits in the read buffer, while it may still need saving. */
    private int argsFrom = -1;
    private int argsLength;
    private byte[] payloadCarry = new byte[1024];
    private int payloadCarryLength = -1;

    public RouteProtocolParser(RouteProtocolHandler handler) {
        this(handler, false);
    }

    private RouteProtocolParser(RouteProtocolHandler handler, boolean leaf) {
        this.handler = handler;
        this.leaf = leaf;
        this.accountInMessages = !leaf;
    }

    /** Whether this parser reads the leaf-node dialect. */
    public boolean leafDialect() {
        return leaf;
    }

    /**
     * From now on {@code RMSG}/{@code HMSG} name no account (a Go 2.10 per-account route: the connection is bound
     * to one); {@code onMessage} gets an empty account. Called on the reading thread.
     */
    public void bindAccount() {
        accountInMessages = false;
    }

    /**
     * A parser of the leaf-node protocol, Go's route protocol without accounts (a leaf connection is bound to
     * one): {@code LS+ subject [queue weight]} and {@code LS-} reach {@code onSubscribe}/{@code onUnsubscribe},
     * {@code LMSG}/{@code HMSG} reach {@code onMessage} with an empty account.
     *
     * @since 0.1 (leaf nodes)
     */
    public static RouteProtocolParser forLeafNodes(RouteProtocolHandler handler) {
        return new RouteProtocolParser(handler, true);
    }

    /** Parses {@code len} bytes from {@code off}; a partial line or message stays in the parser's buffers. */
    public void parse(byte[] buf, int off, int len) throws ProtocolException {
        int end = off + len;
        int i = off;
        while (i < end) {
            if (inPayload) {
                i = continuePayload(buf, i, end);
                continue;
            }
            int lf = i;
            while (lf < end && buf[lf] != '\n') {
                lf++;
            }
            if (lf == end) {
                carryLine(buf, i, end - i);
                return;
            }
            byte[] line;
            int lineOff;
            int lineLen;
            if (carryingLine) {
                carryLine(buf, i, lf - i);
                line = lineCarry;
                lineOff = 0;
                lineLen = lineCarryLength;
                carryingLine = false;
                lineCarryLength = 0;
            } else {
                line = buf;
                lineOff = i;
                lineLen = lf - i;
            }
            if (lineLen > 0 && line[lineOff + lineLen - 1] == '\r') {
                lineLen--;
            }
            i = lf + 1;
            dispatch(line, lineOff, lineLen, line == buf);
        }
        if (inPayload && payloadCarryLength < 0) {
            // The read ended right after a message's control line: its payload comes with the next read.
            keepArgs();
            payloadCarryLength = 0;
        }
    }

    private void dispatch(byte[] line, int off, int len, boolean inReadBuffer) throws ProtocolException {
        int verbEnd = off;
        int end = off + len;
        while (verbEnd < end && line[verbEnd] != ' ' && line[verbEnd] != '\t') {
            verbEnd++;
        }
        int argStart = verbEnd;
        while (argStart < end && (line[argStart] == ' ' || line[argStart] == '\t')) {
            argStart++;
        }
        int argLen = end - argStart;
        int verbLen = verbEnd - off;
        boolean originMessage = !leaf && is(line, off, verbLen, "LMSG");
        if (originMessage || is(line, off, verbLen, leaf ? "LMSG" : "RMSG") || is(line, off, verbLen, "HMSG")) {
            // A route's LMSG (Go's leafnode origin cluster) always carries a header size.
            boolean headers = originMessage || line[off] == 'H' || line[off] == 'h';
            String error = args.parse(line, argStart, argLen, headers, accountInMessages, originMessage);
            if (error != null) {
                throw ProtocolException.closeSilently(error + ": '" + text(line, argStart, argLen) + "'");
            }
            inPayload = true;
            payloadCarryLength = -1;
            argsFrom = inReadBuffer ? argStart : -1;
            argsLength = argLen;
        } else if (is(line, off, verbLen, leaf ? "LS+" : "RS+")) {
            handler.onSubscribe(line, argStart, argLen);
        } else if (is(line, off, verbLen, leaf ? "LS-" : "RS-")) {
            handler.onUnsubscribe(line, argStart, argLen);
        } else if (!leaf && is(line, off, verbLen, "LS+")) {
            handler.onOriginSubscribe(line, argStart, argLen);
        } else if (!leaf && is(line, off, verbLen, "LS-")) {
            // Go's LS- on a route names no origin: it is an RS-.
            handler.onUnsubscribe(line, argStart, argLen);
        } else if (is(line, off, verbLen, "A+")) {
            handler.onAccountSubscribe(line, argStart, argLen);
        } else if (is(line, off, verbLen, "A-")) {
            handler.onAccountUnsubscribe(line, argStart, argLen);
        } else if (is(line, off, verbLen, "PING")) {
            handler.onPing();
        } else if (is(line, off, verbLen, "PONG")) {
            handler.onPong();
        } else if (is(line, off, verbLen, "INFO")) {
            handler.onInfo(line, argStart, argLen);
        } else if (is(line, off, verbLen, "CONNECT")) {
            handler.onConnect(line, argStart, argLen);
        } else if (is(line, off, verbLen, "-ERR")) {
            handler.onError(line, argStart, argLen);
        } else if (!is(line, off, verbLen, "+OK") && len > 0) {
            throw ProtocolException.fatal("Unknown Protocol Operation",
                    "route parser error near '" + text(line, off, Math.min(len, 32)) + "'");
        }
    }

    /** Consumes payload bytes from {@code i}; returns the index after the message, or {@code end}. */
    private int continuePayload(byte[] buf, int i, int end) throws ProtocolException {
        int need = args.totalSize() + 2;
        if (payloadCarryLength < 0) {
            if (end - i >= need) {
                return deliver(buf, i, need);
            }
            keepArgs();
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
        if (payloadCarry.length > LARGE_CARRY) {
            payloadCarry = new byte[1024];
        }
        return i + copy;
    }

    private int deliver(byte[] buf, int from, int need) throws ProtocolException {
        int crlf = from + need - 2;
        if (buf[crlf] != '\r' || buf[crlf + 1] != '\n') {
            throw ProtocolException.fatal("Unknown Protocol Operation", "routed message not followed by CRLF");
        }
        inPayload = false;
        argsFrom = -1;
        handler.onMessage(args, buf, from, need - 2);
        return from + need;
    }

    /** The payload continues in a later read: the arguments must not stay in the read buffer. */
    private void keepArgs() {
        if (argsFrom >= 0) {
            if (argCarry.length < argsLength) {
                argCarry = new byte[Math.max(argsLength, argCarry.length * 2)];
            }
            args.relocate(argCarry, argsFrom, argsLength);
            argsFrom = -1;
        }
    }

    private void carryLine(byte[] buf, int from, int length) throws ProtocolException {
        carryingLine = true;
        int needed = lineCarryLength + length;
        if (needed > MAX_CONTROL_LINE) {
            throw ProtocolException.fatal("Maximum Control Line Exceeded",
                    "route control line of " + needed + " bytes");
        }
        if (needed > lineCarry.length) {
            lineCarry = Arrays.copyOf(lineCarry, Math.max(needed, lineCarry.length * 2));
        }
        System.arraycopy(buf, from, lineCarry, lineCarryLength, length);
        lineCarryLength = needed;
    }

    private static boolean is(byte[] buf, int off, int len, String verb) {
        if (len != verb.length()) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            int b = buf[off + i];
            if (b >= 'a' && b <= 'z') {
                b -= 'a' - 'A';
            }
            if (b != verb.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String text(byte[] buf, int off, int len) {
        return new String(buf, off, len, java.nio.charset.StandardCharsets.UTF_8).replace("\r", "\\r");
    }
}
