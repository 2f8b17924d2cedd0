package nats.bench.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JetStream scenarios, spoken as raw JSON API requests (no client library): each run creates
 * its own stream or KV bucket, measures, and deletes it again. A server whose API does not answer
 * (no responders, an error, no reply) is reported as "JetStream not available" for that run.
 */
final class JsBench {
  private static final byte[] PUB_SPACE = Protocol.ascii("PUB ");
  private static final byte[] SPACE = Protocol.ascii(" ");
  private static final byte[] ERROR = Protocol.ascii("\"error\"");
  /** Slices of a synchronous write run, with a disk probe before each (see measureSync). */
  private static final int SLICES = 10;
  private static final long SLICE_PROBE_NANOS = 100_000_000L;

  private JsBench() {}

  static Result run(BenchConfig cfg) throws Exception {
    RunControl control = new RunControl(cfg.durationLimitSeconds());
    String name = cfg.scenario().cliName();
    try (JsApi api = JsApi.open(cfg.address(), control)) {
      return switch (cfg.scenario()) {
        case JS_PUB -> asyncPublish(cfg, api, control);
        case JS_PUB_SYNC -> syncPublish(cfg, api, control);
        case JS_FETCH -> JsFetch.run(cfg, api, control);
        case JS_KV_PUT -> kvPut(cfg, api, control);
        case JS_KV_GET -> kvGet(cfg, api, control);
        default -> throw new IllegalArgumentException("not a JetStream scenario: " + name);
      };
    } catch (JsApi.UnavailableException e) {
      return Result.jsUnavailable(name, cfg.size(), e.getMessage());
    }
  }

  /** Creates a stream {@code BENCH_<id>} over {@code js.<id>.>}; returns {@code {name, base}}. */
  static String[] createStream(BenchConfig cfg, JsApi api) throws Exception {
    String base = Subjects.unique("js");
    String stream = "BENCH_" + base.substring(base.indexOf('.') + 1);
    api.require("$JS.API.STREAM.CREATE." + stream,
        JsConfigs.stream(stream, base + ".>", cfg.js().storage()));
    return new String[] {stream, base};
  }

  private static Result asyncPublish(BenchConfig cfg, JsApi api, RunControl control)
      throws Exception {
    int replicas = cfg.js().replicas();
    String[] s = replicas > 1 ? ClusterJsBench.createReplicated(cfg, api, control, replicas)
        : createStream(cfg, api);
    byte[] payload = Protocol.payload(cfg.size());
    List<AckedPublisher> pubs = new ArrayList<>();
    try {
      long probes = replicas > 1 ? ClusterJsBench.awaitStreamInterest(cfg.address(), "the server",
          s[1] + ".probe", payload, control) : 0;
      for (int i = 0; i < cfg.pubs(); i++) {
        String subject = s[1] + ".p" + i;
        pubs.add(AckedPublisher.open(cfg.address(), "js-pub-" + i, control, k -> subject, 1,
            payload, cfg.js().ackWindow()));
      }
      long[] counts = new long[pubs.size()];
      for (int i = 0; i < pubs.size(); i++) {
        counts[i] = cfg.share(i, pubs.size());
      }
      CpuMeter cpu = CpuMeter.start(cfg.pid());
      long start = System.nanoTime();
      long end = start;
      try {
        end = AckedPublisherLoop.run(pubs, counts, control);
      } catch (Exception e) {
        control.fail(e);
      }
      long acks = 0;
      long errors = 0;
      long noResponders = 0;
      String firstError = null;
      for (AckedPublisher p : pubs) {
        acks += p.acks();
        errors += p.errors();
        noResponders += p.noResponders();
        firstError = firstError != null ? firstError : p.firstError();
      }
      Map<String, Number> m = new LinkedHashMap<>();
      m.put("msgs", acks);
      m.put("pubs", pubs.size());
      m.put("ack_window", cfg.js().ackWindow());
      String note = control.reason();
      Rates.put(m, acks, cfg.size(), (note == null ? end : System.nanoTime()) - start);
      cpu.finish(m, acks, 0);
      m.put("errors", errors);
      if (noResponders > 0 && acks == 0) {
        return Result.jsUnavailable("js-pub", cfg.size(), "publishes to the stream got no"
            + " responders");
      }
      if (note == null && errors + noResponders > 0) {
        note = (errors + noResponders) + " publishes were refused, the first: " + firstError;
      }
      note = note != null ? note : checkStored(api, s[0], acks + probes);
      return new Result("js-pub", cfg.size(), note == null, note, m);
    } finally {
      pubs.forEach(AckedPublisher::close);
      api.deleteStream(s[0]);
    }
  }

  /** @return null if the stream holds {@code expected} messages, else what it holds */
  static String checkStored(JsApi api, String stream, long expected) throws Exception {
    JsApi.Reply r = api.request("$JS.API.STREAM.INFO." + stream, "");
    long stored = Json.longField(r.body(), "messages", -1);
    return stored == expected ? null
        : "the stream holds " + stored + " messages after " + expected + " acks";
  }

  private static Result syncPublish(BenchConfig cfg, JsApi api, RunControl control)
      throws Exception {
    String[] s = createStream(cfg, api);
    try {
      byte[] subjectPrefix = Protocol.ascii(s[1] + ".c");
      byte[] payload = Protocol.payload(cfg.size());
      byte[] tail = Protocol.ascii(" " + cfg.size() + "\r\n");
      return measureSync(cfg, control, "js-pub-sync", 512, JsBench::ackProblem,
          (out, client, seq, reply) -> out.bytes(PUB_SPACE).bytes(subjectPrefix).decimal(client)
              .bytes(SPACE).bytes(reply.array(), 0, reply.length()).bytes(tail).bytes(payload)
              .crlf());
    } finally {
      api.deleteStream(s[0]);
    }
  }

  private static Result kvPut(BenchConfig cfg, JsApi api, RunControl control) throws Exception {
    String bucket = createBucket(cfg, api);
    try {
      byte[] keyPrefix = Protocol.ascii("$KV." + bucket + ".k");
      byte[] payload = Protocol.payload(cfg.size());
      byte[] tail = Protocol.ascii(" " + cfg.size() + "\r\n");
      int keys = cfg.js().keys();
      return measureSync(cfg, control, "js-kv-put", 512, JsBench::ackProblem,
          (out, client, seq, reply) -> out.bytes(PUB_SPACE).bytes(keyPrefix)
              .decimal((seq * cfg.clients() + client) % keys).bytes(SPACE)
              .bytes(reply.array(), 0, reply.length()).bytes(tail).bytes(payload).crlf());
    } finally {
      api.deleteStream("KV_" + bucket);
    }
  }

  private static Result kvGet(BenchConfig cfg, JsApi api, RunControl control) throws Exception {
    String bucket = createBucket(cfg, api);
    int keys = cfg.js().keys();
    try {
      try (AckedPublisher fill = AckedPublisher.open(cfg.address(), "kv-fill", control,
          i -> "$KV." + bucket + ".k" + i, keys, Protocol.payload(cfg.size()), 1000)) {
        fill.publish(keys);
        if (fill.acks() != keys) {
          throw new JsApi.UnavailableException("KV puts refused while filling the bucket: "
              + fill.firstError());
        }
      }
      byte[] getPrefix = Protocol.ascii("$JS.API.DIRECT.GET.KV_" + bucket + ".$KV." + bucket
          + ".k");
      byte[] tail = Protocol.ascii(" 0\r\n\r\n");
      long size = cfg.size();
      return measureSync(cfg, control, "js-kv-get", 1024,
          m -> m.status() != 0 ? "status " + m.status()
              : !m.hmsg() ? "a reply without headers"
              : m.size() - m.headerLength() != size ? "a value of "
                  + (m.size() - m.headerLength()) + " bytes, expected " + size : null,
          (out, client, seq, reply) -> out.bytes(PUB_SPACE).bytes(getPrefix)
              .decimal((seq * cfg.clients() + client) % keys).bytes(SPACE)
              .bytes(reply.array(), 0, reply.length()).bytes(tail));
    } finally {
      api.deleteStream("KV_" + bucket);
    }
  }

  private static String createBucket(BenchConfig cfg, JsApi api) throws Exception {
    String id = Subjects.unique("b");
    String bucket = "BENCH_" + id.substring(id.indexOf('.') + 1);
    api.require("$JS.API.STREAM.CREATE.KV_" + bucket, JsConfigs.kvStream(bucket,
        cfg.js().storage()));
    return bucket;
  }

  private static String ackProblem(MsgView m) {
    if (m.status() != 0) {
      return "status " + m.status();
    }
    return m.bodyContains(ERROR) ? m.body() : null;
  }

  /**
   * Runs the synchronous clients and, for writes to file storage, adds the limit of a store that
   * syncs before it acknowledges: one round trip plus one fsync per operation and client. A shared
   * disk's rate changes within seconds, so such a run is cut into {@link #SLICES} slices with the
   * disk probed for {@link #SLICE_PROBE_NANOS} before each and after the last: run and probe take
   * turns on the same moments of the disk. The probes' time and CPU are left out of the run's.
   */
  private static Result measureSync(BenchConfig cfg, RunControl control, String name,
      int capture, SyncClients.Check check, SyncClients.Encoder encoder) throws Exception {
    // Writes to a file store are what an fsync bounds; reads are not.
    boolean writes = !name.equals("js-kv-get") && cfg.js().storage().equals("file");
    SyncClients clients = SyncClients.open(cfg.address(), cfg.clients(), control, capture, check);
    try {
      Percentiles rtt = clients.roundTrips(1000);
      FsyncProbe.Window disk = writes ? new FsyncProbe.Window(FsyncProbe.tempDir()) : null;
      int slices = writes ? (int) Math.min(SLICES, Math.max(1, cfg.msgs())) : 1;
      CpuMeter cpu = CpuMeter.start(cfg.pid());
      SyncClients.Outcome o = null;
      for (int i = 0; i < slices && (i == 0 || control.failure() == null); i++) {
        long n = cfg.share(i, slices);
        if (disk != null) {
          cpu.pause();
          disk.probe(SLICE_PROBE_NANOS);
          cpu.resume();
        }
        SyncClients.Outcome slice = clients.run(n, encoder);
        o = o == null ? slice : o.plus(slice);
        if (slice.done() < n) {
          break;
        }
      }
      Result r = ReqRepBench.result(cfg, o, control, cpu, name);
      if (o.done() > 0 && o.bad() == o.done() && o.firstBad() != null
          && o.firstBad().startsWith("status 503")) {
        return Result.jsUnavailable(name, cfg.size(), "no responders");
      }
      Map<String, Number> m = new LinkedHashMap<>(r.metrics());
      if (disk != null) {
        FsyncProbe.addLimit(m, disk.probe(SLICE_PROBE_NANOS), rtt.p50(), rtt.mean());
      }
      return new Result(name, r.size(), r.complete(), r.note(), m);
    } finally {
      clients.close();
    }
  }
}
