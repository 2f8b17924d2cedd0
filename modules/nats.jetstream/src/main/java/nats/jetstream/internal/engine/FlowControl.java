package nats.jetstream.internal.engine;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A push consumer's flow control (Go's {@code needFlowControl} / {@code processFlowControl}): when the bytes
 * delivered and not yet confirmed pass half the window, a {@code 100 FlowControl Request} goes out with a reply
 * subject {@code $JS.FC.<stream>.<consumer>.<token>}; past the whole window delivery stops until the client
 * answers it, and each answer doubles the window up to the limit. Guarded by the consumer's lock.
 */
final class FlowControl {

    private static final long LIMIT = 64L * 1024 * 1024;
    private static final String DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private final boolean enabled;
    private final String prefix;
    private long bytes;
    private long window = LIMIT / 16;
    private String pendingId = "";
    private long pendingSize;

    FlowControl(boolean enabled, String stream, String consumer) {
        this.enabled = enabled;
        this.prefix = "$JS.FC." + stream + "." + consumer + ".";
    }

    /** Whether delivery must wait for the client's answer. */
    boolean stalled() {
        return enabled && bytes > window;
    }

    /** The reply subject of the request the client has not answered yet, empty when none. */
    String pendingId() {
        return pendingId;
    }

    /** Counts a delivery; returns the reply subject of a flow control request to send after it, or null. */
    String delivered(long size) {
        if (!enabled) {
            return null;
        }
        bytes += size;
        if (pendingId.isEmpty() && bytes > window / 2) {
            pendingId = prefix + token();
            pendingSize = bytes;
            return pendingId;
        }
        return null;
    }

    /** The client answered on {@code subject}; returns whether it was the request waited for. */
    boolean answered(String subject) {
        if (!subject.equals(pendingId)) {
            return false;
        }
        window = Math.min(LIMIT, window * 2);
        bytes = Math.max(0, bytes - pendingSize);
        pendingId = "";
        pendingSize = 0;
        return true;
    }

    private static String token() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        char[] out = new char[4];
        for (int i = 0; i < out.length; i++) {
            out[i] = DIGITS.charAt(r.nextInt(DIGITS.length()));
        }
        return new String(out);
    }
}
