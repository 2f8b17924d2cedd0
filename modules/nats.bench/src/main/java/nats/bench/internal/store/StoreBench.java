package nats.bench.internal.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import nats.jetstream.store.Durability;
import nats.jetstream.store.StoreContext;
import nats.jetstream.store.StoreProvider;
import nats.jetstream.store.StreamConfig;
import nats.jetstream.store.StreamStore;

/**
 * The measurements of {@code nats-bench store}, each against a fresh stream directory: the disk's own
 * fsync rate, appends waiting for durability (group commit, and with a sync interval), loads, recovery.
 */
final class StoreBench {

  /** One measured row. */
  record Row(String name, double rate, String unit, String detail) {}

  private final StoreProvider provider;
  private final Path root;
  private final Duration duration;
  private final int size;
  private int streams;

  StoreBench(StoreProvider provider, Path root, Duration duration, int size) {
    this.provider = provider;
    this.root = root;
    this.duration = duration;
    this.size = size;
  }

  private Path newDirectory() {
    return root.resolve("stream-" + streams++);
  }

  private StoreContext context(Path dir, Durability durability) {
    return StoreContext.builder().directory(dir).durability(durability).build();
  }

  private static StreamConfig config() {
    return StreamConfig.builder("BENCH").subjects("bench.>").build();
  }

  /**
   * Appends of {@code size} bytes and fdatasync, one after another, in a plain file: the physical limit of a
   * store whose files grow with every append. With {@code preallocated}, the same writes overwrite a file
   * filled with zeros beforehand, so the sync needs no metadata (no journal commit): the limit of a store that
   * writes ahead of its records, as the file store does in the block it appends to.
   */
  Row fsyncRate(boolean preallocated) throws IOException {
    Path file = root.resolve("fsync-probe");
    long ops = 0;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      long capacity = 0;
      if (preallocated) {
        capacity = 64L << 20;
        ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
        for (long at = 0; at < capacity; at += zeros.capacity()) {
          zeros.clear();
          channel.write(zeros, at);
        }
        channel.force(true);
      }
      ByteBuffer record = ByteBuffer.allocate(size);
      long[] samples = new long[1 << 20];
      long position = 0;
      long start = System.nanoTime();
      long end = start + duration.toNanos();
      while (System.nanoTime() < end) {
        long t0 = System.nanoTime();
        record.clear();
        if (preallocated && position + size > capacity) {
          position = 0;
        }
        position += channel.write(record, position);
        channel.force(false);
        samples[(int) (ops++ & (samples.length - 1))] = System.nanoTime() - t0;
      }
      long[] sorted = Arrays.copyOf(samples, (int) Math.min(ops, samples.length));
      Arrays.sort(sorted);
      double seconds = (System.nanoTime() - start) / 1e9;
      String name = preallocated ? "disk fsync, preallocated (overwrite " + size + " B + fdatasync)"
          : "disk fsync (write " + size + " B + fdatasync)";
      return new Row(name, ops / seconds, "ops/s",
          String.format("p50 %s p99 %s max %s", micros(sorted, 0.5), micros(sorted, 0.99), micros(sorted, 1)));
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /**
   * {@code writers} threads each append and wait until the store reports the message durable, then append
   * the next: the rate at which acknowledged messages are produced.
   */
  Row durableAppends(int writers, Durability durability) throws Exception {
    return durableAppends(writers, durability, false);
  }

  /**
   * With {@code ownSync}, each writer runs the store's write-and-sync round on its own thread after its
   * append ({@code flushOnCaller}), as JetStream's writer does for a lone synchronous publisher, instead of
   * waking the store's flusher thread and waiting for it.
   */
  Row durableAppends(int writers, Durability durability, boolean ownSync) throws Exception {
    Path dir = newDirectory();
    StreamStore store = provider.open(config(), context(dir, durability));
    try {
      Waiter waiter = new Waiter();
      store.setDurabilityListener(waiter::durable);
      byte[] payload = new byte[size];
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong done = new AtomicLong();
      long[][] latencies = new long[writers][];
      List<Thread> threads = new ArrayList<>();
      long start = System.nanoTime();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        threads.add(Thread.ofPlatform().start(() -> {
          long[] samples = new long[1 << 16];
          int n = 0;
          String subject = "bench." + writer;
          while (!stop.get()) {
            long t0 = System.nanoTime();
            if (ownSync) {
              store.deferFlushToCaller();
            }
            long seq = store.append(subject, new byte[0], payload, 0).sequence();
            if (ownSync) {
              store.flushOnCaller();
            }
            waiter.await(seq);
            samples[n++ & (samples.length - 1)] = System.nanoTime() - t0;
            done.incrementAndGet();
          }
          latencies[writer] = Arrays.copyOf(samples, Math.min(n, samples.length));
        }));
      }
      Thread.sleep(duration.toMillis());
      stop.set(true);
      long count = done.get();
      double seconds = (System.nanoTime() - start) / 1e9;
      waiter.release();
      for (Thread thread : threads) {
        thread.join();
      }
      long syncs = store.stats().syncs();
      long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
      String mode = durability.isAlways() ? "durable" : "lazy (sync every " + durability.syncInterval().toMillis() + " ms)";
      return new Row(mode + ", " + writers + (writers == 1 ? " writer" : " writers")
          + (ownSync ? ", syncing on its thread" : ""), count / seconds, "msgs/s",
          String.format("p50 %s p99 %s max %s, %.1f msgs per fsync", micros(all, 0.50), micros(all, 0.99),
              micros(all, 1),
              syncs == 0 ? 0.0 : (double) count / syncs));
    } finally {
      store.delete();
    }
  }

  private static String micros(long[] sorted, double q) {
    if (sorted.length == 0) {
      return "-";
    }
    return String.format("%.0fus", sorted[(int) Math.min(sorted.length - 1, q * sorted.length)] / 1e3);
  }

  /** Random loads by sequence, and by last message of a subject, from {@code readers} threads. */
  List<Row> loads(int messages, int subjects, int readers) throws Exception {
    Path dir = newDirectory();
    StreamStore store = provider.open(config(), context(dir, Durability.interval(Duration.ofSeconds(1))));
    try {
      byte[] payload = new byte[size];
      for (int i = 0; i < messages; i++) {
        store.append("kv." + (i % subjects), new byte[0], payload, 0);
      }
      store.sync();
      Row bySequence = readRate("load by sequence (random, " + messages + " msgs)", readers, random -> {
        long seq = 1 + random.nextInt(messages);
        return store.load(seq).isPresent();
      });
      Row lastBySubject = readRate("load last by subject (random of " + subjects + ")", readers, random -> {
        String subject = "kv." + random.nextInt(subjects);
        return store.loadLast(subject).isPresent();
      });
      return List.of(bySequence, lastBySubject);
    } finally {
      store.delete();
    }
  }

  private interface Read {
    boolean once(SplittableRandom random);
  }

  private Row readRate(String name, int readers, Read read) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong done = new AtomicLong();
    AtomicLong misses = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (int r = 0; r < readers; r++) {
      long seed = r;
      threads.add(Thread.ofPlatform().start(() -> {
        SplittableRandom random = new SplittableRandom(seed);
        long n = 0;
        while (!stop.get()) {
          if (!read.once(random)) {
            misses.incrementAndGet();
          }
          n++;
        }
        done.addAndGet(n);
      }));
    }
    Thread.sleep(duration.toMillis());
    stop.set(true);
    for (Thread thread : threads) {
      thread.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Row(name + ", " + readers + (readers == 1 ? " reader" : " readers"), done.get() / seconds, "loads/s",
        misses.get() == 0 ? "" : misses.get() + " not found");
  }

  /** Writes about {@code bytes} of messages, closes the store and times opening it again. */
  Row recovery(long bytes) throws Exception {
    Path dir = newDirectory();
    StreamStore store = provider.open(config(), context(dir, Durability.interval(Duration.ofSeconds(1))));
    byte[] payload = new byte[size];
    long written = 0;
    long messages = 0;
    long perMessage = 30 + "bench.recovery.00".length() + size;
    try {
      while (written < bytes) {
        store.append("bench.recovery." + (messages % 100), new byte[0], payload, 0);
        written += perMessage;
        messages++;
      }
    } finally {
      store.close();
    }
    long onDisk;
    try (var files = Files.walk(dir)) {
      onDisk = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
    System.gc();
    long start = System.nanoTime();
    StreamStore reopened = provider.open(config(), context(dir, Durability.ALWAYS));
    double seconds = (System.nanoTime() - start) / 1e9;
    try {
      long recovered = reopened.state().messages();
      return new Row(String.format("recovery of %.2f GiB (%d msgs, page cache warm)", onDisk / (double) (1L << 30),
          messages), seconds, "s", String.format("%.0f msgs/s, %d recovered", recovered / seconds, recovered));
    } finally {
      reopened.delete();
    }
  }

  /** Lets writers wait until the store reports their sequence durable. */
  private static final class Waiter {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    private volatile long durable;
    private volatile boolean released;

    void durable(long sequence) {
      durable = sequence;
      lock.lock();
      try {
        advanced.signalAll();
      } finally {
        lock.unlock();
      }
    }

    void await(long sequence) {
      if (durable >= sequence) {
        return;
      }
      lock.lock();
      try {
        while (durable < sequence && !released) {
          advanced.awaitUninterruptibly();
        }
      } finally {
        lock.unlock();
      }
    }

    void release() {
      released = true;
      lock.lock();
      try {
        advanced.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }
}
