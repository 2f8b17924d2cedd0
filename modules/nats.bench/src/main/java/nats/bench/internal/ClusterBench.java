package nats.bench.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Scenarios across a cluster ({@code cluster-compare}): the publisher (or requester) on the first node, the
 * subscribers (or responder) on the others, so every message crosses a route.
 * <ul>
 *   <li>{@code pubsub}: one subscriber on the second node;</li>
 *   <li>{@code fanout}: {@code --subs} subscribers spread over the nodes, starting with the second;</li>
 *   <li>{@code queue}: the same, in one queue group (each message exactly once in the whole cluster);</li>
 *   <li>{@code reqrep}: the responder on the second node, sequential requests, latency percentiles.</li>
 * </ul>
 * Each run also reports the CPU time all nodes used ({@code cpu_us_per_msg}, per delivered message).
 */
final class ClusterBench {

    private ClusterBench() {
    }

    static Result run(BenchConfig cfg, ClusterNodes cluster) {
        if (cfg.warmup() > 0) {
            runOnce(cfg.withMsgs(cfg.warmup()), cluster);
        }
        return runOnce(cfg, cluster);
    }

    private static Result runOnce(BenchConfig cfg, ClusterNodes cluster) {
        String name = cfg.scenario().cliName();
        try {
            return switch (cfg.scenario()) {
                case PUBSUB, FANOUT, QUEUE -> delivery(cfg, cluster);
                case REQREP -> requestReply(cfg, cluster);
                default -> Result.failed(name, cfg.size(), "not a cluster scenario");
            };
        } catch (IOException e) {
            return Result.failed(name, cfg.size(), e.getMessage() == null ? e.toString() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.failed(name, cfg.size(), "interrupted");
        } catch (Exception e) {
            return Result.failed(name, cfg.size(), e.toString());
        }
    }

    private static Result delivery(BenchConfig cfg, ClusterNodes cluster) throws Exception {
        List<ClusterNodes.Node> nodes = cluster.nodes();
        boolean queue = cfg.scenario() == Scenario.QUEUE;
        int k = cfg.scenario() == Scenario.PUBSUB ? 1 : cfg.subs();
        long n = cfg.msgs();
        RunControl control = new RunControl(cfg.durationLimitSeconds());
        String subject = Subjects.unique("bench.cluster." + cfg.scenario().cliName());
        List<Subscriber> subs = new ArrayList<>();
        Set<Integer> remoteNodes = new HashSet<>();
        Connection pubConn = null;
        try {
            for (int i = 0; i < k; i++) {
                int node = (1 + i) % nodes.size();
                if (node != 0) {
                    remoteNodes.add(node);
                }
                subs.add(Subscriber.open(nodes.get(node).address(), "sub-" + i, subject, queue ? "q" : null, control));
            }
            ClusterNodes.awaitRouteInterest(nodes.get(0), subject, remoteNodes.size(), control);
            pubConn = Connection.open(nodes.get(0).address(), "pub", 64 * 1024, 256 * 1024, control, null);
            LongSupplier consumed = queue ? () -> total(subs) : () -> slowest(subs);
            Publisher pub = new Publisher(pubConn, Protocol.pub(subject, null, Protocol.payload(cfg.size())),
                    cfg.flowIntervalWithSubscribers(subject), cfg.maxPings(), consumed, cfg.windowMsgs(subject),
                    control);
            AtomicBoolean pubDone = new AtomicBoolean();
            Workers workers = new Workers(control);
            for (Subscriber s : subs) {
                workers.start(s.name(), () -> s.run(
                        () -> pubDone.get() && (queue ? total(subs) >= n : s.received() >= n)));
            }
            long cpuBefore = cluster.cpuNanos();
            long[] perNodeBefore = cluster.cpuMillisPerNode();
            long sysBefore = cluster.systemMillis();
            long start = System.nanoTime();
            try {
                pub.publish(n);
                pubDone.set(true);
            } catch (Exception e) {
                control.fail(e);
            }
            workers.join();
            long cpu = cluster.cpuNanos() - cpuBefore;
            Result r = deliveryResult(cfg, k, subs, start, pub.sent(), cpu, control);
            long[] perNode = cluster.cpuMillisPerNode();
            Map<String, Number> metrics = new LinkedHashMap<>(r.metrics());
            for (int i = 0; i < perNode.length; i++) {
                metrics.put("cpu_node" + i + "_ms", perNode[i] - perNodeBefore[i]);
            }
            metrics.put("cpu_sys_ms", cluster.systemMillis() - sysBefore);
            return new Result(r.scenario(), r.size(), r.complete(), r.note(), metrics);
        } finally {
            if (pubConn != null) {
                pubConn.close();
            }
            subs.forEach(Subscriber::close);
        }
    }

    private static Result deliveryResult(BenchConfig cfg, int k, List<Subscriber> subs, long start, long published,
                                         long cpuNanos, RunControl control) {
        boolean queue = cfg.scenario() == Scenario.QUEUE;
        long n = cfg.msgs();
        long delivered = total(subs);
        long end = start;
        long min = Long.MAX_VALUE;
        long max = 0;
        for (Subscriber s : subs) {
            end = Math.max(end, s.lastReceiveNanos());
            min = Math.min(min, s.received());
            max = Math.max(max, s.received());
        }
        String note = control.reason();
        boolean countsOk = queue ? delivered == n : min == n && max == n;
        if (note == null && !countsOk) {
            note = queue ? "queue group received " + delivered + " of " + n
                    + (delivered > n ? " (duplicate deliveries)" : "")
                    : "per-subscriber counts " + min + ".." + max + ", expected " + n;
        }
        Map<String, Number> m = new LinkedHashMap<>();
        m.put("msgs", published);
        m.put("subs", k);
        m.put("delivered", delivered);
        long elapsed = (note == null ? end : System.nanoTime()) - start;
        Rates.put(m, delivered, cfg.size(), elapsed);
        putCpu(m, cpuNanos, delivered);
        return new Result(cfg.scenario().cliName(), cfg.size(), note == null, note, m);
    }

    private static void putCpu(Map<String, Number> m, long cpuNanos, long messages) {
        m.put("cpu_ms", cpuNanos / 1_000_000);
        m.put("cpu_us_per_msg", messages == 0 ? Double.NaN : cpuNanos / 1000.0 / messages);
    }

    private static Result requestReply(BenchConfig cfg, ClusterNodes cluster) throws Exception {
        List<ClusterNodes.Node> nodes = cluster.nodes();
        RunControl control = new RunControl(cfg.durationLimitSeconds());
        String subject = Subjects.unique("bench.cluster.req");
        String inbox = Subjects.unique("_INBOX");
        byte[] payload = Protocol.payload(cfg.size());
        int n = (int) Math.min(cfg.msgs(), Integer.MAX_VALUE - 8);
        long[] latencies = new long[n];
        Echo echo = new Echo(payload, control);
        long[] replies = new long[1];
        Connection rep = null;
        Connection req = null;
        int done = 0;
        try {
            rep = Connection.open(nodes.get(1).address(), "responder", 256 * 1024, 256 * 1024, control, echo::onMsg);
            echo.conn = rep;
            rep.put(Protocol.sub(subject, null, 1));
            rep.ping();
            rep.awaitPongs(0);
            req = Connection.open(nodes.get(0).address(), "requester", 64 * 1024, 64 * 1024, control,
                    (line, so, sl, ro, rl) -> replies[0]++);
            req.put(Protocol.sub(inbox + ".*", null, 1));
            req.ping();
            req.awaitPongs(0);
            ClusterNodes.awaitRouteInterest(nodes.get(0), subject, 1, control);
            ClusterNodes.awaitRouteInterest(nodes.get(1), inbox + ".*", 1, control);
            Workers workers = new Workers(control);
            Connection repConn = rep;
            workers.start("responder", () -> {
                while (!control.shouldStop()) {
                    repConn.readOnce();
                    repConn.flush();
                }
            });
            long cpuBefore = cluster.cpuNanos();
            long start = System.nanoTime();
            try {
                for (; done < n; done++) {
                    byte[] frame = Protocol.pub(subject, inbox + "." + done, payload);
                    long want = req.parser().msgs() + 1;
                    long t0 = System.nanoTime();
                    req.put(frame);
                    req.flush();
                    while (req.parser().msgs() < want) {
                        control.check("requester");
                        req.readOnce();
                    }
                    latencies[done] = System.nanoTime() - t0;
                }
            } catch (IOException e) {
                control.fail(e);
            }
            long elapsed = System.nanoTime() - start;
            long cpu = cluster.cpuNanos() - cpuBefore;
            control.stop();
            workers.join();
            Percentiles p = Percentiles.of(latencies, done);
            Map<String, Number> m = new LinkedHashMap<>();
            m.put("requests", done);
            m.put("elapsed_ms", elapsed / 1_000_000);
            m.put("req_per_sec", done / (Math.max(1, elapsed) / 1e9));
            m.put("p50_ns", p.p50());
            m.put("p90_ns", p.p90());
            m.put("p99_ns", p.p99());
            m.put("p999_ns", p.p999());
            m.put("max_ns", p.max());
            putCpu(m, cpu, done * 2L);
            String note = control.failure() != null ? control.reason()
                    : done < n ? "only " + done + " of " + n + " requests completed" : null;
            return new Result("reqrep", cfg.size(), note == null, note, m);
        } finally {
            control.stop();
            if (req != null) {
                req.close();
            }
            if (rep != null) {
                rep.close();
            }
        }
    }

    /** Answers each request with the payload on its reply subject. */
    private static final class Echo {
        private static final byte[] PUB_SPACE = "PUB ".getBytes(StandardCharsets.US_ASCII);
        private final byte[] tail;
        private final RunControl control;
        Connection conn;

        Echo(byte[] payload, RunControl control) {
            byte[] head = Protocol.ascii(" " + payload.length + "\r\n");
            this.tail = Arrays.copyOf(head, head.length + payload.length + 2);
            System.arraycopy(payload, 0, tail, head.length, payload.length);
            tail[tail.length - 2] = '\r';
            tail[tail.length - 1] = '\n';
            this.control = control;
        }

        void onMsg(byte[] line, int subjOff, int subjLen, int replyOff, int replyLen) {
            if (replyLen == 0 || conn == null) {
                return;
            }
            try {
                conn.put(PUB_SPACE);
                conn.put(line, replyOff, replyLen);
                conn.put(tail);
            } catch (IOException e) {
                control.fail(e);
            }
        }
    }

    private static long total(List<Subscriber> subs) {
        long t = 0;
        for (Subscriber s : subs) {
            t += s.received();
        }
        return t;
    }

    private static long slowest(List<Subscriber> subs) {
        long m = Long.MAX_VALUE;
        for (Subscriber s : subs) {
            m = Math.min(m, s.received());
        }
        return m;
    }
}
