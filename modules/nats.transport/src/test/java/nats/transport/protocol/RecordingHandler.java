package nats.transport.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Records every callback as a line of text (copying the bytes, since the parser reuses its buffers), and
 * checks the invariants a handler may rely on.
 */
final class RecordingHandler implements ClientProtocolHandler {

    final List<String> events = new ArrayList<>();
    /** Whether operations other than CONNECT are accepted before the first CONNECT (no auth configured). */
    boolean openBeforeConnect = true;
    boolean connected;
    /** Like the server's max_payload check in {@link #onPublishArgs}; also bounds what the parser buffers. */
    int maxPayload = 1024 * 1024;
    private String pendingArgs;

    static String text(byte[] buf, int off, int len) {
        return new String(buf, off, len, StandardCharsets.ISO_8859_1);
    }

    static String describe(PubArgs a) {
        String size = text(a.buffer(), a.sizeOffset(), a.sizeLength());
        return a.subject() + "|" + (a.replyLength() > 0 ? a.reply() : "") + "|" + a.headerSize() + "|" + a.totalSize()
                + "|" + size;
    }

    @Override
    public boolean acceptsOperationsBeforeConnect() {
        return openBeforeConnect || connected;
    }

    @Override
    public void onConnect(byte[] buf, int off, int len) {
        events.add("CONNECT " + text(buf, off, len));
        connected = true;
    }

    @Override
    public void onPublishArgs(PubArgs args) throws ProtocolException {
        if (pendingArgs != null) {
            throw new AssertionError("onPublishArgs twice without onMessage: " + pendingArgs);
        }
        if (args.subjectLength() <= 0) {
            throw new AssertionError("empty subject");
        }
        if (args.totalSize() < 0 || (args.hasHeaders() && args.headerSize() > args.totalSize())) {
            throw new AssertionError("bad sizes " + describe(args));
        }
        if (args.hasHeaders() != (args.headerSize() >= 0)) {
            throw new AssertionError("hasHeaders inconsistent");
        }
        String described = describe(args);
        if (!Integer.toString(args.totalSize()).equals(stripZeros(described.substring(described.lastIndexOf('|') + 1)))) {
            throw new AssertionError("size text does not match total size: " + described);
        }
        if (args.totalSize() > maxPayload) {
            throw ProtocolException.fatal("Maximum Payload Violation", "payload " + args.totalSize());
        }
        pendingArgs = described;
        events.add("PUBARGS " + described);
    }

    private static String stripZeros(String s) {
        int i = 0;
        while (i < s.length() - 1 && s.charAt(i) == '0') {
            i++;
        }
        return s.substring(i);
    }

    @Override
    public void onMessage(PubArgs args, byte[] buf, int off, int len) {
        String described = describe(args);
        if (!described.equals(pendingArgs)) {
            throw new AssertionError("arguments changed between onPublishArgs and onMessage: " + pendingArgs + " -> "
                    + described);
        }
        pendingArgs = null;
        if (len != args.totalSize()) {
            throw new AssertionError("payload length " + len + " != total size " + args.totalSize());
        }
        events.add("MSG " + described + " [" + text(buf, off, len) + "]");
    }

    @Override
    public void onSubscribe(byte[] buf, int off, int len) {
        events.add("SUB " + text(buf, off, len));
    }

    @Override
    public void onUnsubscribe(byte[] buf, int off, int len) {
        events.add("UNSUB " + text(buf, off, len));
    }

    @Override
    public void onPing() {
        events.add("PING");
    }

    @Override
    public void onPong() {
        events.add("PONG");
    }

    @Override
    public void onInfo(byte[] buf, int off, int len) {
        events.add("INFO " + text(buf, off, len));
    }

    @Override
    public void onError(byte[] buf, int off, int len) {
        events.add("ERR " + text(buf, off, len));
    }
}
