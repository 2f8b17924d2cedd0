package nats.server.conformance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A scripted conversation with a server over one or more raw TCP connections: what to send (possibly in
 * chunks with small pauses, to exercise frames split across reads), and how long to wait for the answers.
 * Connections are opened lazily, the first time a step names them.
 */
final class WireScript {

    /** One thing to do, in order. */
    sealed interface Step permits Send, Pause, Await, Open {
    }

    /** Writes {@code bytes} on connection {@code conn}, then sleeps {@code pauseMillis}. */
    record Send(int conn, byte[] bytes, long pauseMillis) implements Step {
    }

    record Pause(long millis) implements Step {
    }

    /** Waits (bounded) until connection {@code conn} received {@code text} at least {@code count} times. */
    record Await(int conn, String text, int count, long timeoutMillis) implements Step {
    }

    /** Opens connection {@code conn} without sending anything (it still receives INFO). */
    record Open(int conn) implements Step {
    }

    /** Default pause between chunks of one send, long enough for the server to read them separately. */
    static final long CHUNK_PAUSE_MILLIS = 15;
    static final long DEFAULT_QUIET_MILLIS = 300;

    final String name;
    final List<Step> steps = new ArrayList<>();
    long quietMillis = DEFAULT_QUIET_MILLIS;
    /** Upper bound on waiting for the server to go quiet (a chatty server would otherwise keep us waiting). */
    long maxWaitMillis = 4000;

    private WireScript(String name) {
        this.name = name;
    }

    static WireScript named(String name) {
        return new WireScript(name);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Sends on connection 0. */
    WireScript send(String text) {
        return send(0, text);
    }

    WireScript send(int conn, String text) {
        return send(conn, ascii(text));
    }

    WireScript send(int conn, byte[] bytes) {
        steps.add(new Send(conn, bytes, CHUNK_PAUSE_MILLIS));
        return this;
    }

    /** Sends {@code text} on connection 0 in pieces of {@code size} bytes, pausing between them. */
    WireScript sendInChunks(String text, int size, long pauseMillis) {
        return sendInChunks(0, ascii(text), size, pauseMillis);
    }

    WireScript sendInChunks(int conn, byte[] bytes, int size, long pauseMillis) {
        for (int i = 0; i < bytes.length; i += size) {
            steps.add(new Send(conn, Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + size)), pauseMillis));
        }
        return this;
    }

    /** Sends {@code text} split at the given offsets. */
    WireScript sendSplitAt(String text, int... offsets) {
        byte[] bytes = ascii(text);
        int from = 0;
        for (int at : offsets) {
            steps.add(new Send(0, Arrays.copyOfRange(bytes, from, at), CHUNK_PAUSE_MILLIS));
            from = at;
        }
        steps.add(new Send(0, Arrays.copyOfRange(bytes, from, bytes.length), CHUNK_PAUSE_MILLIS));
        return this;
    }

    WireScript pause(long millis) {
        steps.add(new Pause(millis));
        return this;
    }

    WireScript open(int conn) {
        steps.add(new Open(conn));
        return this;
    }

    /** Waits until connection {@code conn} has received {@code text} (e.g. a PONG acknowledging a SUB). */
    WireScript await(int conn, String text) {
        return await(conn, text, 1);
    }

    WireScript await(int conn, String text, int count) {
        steps.add(new Await(conn, text, count, 3000));
        return this;
    }

    WireScript quiet(long millis) {
        this.quietMillis = millis;
        return this;
    }

    WireScript maxWait(long millis) {
        this.maxWaitMillis = millis;
        return this;
    }

    int connectionCount() {
        int max = 0;
        for (Step s : steps) {
            int c = switch (s) {
                case Send send -> send.conn();
                case Await await -> await.conn();
                case Open open -> open.conn();
                case Pause p -> 0;
            };
            max = Math.max(max, c + 1);
        }
        return max;
    }

    @Override
    public String toString() {
        return name;
    }
}
