package nats.bench.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** The {@code pub} scenario: N publishers, no subscribers. */
final class PubBench {
  private PubBench() {}

  static Result run(BenchConfig cfg) throws Exception {
    RunControl control = new RunControl(cfg.durationLimitSeconds());
    String subject = Subjects.unique("p");
    byte[] frame = Protocol.pub(subject, null, Protocol.payload(cfg.size()));
    int n = cfg.pubs();
    List<Connection> conns = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        conns.add(Connection.open(cfg.address(), "pub-" + i, 64 * 1024, 4 * 1024, control));
      }
      long[] ends = new long[n];
      long[] counts = new long[n];
      Publisher[] pubs = new Publisher[n];
      CountDownLatch go = new CountDownLatch(1);
      Workers workers = new Workers(control);
      for (int i = 0; i < n; i++) {
        int idx = i;
        counts[i] = cfg.share(i, n);
        pubs[i] = new Publisher(conns.get(i), frame, cfg.flowInterval(), cfg.maxPings(), null, 0,
            control);
        workers.start("pub-" + i, () -> {
          go.await();
          ends[idx] = pubs[idx].publish(counts[idx]);
        });
      }
      CpuMeter cpu = CpuMeter.start(cfg.pid());
      long start = System.nanoTime();
      go.countDown();
      workers.join();
      long end = start;
      long sent = 0;
      for (int i = 0; i < n; i++) {
        end = Math.max(end, ends[i]);
        sent += ends[i] != 0 ? counts[i] : pubs[i].sent();
      }
      boolean complete = control.failure() == null && sent == cfg.msgs();
      Map<String, Number> m = new LinkedHashMap<>();
      m.put("msgs", sent);
      m.put("pubs", n);
      Rates.put(m, sent, cfg.size(), (complete ? end : System.nanoTime()) - start);
      cpu.finish(m, sent, 0);
      return new Result("pub", cfg.size(), complete, complete ? null : control.reason(), m);
    } finally {
      conns.forEach(Connection::close);
    }
  }
}
