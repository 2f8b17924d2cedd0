package nats.jetstream.internal.engine;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Message ids seen within a stream's duplicate window ({@code Nats-Msg-Id}), oldest first, so expired ids
 * drop off the front. Used by the stream's writer only.
 */
final class Dedupe {

    private record Entry(long sequence, long timestamp) {
    }

    private final LinkedHashMap<String, Entry> ids = new LinkedHashMap<>();
    private Duration window;

    Dedupe(Duration window) {
        this.window = window;
    }

    void window(Duration newWindow) {
        this.window = newWindow;
    }

    /** The sequence stored under {@code id} within the window, or 0. */
    long find(String id, long nowNanos) {
        expire(nowNanos);
        Entry e = ids.get(id);
        return e == null ? 0 : e.sequence();
    }

    void record(String id, long sequence, long timestampNanos) {
        if (window.isZero()) {
            return;
        }
        ids.put(id, new Entry(sequence, timestampNanos));
    }

    void clear() {
        ids.clear();
    }

    int size() {
        return ids.size();
    }

    private void expire(long nowNanos) {
        long oldest = nowNanos - window.toNanos();
        Iterator<Map.Entry<String, Entry>> it = ids.entrySet().iterator();
        while (it.hasNext()) {
            if (it.next().getValue().timestamp() < oldest) {
                it.remove();
            } else {
                return;
            }
        }
    }
}
