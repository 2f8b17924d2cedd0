package nats.raft.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A {@link Disk} in memory that behaves like a disk under power loss: writes land in a volatile image, a sync
 * makes it durable, a {@link #crash} returns every file to its durable image (plus, sometimes, a torn piece of an
 * unsynced append). {@link #corrupt} flips bytes of durable data, as a failing disk does. Directory operations are
 * durable at once (the real {@link FileDisk} syncs the directory after each).
 */
final class SimDisk implements Disk {

    private static final class Content {
        byte[] durable = new byte[0];
        byte[] current = new byte[0];
    }

    private final Map<String, Content> files = new TreeMap<>();

    @Override
    public List<String> list() {
        return new ArrayList<>(files.keySet());
    }

    @Override
    public boolean exists(String name) {
        return files.containsKey(name);
    }

    @Override
    public File open(String name) {
        Content c = files.computeIfAbsent(name, n -> new Content());
        return new Handle(name, c);
    }

    @Override
    public void delete(String name) {
        files.remove(name);
    }

    @Override
    public void rename(String from, String to) {
        Content c = files.remove(from);
        if (c != null) {
            c.durable = c.current.clone(); // renames follow a sync in every caller; keep what was written
            files.put(to, c);
        }
    }

    /** Power loss: unsynced writes are lost, except sometimes a torn prefix of an unsynced append (its end zeros). */
    void crash(Random random) {
        for (Content c : files.values()) {
            boolean appendOnly = c.current.length > c.durable.length
                    && Arrays.equals(c.current, 0, c.durable.length, c.durable, 0, c.durable.length);
            if (appendOnly && random.nextInt(3) == 0) {
                int synced = c.durable.length;
                int keep = synced + random.nextInt(c.current.length - synced);
                c.durable = Arrays.copyOf(c.current, keep);
                if (keep > synced && random.nextBoolean()) {
                    // The file grew but its last blocks were never written: they read as zeros (ext4, xfs).
                    Arrays.fill(c.durable, synced + random.nextInt(keep - synced), keep, (byte) 0);
                }
            }
            c.current = c.durable.clone();
        }
    }

    /**
     * Flips one byte of durable data in a log segment past its header; returns a description, or empty if there
     * is nothing to damage.
     */
    String corrupt(Random random) {
        List<String> segments = files.keySet().stream().filter(LogFormat::isSegmentName)
                .filter(n -> files.get(n).durable.length > LogFormat.SEGMENT_HEADER + LogFormat.RECORD_OVERHEAD).toList();
        if (segments.isEmpty()) {
            return "";
        }
        String name = segments.get(random.nextInt(segments.size()));
        Content c = files.get(name);
        int at = LogFormat.SEGMENT_HEADER + random.nextInt(c.durable.length - LogFormat.SEGMENT_HEADER);
        c.durable[at] ^= (byte) (1 + random.nextInt(255));
        c.current = c.durable.clone();
        return name + "@" + at;
    }

    /** Cuts a log segment's durable data short; returns a description, or empty. */
    String truncate(Random random) {
        List<String> segments = files.keySet().stream().filter(LogFormat::isSegmentName)
                .filter(n -> files.get(n).durable.length > LogFormat.SEGMENT_HEADER + LogFormat.RECORD_OVERHEAD).toList();
        if (segments.isEmpty()) {
            return "";
        }
        String name = segments.get(random.nextInt(segments.size()));
        Content c = files.get(name);
        int keep = LogFormat.SEGMENT_HEADER + random.nextInt(c.durable.length - LogFormat.SEGMENT_HEADER);
        c.durable = Arrays.copyOf(c.durable, keep);
        c.current = c.durable.clone();
        return name + " cut to " + keep;
    }

    byte[] durable(String name) {
        return files.get(name).durable.clone();
    }

    void setDurable(String name, byte[] bytes) {
        Content c = files.computeIfAbsent(name, n -> new Content());
        c.durable = bytes.clone();
        c.current = bytes.clone();
    }

    private record Handle(String name, Content c) implements File {

        @Override
        public long size() {
            return c.current.length;
        }

        @Override
        public int read(long position, byte[] buffer, int offset, int len) {
            int n = (int) Math.max(0, Math.min(len, c.current.length - position));
            System.arraycopy(c.current, (int) position, buffer, offset, n);
            return n;
        }

        @Override
        public void write(long position, byte[] buffer, int offset, int len) {
            int end = (int) position + len;
            if (end > c.current.length) {
                c.current = Arrays.copyOf(c.current, end);
            }
            System.arraycopy(buffer, offset, c.current, (int) position, len);
        }

        @Override
        public void truncate(long size) {
            if (size < c.current.length) {
                c.current = Arrays.copyOf(c.current, (int) size);
            }
        }

        @Override
        public void sync() {
            c.durable = c.current.clone();
        }

        @Override
        public void close() {
        }
    }
}
