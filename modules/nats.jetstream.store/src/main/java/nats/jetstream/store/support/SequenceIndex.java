package nats.jetstream.store.support;

import java.util.Arrays;

/**
 * Per-sequence facts about a stream's messages, in pages of 1,024 sequences: subject id, accounted size,
 * timestamp, flags, and where the backend keeps the message (a {@code long} location for a file store, an
 * object for a memory store). Lookup by sequence is O(1) for the newest page and O(log pages) otherwise;
 * a page whose messages are all gone is dropped. Not thread-safe: the engine guards it with its lock.
 */
public final class SequenceIndex {

    static final int SHIFT = 10;
    static final int PAGE = 1 << SHIFT;
    private static final int MASK = PAGE - 1;
    /** Subject id of a slot without a message. */
    static final int EMPTY = -1;

    /** Flag: the message has a positive TTL. */
    public static final byte FLAG_TTL = 1;
    /** Flag: the message never expires (negative TTL). */
    public static final byte FLAG_NEVER_EXPIRES = 2;

    private final boolean references;
    /** Page numbers, ascending, in {@code [head, tail)}. */
    private long[] keys = new long[8];
    private Page[] pages = new Page[8];
    private int head;
    private int tail;
    private long count;
    /**
     * The last page dropped, kept for the next new page: a stream whose consumers keep it nearly empty (an MQTT
     * QoS 1 round trip, a work queue) drops a page and starts one with almost every message, and a new page
     * would grow its arrays to the message's slot each time (kilobytes allocated, filled and copied per message).
     */
    private Page spare;

    /**
     * @param references whether slots hold objects (memory store) rather than {@code long} locations
     */
    public SequenceIndex(boolean references) {
        this.references = references;
    }

    /** Messages indexed. */
    public long count() {
        return count;
    }

    /**
     * Adds a message; {@code sequence} must be above every sequence added before.
     */
    public void add(long sequence, int subjectId, int size, long timestamp, byte flags, long location,
            Object reference) {
        long key = sequence >>> SHIFT;
        Page page;
        if (tail > head && keys[tail - 1] == key) {
            page = pages[tail - 1];
        } else {
            if (tail > head && keys[tail - 1] > key) {
                throw new IllegalStateException("sequence " + sequence + " added out of order");
            }
            page = spare != null ? spare : new Page(references);
            spare = null;
            append(key, page);
        }
        page.set((int) (sequence & MASK), subjectId, size, timestamp, flags, location, reference);
        count++;
    }

    /** Whether a message is indexed under {@code sequence}. */
    public boolean contains(long sequence) {
        Page page = page(sequence);
        return page != null && page.subjectId((int) (sequence & MASK)) != EMPTY;
    }

    /** The subject id under {@code sequence}, or -1 when there is no message. */
    public int subjectId(long sequence) {
        Page page = page(sequence);
        return page == null ? EMPTY : page.subjectId((int) (sequence & MASK));
    }

    /** The accounted size of the message under {@code sequence} (which must be present). */
    public int size(long sequence) {
        return page(sequence).size[(int) (sequence & MASK)];
    }

    /** The timestamp of the message under {@code sequence} (which must be present). */
    public long timestamp(long sequence) {
        return page(sequence).time[(int) (sequence & MASK)];
    }

    /** The flags of the message under {@code sequence} (which must be present). */
    public byte flags(long sequence) {
        return page(sequence).flags[(int) (sequence & MASK)];
    }

    /** The backend's location of the message under {@code sequence} (which must be present). */
    public long location(long sequence) {
        return page(sequence).location[(int) (sequence & MASK)];
    }

    /** Moves the message under {@code sequence} (which must be present) to another location. */
    public void setLocation(long sequence, long location) {
        page(sequence).location[(int) (sequence & MASK)] = location;
    }

    /** The backend's object for the message under {@code sequence} (which must be present). */
    public Object reference(long sequence) {
        return page(sequence).reference[(int) (sequence & MASK)];
    }

    /** Replaces the backend's object for the message under {@code sequence} (which must be present). */
    public void setReference(long sequence, Object reference) {
        page(sequence).reference[(int) (sequence & MASK)] = reference;
    }

    /** Removes the message under {@code sequence}; false if there was none. */
    public boolean remove(long sequence) {
        int index = find(sequence >>> SHIFT);
        if (index < 0) {
            return false;
        }
        Page page = pages[index];
        int slot = (int) (sequence & MASK);
        if (page.subjectId(slot) == EMPTY) {
            return false;
        }
        page.clear(slot);
        count--;
        if (page.live == 0) {
            dropPage(index);
        }
        return true;
    }

    /** The lowest sequence at or above {@code from} holding a message, or -1. */
    public long next(long from) {
        if (tail == head) {
            return -1;
        }
        int index = lowerPage(from >>> SHIFT);
        for (; index < tail; index++) {
            Page page = pages[index];
            long base = keys[index] << SHIFT;
            int start = base >= from ? 0 : (int) (from - base);
            int slot = page.next(start);
            if (slot >= 0) {
                return base + slot;
            }
        }
        return -1;
    }

    /** The highest sequence at or below {@code from} holding a message, or -1. */
    public long previous(long from) {
        if (tail == head || from < 0) {
            return -1;
        }
        int index = lowerPage(from >>> SHIFT);
        if (index == tail || keys[index] > from >>> SHIFT) {
            index--;
        }
        for (; index >= head; index--) {
            Page page = pages[index];
            long base = keys[index] << SHIFT;
            int start = base + MASK <= from ? MASK : (int) (from - base);
            int slot = page.previous(start);
            if (slot >= 0) {
                return base + slot;
            }
        }
        return -1;
    }

    /** Messages with a sequence in {@code [from, to]}. */
    public long countBetween(long from, long to) {
        if (from > to || tail == head) {
            return 0;
        }
        long total = 0;
        for (int index = lowerPage(from >>> SHIFT); index < tail && keys[index] <= to >>> SHIFT; index++) {
            Page page = pages[index];
            long base = keys[index] << SHIFT;
            if (base >= from && base + MASK <= to) {
                total += page.live;
            } else {
                int start = (int) Math.max(0, from - base);
                int end = (int) Math.min(MASK, to - base);
                total += page.countBetween(start, end);
            }
        }
        return total;
    }

    /** Removes every message; the index is empty afterwards. */
    public void clear() {
        Arrays.fill(pages, null);
        head = 0;
        tail = 0;
        count = 0;
    }

    private Page page(long sequence) {
        long key = sequence >>> SHIFT;
        if (tail > head && keys[tail - 1] == key) {
            return pages[tail - 1];
        }
        int index = find(key);
        return index < 0 ? null : pages[index];
    }

    private int find(long key) {
        int index = lowerPage(key);
        return index < tail && keys[index] == key ? index : -1;
    }

    /** Index of the first page whose key is at least {@code key}. */
    private int lowerPage(long key) {
        int low = head;
        int high = tail;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (keys[mid] < key) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private void append(long key, Page page) {
        if (tail == keys.length) {
            int live = tail - head;
            if (head > 0 && live <= keys.length / 2) {
                System.arraycopy(keys, head, keys, 0, live);
                System.arraycopy(pages, head, pages, 0, live);
                Arrays.fill(pages, live, tail, null);
            } else {
                keys = Arrays.copyOfRange(keys, head, head + Math.max(8, live * 2));
                pages = Arrays.copyOfRange(pages, head, head + Math.max(8, live * 2));
            }
            head = 0;
            tail = live;
        }
        keys[tail] = key;
        pages[tail] = page;
        tail++;
    }

    private void dropPage(int index) {
        spare = pages[index]; // every slot is empty again: no message left, no reference held
        if (index == head) {
            pages[head++] = null;
        } else if (index == tail - 1) {
            pages[--tail] = null;
        } else {
            System.arraycopy(keys, index + 1, keys, index, tail - index - 1);
            System.arraycopy(pages, index + 1, pages, index, tail - index - 1);
            pages[--tail] = null;
        }
        if (head == tail) {
            head = 0;
            tail = 0;
        }
    }

    /** One page of slots; arrays grow as higher slots are filled, so a small stream stays small. */
    private static final class Page {
        int[] subject;
        int[] size;
        long[] time;
        byte[] flags;
        long[] location;
        Object[] reference;
        int live;

        Page(boolean references) {
            int initial = 16;
            subject = new int[initial];
            Arrays.fill(subject, EMPTY);
            size = new int[initial];
            time = new long[initial];
            flags = new byte[initial];
            if (references) {
                reference = new Object[initial];
            } else {
                location = new long[initial];
            }
        }

        int subjectId(int slot) {
            return slot < subject.length ? subject[slot] : EMPTY;
        }

        void set(int slot, int subjectId, int bytes, long timestamp, byte flag, long where, Object ref) {
            if (slot >= subject.length) {
                grow(slot);
            }
            subject[slot] = subjectId;
            size[slot] = bytes;
            time[slot] = timestamp;
            flags[slot] = flag;
            if (reference != null) {
                reference[slot] = ref;
            } else {
                location[slot] = where;
            }
            live++;
        }

        void clear(int slot) {
            subject[slot] = EMPTY;
            if (reference != null) {
                reference[slot] = null;
            }
            live--;
        }

        int next(int from) {
            for (int slot = from; slot < subject.length; slot++) {
                if (subject[slot] != EMPTY) {
                    return slot;
                }
            }
            return -1;
        }

        int previous(int from) {
            for (int slot = Math.min(from, subject.length - 1); slot >= 0; slot--) {
                if (subject[slot] != EMPTY) {
                    return slot;
                }
            }
            return -1;
        }

        int countBetween(int from, int to) {
            int total = 0;
            for (int slot = from; slot <= to && slot < subject.length; slot++) {
                if (subject[slot] != EMPTY) {
                    total++;
                }
            }
            return total;
        }

        private void grow(int slot) {
            int capacity = Math.min(PAGE, Math.max(subject.length * 2, Integer.highestOneBit(slot) * 2));
            int old = subject.length;
            subject = Arrays.copyOf(subject, capacity);
            Arrays.fill(subject, old, capacity, EMPTY);
            size = Arrays.copyOf(size, capacity);
            time = Arrays.copyOf(time, capacity);
            flags = Arrays.copyOf(flags, capacity);
            if (reference != null) {
                reference = Arrays.copyOf(reference, capacity);
            } else {
                location = Arrays.copyOf(location, capacity);
            }
        }
    }
}
