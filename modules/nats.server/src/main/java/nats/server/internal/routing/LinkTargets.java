package nats.server.internal.routing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The links one message goes to, each once, with the queue groups each was chosen for (Go's route targets).
 * One per publisher, reused for every message, so routing over links allocates nothing in steady state.
 */
final class LinkTargets {

    private RemoteSubscriber[] links = new RemoteSubscriber[4];
    private byte[][] queues = new byte[4][];
    private int[] queuesLength = new int[4];
    private int size;
    private final LinkView view = new LinkView();

    boolean isEmpty() {
        return size == 0;
    }

    void addPlain(RemoteSubscriber link) {
        if (indexOf(link) < 0) {
            append(link);
        }
    }

    /** Adds {@code queue} to the groups {@code link} was chosen for. */
    void addQueue(RemoteSubscriber link, String queue) {
        int i = indexOf(link);
        if (i < 0) {
            i = append(link);
        }
        byte[] names = queues[i];
        int length = queuesLength[i];
        int needed = length + 1 + queue.length() * 3;
        if (names == null || names.length < needed) {
            names = queues[i] = Arrays.copyOf(names == null ? new byte[0] : names, Math.max(64, needed * 2));
        }
        if (length > 0) {
            names[length++] = ' ';
        }
        queuesLength[i] = appendName(names, length, queue);
    }

    /** Hands the message to every target, then forgets them; returns whether any link took it. */
    boolean sendAll(RoutedMessage m, FlushSet touched) {
        boolean delivered = false;
        try {
            for (int i = 0; i < size; i++) {
                RemoteSubscriber link = links[i];
                view.wrap(m, link.account(), queues[i], queuesLength[i]);
                if (link.forward(view)) {
                    delivered = true;
                    touched.add(link);
                }
            }
        } finally {
            for (int i = 0; i < size; i++) {
                links[i] = null;
                queuesLength[i] = 0;
            }
            size = 0;
            view.wrap(null, null, null, 0);
        }
        return delivered;
    }

    private int indexOf(RemoteSubscriber link) {
        for (int i = 0; i < size; i++) {
            if (links[i] == link) {
                return i;
            }
        }
        return -1;
    }

    private int append(RemoteSubscriber link) {
        if (size == links.length) {
            links = Arrays.copyOf(links, size * 2);
            queues = Arrays.copyOf(queues, size * 2);
            queuesLength = Arrays.copyOf(queuesLength, size * 2);
        }
        links[size] = link;
        queuesLength[size] = 0;
        return size++;
    }

    /** Writes the name's UTF-8 bytes; queue names are ASCII in practice, which needs no encoder. */
    private static int appendName(byte[] out, int at, String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 0x80) {
                byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
                System.arraycopy(utf8, 0, out, at, utf8.length);
                return at + utf8.length;
            }
            out[at + i] = (byte) c;
        }
        return at + name.length();
    }

    /** Whether the space-separated names in {@code names} include {@code queue}. */
    static boolean named(byte[] names, int offset, int length, String queue) {
        int end = offset + length;
        int start = offset;
        for (int i = offset; i <= end; i++) {
            if (i == end || names[i] == ' ') {
                if (i > start && equalsName(names, start, i - start, queue)) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }

    private static boolean equalsName(byte[] bytes, int offset, int length, String name) {
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) >= 0x80) {
                byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
                return Arrays.equals(bytes, offset, offset + length, utf8, 0, utf8.length);
            }
        }
        if (length != name.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (bytes[offset + i] != (byte) name.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
