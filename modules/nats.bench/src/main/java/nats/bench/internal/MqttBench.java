package nats.bench.internal;

import java.io.IOException;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The MQTT scenarios, against a server's MQTT listener ({@link BenchConfig#address()} is its
 * port): {@code mqtt-pubsub} (QoS 0) and {@code mqtt-pubsub1} (QoS 1), one publisher and one
 * subscriber at the same QoS, measured at the subscriber; {@code mqtt-rtt}, one QoS 1 message at a
 * time from publish until the subscriber has it. A QoS 1 publisher keeps at most
 * {@code --ack-window} messages without their PUBACK; a QoS 0 publisher runs at most
 * {@code --window-bytes} ahead of the subscriber. The subscriber acknowledges QoS 1 deliveries in
 * batches, and with payloads of 4 bytes or more checks that no message arrives twice.
 */
final class MqttBench {
  private MqttBench() {}

  static Result run(BenchConfig cfg) throws Exception {
    return cfg.scenario() == Scenario.MQTT_RTT ? roundTrip(cfg) : throughput(cfg);
  }

  /** A topic and client ids no other run uses. */
  private static String uniqueTopic(String prefix) {
    return Subjects.unique(prefix).replace('.', '/');
  }

  private static Result throughput(BenchConfig cfg) throws Exception {
    int qos = cfg.scenario() == Scenario.MQTT_PUBSUB_QOS1 ? 1 : 0;
    long n = cfg.msgs();
    RunControl control = new RunControl(cfg.durationLimitSeconds());
    String topic = uniqueTopic("nb");
    byte[] frame = MqttClient.publishFrame(topic, qos, Protocol.payload(cfg.size()));
    int payloadAt = MqttClient.payloadOffset(frame, cfg.size());
    boolean indexed = cfg.size() >= 4;
    try (MqttClient sub = MqttClient.connect(cfg.address(), topic + "s", control);
        MqttClient pub = MqttClient.connect(cfg.address(), topic + "p", control)) {
      sub.subscribe(topic, qos);
      Receiver receiver = new Receiver(sub, n, qos, indexed, control);
      Semaphore window = new Semaphore(cfg.js().ackWindow());
      Workers workers = new Workers(control);
      CpuMeter cpu = CpuMeter.start(cfg.pid());
      long start = System.nanoTime();
      workers.start("mqtt-sub", receiver::receive);
      if (qos > 0) {
        workers.start("mqtt-acks", () -> {
          for (long i = 0; i < n; i++) {
            pub.read();
            if (pub.type == MqttClient.PUBACK) {
              window.release();
            }
          }
        });
      }
      long ahead = Math.max(1, cfg.windowBytes() / frame.length);
      long checkEvery = Math.max(1, ahead / 4);
      int idAt = qos > 0 ? MqttClient.idOffset(frame, cfg.size()) : 0;
      try {
        for (long i = 0; i < n; i++) {
          if (qos > 0) {
            if (!window.tryAcquire()) {
              pub.flush();
              while (!window.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                control.check("mqtt publisher");
              }
            }
            int id = (int) (i % 65535) + 1;
            frame[idAt] = (byte) (id >>> 8);
            frame[idAt + 1] = (byte) id;
          } else if (i % checkEvery == 0) {
            while (i - receiver.received.get() > ahead) {
              pub.flush();
              LockSupport.parkNanos(20_000);
              control.check("mqtt publisher");
            }
          }
          if (indexed) {
            putInt(frame, payloadAt, (int) i);
          }
          pub.write(frame);
        }
        pub.flush();
      } catch (Exception e) {
        control.fail(e);
      }
      workers.join();
      control.stop();
      Map<String, Number> m = new LinkedHashMap<>();
      long got = receiver.received.get();
      Rates.put(m, got, cfg.size(), receiver.lastAt - start);
      m.put("delivered", got);
      m.put("duplicates", receiver.duplicates);
      cpu.finish(m, n, 0);
      String note = got < n ? "delivered " + got + " of " + n
          + (control.reason() == null ? "" : " (" + control.reason() + ")")
          : receiver.duplicates > 0 ? receiver.duplicates + " messages arrived twice" : null;
      return new Result(cfg.scenario().cliName(), cfg.size(), note == null, note, m);
    }
  }

  /** Counts the subscriber's deliveries and acknowledges QoS 1 ones in batches. */
  private static final class Receiver {
    private final MqttClient sub;
    private final long n;
    private final int qos;
    private final BitSet seen;
    private final RunControl control;
    final AtomicLong received = new AtomicLong();
    long duplicates;
    volatile long lastAt;

    Receiver(MqttClient sub, long n, int qos, boolean indexed, RunControl control) {
      this.sub = sub;
      this.n = n;
      this.qos = qos;
      this.seen = indexed && n <= Integer.MAX_VALUE ? new BitSet((int) n) : null;
      this.control = control;
    }

    void receive() throws IOException {
      long count = 0;
      while (count < n) {
        sub.read();
        if (sub.type != MqttClient.PUBLISH) {
          continue;
        }
        if (qos > 0) {
          sub.puback(sub.packetId);
        }
        int index = seen == null ? -1 : getInt(sub.payloadBuffer(), sub.payloadOff);
        if (index >= 0 && index < n && seen.get(index)) {
          duplicates++;
        } else {
          if (index >= 0 && index < n) {
            seen.set(index);
          }
          received.lazySet(++count);
        }
        if (qos > 0 && (sub.buffered() >= 4096 || !sub.hasInput())) {
          sub.flush();
        }
        control.check("mqtt subscriber");
      }
      lastAt = System.nanoTime();
      sub.flush();
    }
  }

  private static Result roundTrip(BenchConfig cfg) throws Exception {
    int n = (int) Math.min(cfg.msgs(), 50_000_000);
    RunControl control = new RunControl(cfg.durationLimitSeconds());
    String topic = uniqueTopic("nr");
    byte[] frame = MqttClient.publishFrame(topic, 1, Protocol.payload(cfg.size()));
    int idAt = MqttClient.idOffset(frame, cfg.size());
    long[] latencies = new long[n];
    try (MqttClient sub = MqttClient.connect(cfg.address(), topic + "s", control);
        MqttClient pub = MqttClient.connect(cfg.address(), topic + "p", control)) {
      sub.subscribe(topic, 1);
      AtomicLong acked = new AtomicLong();
      Workers workers = new Workers(control);
      CpuMeter cpu = CpuMeter.start(cfg.pid());
      workers.start("mqtt-acks", () -> {
        while (acked.get() < n) {
          pub.read();
          if (pub.type == MqttClient.PUBACK) {
            acked.incrementAndGet();
          }
        }
      });
      long start = System.nanoTime();
      int done = 0;
      try {
        for (; done < n && !control.shouldStop(); done++) {
          int id = done % 65535 + 1;
          frame[idAt] = (byte) (id >>> 8);
          frame[idAt + 1] = (byte) id;
          long t0 = System.nanoTime();
          pub.write(frame);
          pub.flush();
          do {
            sub.read();
          } while (sub.type != MqttClient.PUBLISH);
          latencies[done] = System.nanoTime() - t0;
          sub.puback(sub.packetId);
          sub.flush();
        }
      } catch (Exception e) {
        control.fail(e);
      }
      long elapsed = System.nanoTime() - start;
      workers.join();
      control.stop();
      Result r = ReqRepBench.result(cfg, new SyncClients.Outcome(done, latencies, elapsed, 0, null),
          control, cpu, cfg.scenario().cliName());
      return acked.get() < done ? r.withNote(false, "the publisher got " + acked.get()
          + " PUBACKs for " + done + " messages") : r;
    }
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  private static int getInt(byte[] b, int at) {
    return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8
        | b[at + 3] & 0xff;
  }
}
