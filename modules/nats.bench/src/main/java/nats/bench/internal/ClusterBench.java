package nats.bench.internal;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Scenarios across a cluster ({@code cluster-compare}), built like {@link DeliveryBench} and {@link ReqRepBench}
 * but with the publisher (or requesters) on the first node and the subscribers (or responder) on the others, so
 * every message crosses a route ({@code gateway-compare}: the gateway between two single-server clusters).
 * <ul>
 *   <li>{@code pubsub}: one subscriber on the second node;</li>
 *   <li>{@code fanout}: {@code --subs} subscribers spread over the nodes, starting with the second;</li>
 *   <li>{@code queue}: the same, in one queue group (each message exactly once in the whole cluster);</li>
 *   <li>{@code reqrep}: the responder on the second node, synchronous requesters on the first, latency
 *       percentiles.</li>
 * </ul>
 * The clustered JetStream scenarios ({@code js-pub-r3}, {@code js-failover}) are {@link ClusterJsBench}'s.
 * The server CPU figures ({@code server_ns_per_msg}, ...) are the sum over all nodes, with each node's share
 * ({@code cpu_node<i>_ms}) and the nodes' kernel time ({@code cpu_sys_ms}) beside them.
 */
final class ClusterBench {

    private static final byte[] PUB_SPACE = Protocol.ascii("PUB ");
    private static final byte[] SPACE = Protocol.ascii(" ");

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
                case FANIN -> fanIn(cfg, cluster);
                case JS_PUB_R3, JS_FAILOVER, JS_FETCH_R3, JS_WQ_R3, JS_INTEREST_R3 -> ClusterJsBench.run(cfg, cluster);
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
        Scenario scenario = cfg.scenario();
        boolean queue = scenario == Scenario.QUEUE;
        int k = scenario == Scenario.PUBSUB ? 1 : cfg.subs();
        long n = cfg.msgs();
        RunControl control = new RunControl(cfg.durationLimitSeconds());
        String subject = Subjects.unique("bench.cluster." + scenario.cliName());
        ReaderGroup group = new ReaderGroup(control);
        Set<Integer> remoteNodes = new HashSet<>();
        Connection pubConn = null;
        try {
            cluster.awaitNoInterest(nodes.get(0), control);
            for (int i = 0; i < k; i++) {
                int node = (1 + i) % nodes.size();
                if (node != 0) {
                    remoteNodes.add(node);
                }
                Connection c = Connection.open(nodes.get(node).address(), "sub-" + i, 64 * 1024, 4 * 1024, control);
                c.subscribe(subject, queue ? "q" : null, 1);
                c.parser().expectMsg(subject, 1, cfg.size());
                group.add(c);
            }
            cluster.awaitInterest(nodes.get(0), subject, remoteNodes.size(), control);
            pubConn = Connection.open(nodes.get(0).address(), "pub", 64 * 1024, 4 * 1024, control);
            // Queue members share the work, so progress is the total; otherwise the slowest one.
            LongSupplier consumed = queue ? group::total : group::slowest;
            Publisher pub = new Publisher(pubConn, Protocol.pub(subject, null, Protocol.payload(cfg.size())),
                    cfg.flowIntervalWithSubscribers(subject), cfg.maxPings(), consumed, cfg.windowMsgs(subject),
                    control);
            Workers workers = new Workers(control);
            group.start(workers, cfg.readers());
            ClusterCpu cpu = new ClusterCpu(cluster);
            long start = System.nanoTime();
            try {
                pub.publish(n);
                // The publisher's last PONG says the first node has routed everything, not that the other
                // nodes have delivered it: wait for the counts before the subscribers' closing round trips.
                while (consumed.getAsLong() < n) {
                    control.check("subscribers receiving what crossed the routes");
                    LockSupport.parkNanos(200_000);
                }
                group.drain();
            } catch (Exception e) {
                control.fail(e);
            }
            workers.join();
            return deliveryResult(cfg, k, group, start, pub.sent(), control, cpu);
        } finally {
            if (pubConn != null) {
                pubConn.close();
            }
            group.close();
        }
    }

    /**
     * Fan-in over the routes: in each of N accounts a publisher on the first node and a subscriber on the second,
     * all publishing at once. With Go 2.10's route pooling the accounts spread over several route connections.
     */
    private static Result fanIn(BenchConfig cfg, ClusterNodes cluster) throws Exception {
        List<ClusterNodes.Node> nodes = cluster.nodes();
        int accounts = cfg.pubs();
        long n = cfg.msgs();
        RunControl control = new RunControl(cfg.durationLimitSeconds());
        String base = Subjects.unique("bench.cluster.fanin");
        ReaderGroup group = new ReaderGroup(control);
        List<Connection> pubs = new java.util.ArrayList<>();
        try {
            for (int i = 1; i <= accounts; i++) {
                Connection c = Connection.openAs(nodes.get(1).address(), "sub-" + i, 64 * 1024, 4 * 1024, control,
                        "acc" + i);
                c.subscribe(base + "." + i, null, 1);
                c.parser().expectMsg(base + "." + i, 1, cfg.size());
                group.add(c);
            }
            for (int i = 1; i <= accounts; i++) {
                ClusterNodes.awaitRouteInterest(nodes.get(0), base + "." + i, 1, control);
                pubs.add(Connection.openAs(nodes.get(0).address(), "pub-" + i, 64 * 1024, 4 * 1024, control,
                        "acc" + i));
            }
            Workers workers = new Workers(control);
            group.start(workers, cfg.readers());
            ClusterCpu cpu = new ClusterCpu(cluster);
            long start = System.nanoTime();
            Workers publishers = new Workers(control);
            java.util.concurrent.atomic.AtomicLong published = new java.util.concurrent.atomic.AtomicLong();
            for (int i = 0; i < accounts; i++) {
                String subject = base + "." + (i + 1);
                ReaderGroup.Sub sub = group.subs().get(i);
                Publisher pub = new Publisher(pubs.get(i), Protocol.pub(subject, null, Protocol.payload(cfg.size())),
                        cfg.flowIntervalWithSubscribers(subject), cfg.maxPings(), () -> sub.received,
                        cfg.windowMsgs(subject), control);
                publishers.start("pub-" + (i + 1), () -> {
                    pub.publish(n);
                    published.addAndGet(pub.sent());
                });
            }
            publishers.join();
            try {
                while (group.total() < n * accounts) {
                    control.check("subscribers receiving what crossed the routes");
                    LockSupport.parkNanos(200_000);
                }
                group.drain();
            } catch (Exception e) {
                control.fail(e);
            }
            workers.join();
            long delivered = group.total();
            String note = control.reason();
            if (note == null && delivered != n * accounts) {
                note = "delivered " + delivered + " of " + n * accounts;
            }
            Map<String, Number> m = new LinkedHashMap<>();
            m.put("msgs", published.get());
            m.put("accounts", accounts);
            m.put("delivered", delivered);
            m.put("expected", n * accounts);
            long end = Math.max(start, group.lastReceiveNanos());
            Rates.put(m, delivered, cfg.size(), (note == null ? end : System.nanoTime()) - start);
            cpu.finish(m, published.get(), delivered);
            return new Result(cfg.scenario().cliName(), cfg.size(), note == null, note, m);
        } finally {
            for (Connection c : pubs) {
                c.close();
            }
            group.close();
        }
    }

    private static Result deliveryResult(BenchConfig cfg, int k, ReaderGroup group, long start, long published,
                                         RunControl control, ClusterCpu cpu) {
        boolean queue = cfg.scenario() == Scenario.QUEUE;
        long n = cfg.msgs();
        long delivered = group.total();
        long min = Long.MAX_VALUE;
        long max = 0;
        for (ReaderGroup.Sub s : group.subs()) {
            min = Math.min(min, s.received);
            max = Math.max(max, s.received);
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
        m.put("expected", queue ? n : n * k);
        long end = Math.max(start, group.lastReceiveNanos());
        long elapsed = (note == null ? end : System.nanoTime()) - start;
        Rates.put(m, delivered, cfg.size(), elapsed);
        if (k > 1) {
            m.put("min_sub_msgs", min);
            m.put("max_sub_msgs", max);
        }
        cpu.finish(m, published, cfg.scenario() == Scenario.FANOUT ? delivered : 0);
        return new Result(cfg.scenario().cliName(), cfg.size(), countsOk && control.reason() == null, note, m);
    }

    private static Result requestReply(BenchConfig cfg, ClusterNodes cluster) throws Exception {
        List<ClusterNodes.Node> nodes = cluster.nodes();
        RunControl control = new RunControl(cfg.durationLimitSeconds());
        String subjectText = Subjects.unique("bench.cluster.req");
        byte[] subject = Protocol.ascii(subjectText);
        byte[] payload = Protocol.payload(cfg.size());
        byte[] tail = Protocol.ascii(" " + payload.length + "\r\n");
        cluster.awaitNoInterest(nodes.get(0), control);
        cluster.awaitNoInterest(nodes.get(1), control);
        Responder responder = new Responder(payload, control);
        Connection rep = Connection.open(nodes.get(1).address(), "responder", 256 * 1024, 256 * 1024, control,
                new FrameParser(responder::onMsg, 0), 0);
        try {
            responder.conn = rep;
            rep.subscribe(subjectText, null, 1);
            rep.useBlockingIo();
            Workers workers = new Workers(control);
            workers.start("responder", () -> {
                while (!control.shouldStop()) {
                    rep.readOnce();
                    rep.flush();
                }
            });
            SyncClients clients = SyncClients.open(nodes.get(0).address(), cfg.clients(), control, 0,
                    m -> m.hmsg() ? "a status HMSG instead of the reply (e.g. 503 no responders)" : null);
            SyncClients.Outcome o;
            ClusterCpu cpu;
            try {
                // Both directions' interest must have crossed the route before the first request.
                cluster.awaitInterest(nodes.get(0), subjectText, 1, control);
                cluster.awaitInboxInterest(nodes.get(1), clients.inboxPrefix(), cfg.clients(), control);
                cpu = new ClusterCpu(cluster);
                o = clients.run(cfg.msgs(), (out, client, seq, reply) -> out.bytes(PUB_SPACE)
                        .bytes(subject).bytes(SPACE).bytes(reply.array(), 0, reply.length()).bytes(tail)
                        .bytes(payload).crlf());
            } finally {
                control.stop();
                workers.join();
                clients.close();
            }
            Percentiles p = Percentiles.of(o.latencies(), o.done());
            Map<String, Number> m = new LinkedHashMap<>();
            m.put("requests", o.done());
            m.put("clients", cfg.clients());
            m.put("elapsed_ms", o.elapsedNanos() / 1_000_000);
            m.put("req_per_sec", o.done() / (Math.max(1, o.elapsedNanos()) / 1e9));
            m.put("p50_ns", p.p50());
            m.put("p90_ns", p.p90());
            m.put("p99_ns", p.p99());
            m.put("p999_ns", p.p999());
            m.put("max_ns", p.max());
            m.put("mean_ns", Math.round(p.mean()));
            cpu.finish(m, o.done(), 0);
            Throwable failure = control.failure();
            boolean stopped = failure instanceof RunControl.StopException;
            String note = failure != null && !stopped ? control.reason()
                    : o.done() < cfg.msgs() ? "only " + o.done() + " of " + cfg.msgs() + " requests completed"
                    : o.bad() > 0 ? o.bad() + " replies were wrong, the first: " + o.firstBad()
                    : null;
            return new Result("reqrep", cfg.size(), note == null, note, m);
        } finally {
            control.stop();
            rep.close();
        }
    }

    /**
     * CPU time of all nodes and of this generator over a measured window, with the same metric names as
     * {@link CpuMeter} (so the comparison table shows them), plus each node's share and the nodes' kernel time.
     */
    static final class ClusterCpu {
        private final ClusterNodes cluster;
        private final long[] nodesStart;
        private final long systemStart;
        private final long clientStart;

        ClusterCpu(ClusterNodes cluster) {
            this.cluster = cluster;
            this.nodesStart = cluster.cpuNanosPerNode();
            this.systemStart = cluster.systemNanos();
            this.clientStart = ProcFs.selfCpuNanos();
        }

        void finish(Map<String, Number> m, long msgs, long deliveries) {
            long[] nodesEnd = cluster.cpuNanosPerNode();
            long server = 0;
            for (int i = 0; i < nodesEnd.length; i++) {
                server += nodesEnd[i] - nodesStart[i];
            }
            long client = ProcFs.selfCpuNanos() - clientStart;
            m.put("server_cpu_ms", server / 1_000_000);
            if (msgs > 0) {
                m.put("server_ns_per_msg", server / (double) msgs);
            }
            if (deliveries > 0) {
                m.put("server_ns_per_delivery", server / (double) deliveries);
            }
            m.put("client_cpu_ms", client / 1_000_000);
            if (server > 0) {
                m.put("client_cpu_share", client / (double) server);
            }
            for (int i = 0; i < nodesEnd.length; i++) {
                m.put("cpu_node" + i + "_ms", (nodesEnd[i] - nodesStart[i]) / 1_000_000);
            }
            m.put("cpu_sys_ms", (cluster.systemNanos() - systemStart) / 1_000_000);
        }
    }

    /** Answers each request with the payload on its reply subject; called by the responder's parser. */
    private static final class Responder {
        private final byte[] tail; // " <size>\r\n<payload>\r\n"
        private final RunControl control;
        Connection conn;

        Responder(byte[] payload, RunControl control) {
            byte[] head = Protocol.ascii(" " + payload.length + "\r\n");
            this.tail = Arrays.copyOf(head, head.length + payload.length + 2);
            System.arraycopy(payload, 0, tail, head.length, payload.length);
            tail[tail.length - 2] = '\r';
            tail[tail.length - 1] = '\n';
            this.control = control;
        }

        void onMsg(MsgView m) {
            if (m.replyLen() == 0 || conn == null) {
                return;
            }
            try {
                // Frames are only appended here; the responder loop flushes after each read.
                conn.put(PUB_SPACE);
                conn.put(m.line(), m.replyOff(), m.replyLen());
                conn.put(tail);
            } catch (IOException e) {
                control.fail(e);
            }
        }
    }
}
