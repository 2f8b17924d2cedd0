package nats.bench.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Clustered JetStream scenarios of {@code cluster-compare}, spoken as raw JSON API requests like {@link JsBench}:
 * <ul>
 *   <li>{@code js-pub-r3}: an R3 file stream, then {@code --pubs} async publishers (the acked publishers of
 *       {@code js-pub}, {@code --ack-window} in flight each) connected to the nodes in turn; msgs/s and the
 *       CPU of all nodes per message;</li>
 *   <li>{@code js-fetch-r3}, {@code js-wq-r3}, {@code js-interest-r3}: an R3 file stream with limits, work-queue or
 *       interest retention and a durable pull consumer, filled with {@code --msgs} messages through the first node
 *       (not measured), then drained by {@code js-fetch}'s fetcher on the first node, every message acked; see
 *       {@link #fetch};</li>
 *   <li>{@code js-failover}: one client publishes synchronously, on a node that does not lead the stream; after
 *       100 acknowledged publishes the leader's process is killed (SIGKILL) and the client retries until a
 *       publish is acknowledged again: the milliseconds from the kill to that ack.</li>
 * </ul>
 * Each run first waits (up to 60 s) for JetStream's meta leader and its peers (creating the stream is retried while
 * the answer is 10008 "temporarily unavailable", 10005 "no suitable peers" or missing), then until the stream has a
 * leader and every other replica is current.
 */
final class ClusterJsBench {

    private static final long SETUP_NANOS = 60_000_000_000L;
    /** How long a publish of the failover client waits for its ack before it is sent again. */
    private static final long ATTEMPT_NANOS = 250_000_000L;
    private static final long FAILOVER_LIMIT_NANOS = 120_000_000_000L;
    private static final int BEFORE_KILL = 100;
    /** How long a work-queue or interest stream may take to drop the acknowledged messages after the last ack. */
    private static final long DRAIN_NANOS = 10_000_000_000L;

    private ClusterJsBench() {
    }

    static Result run(BenchConfig cfg, ClusterNodes cluster) throws Exception {
        // The set-up (meta leader, stream, replicas) has its own limit on top of the run's.
        RunControl control = new RunControl(cfg.durationLimitSeconds() + SETUP_NANOS / 1_000_000_000L);
        try {
            return cfg.scenario() == Scenario.JS_FAILOVER ? failover(cfg, cluster, control)
                    : cfg.scenario().fetchR3() ? fetch(cfg, cluster, control)
                    : publish(cfg, cluster, control);
        } catch (JsApi.UnavailableException | java.io.IOException e) {
            return Result.failed(label(cfg), cfg.size(), e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    /** The run's name in tables: {@code js-pub-r3:<pubs>} (1 and 16 publishers are separate rows). */
    static String label(BenchConfig cfg) {
        return cfg.scenario() == Scenario.JS_PUB_R3 ? cfg.scenario().cliName() + ":" + cfg.pubs()
                : cfg.scenario().cliName();
    }

    private static Result publish(BenchConfig cfg, ClusterNodes cluster, RunControl control) throws Exception {
        List<ClusterNodes.Node> nodes = cluster.nodes();
        String name = label(cfg);
        byte[] payload = Protocol.payload(cfg.size());
        try (JsApi api = JsApi.open(nodes.get(0).address(), control)) {
            String[] s = createReplicated(cfg, api, control, nodes.size());
            List<AckedPublisher> pubs = new ArrayList<>();
            try {
                long probes = awaitStreamInterest(nodes, s[1] + ".probe", payload, control);
                for (int i = 0; i < cfg.pubs(); i++) {
                    String subject = s[1] + ".p" + i;
                    pubs.add(AckedPublisher.open(nodes.get(i % nodes.size()).address(), "js-pub-r3-" + i, control,
                            k -> subject, 1, payload, cfg.js().ackWindow()));
                }
                long[] counts = new long[pubs.size()];
                for (int i = 0; i < pubs.size(); i++) {
                    counts[i] = cfg.share(i, pubs.size());
                }
                ClusterBench.ClusterCpu cpu = new ClusterBench.ClusterCpu(cluster);
                long start = System.nanoTime();
                long end = start;
                try {
                    end = AckedPublisherLoop.run(pubs, counts, control);
                } catch (Exception e) {
                    control.fail(e);
                }
                long acks = 0;
                long refused = 0;
                String firstError = null;
                for (AckedPublisher p : pubs) {
                    acks += p.acks();
                    refused += p.errors() + p.noResponders();
                    firstError = firstError != null ? firstError
                            : p.firstError() != null ? p.firstError()
                            : p.noResponders() > 0 ? "no responders (503)" : null;
                }
                Map<String, Number> m = new LinkedHashMap<>();
                m.put("msgs", acks);
                m.put("pubs", pubs.size());
                m.put("ack_window", cfg.js().ackWindow());
                String note = control.reason();
                Rates.put(m, acks, cfg.size(), (note == null ? end : System.nanoTime()) - start);
                cpu.finish(m, acks, 0);
                m.put("errors", refused);
                if (note == null && refused > 0) {
                    note = refused + " publishes were refused, the first: " + firstError;
                }
                note = note != null ? note : JsBench.checkStored(api, s[0], acks + probes);
                return new Result(name, cfg.size(), note == null, note, m);
            } finally {
                pubs.forEach(AckedPublisher::close);
                api.deleteStream(s[0]);
            }
        }
    }

    /**
     * The R3 fetch scenarios. msgs/s is measured to the last ack (the server has read it). With work-queue and
     * interest retention every ack removes its message, and that removal may run after the ack (a clustered server
     * replicates it): the CPU window then ends only when the stream reports no message left (polled every 10 ms,
     * at most {@link #DRAIN_NANOS}; {@code drain_ms} is the time from the last ack), and a stream that is not empty
     * by then fails the run. With limits retention the window ends at the last ack and the consumer must have no
     * ack pending afterwards.
     */
    private static Result fetch(BenchConfig cfg, ClusterNodes cluster, RunControl control) throws Exception {
        List<ClusterNodes.Node> nodes = cluster.nodes();
        String name = cfg.scenario().cliName();
        String retention = cfg.scenario().retention();
        boolean removesAcked = !retention.equals("limits");
        long n = cfg.msgs();
        try (JsApi api = JsApi.open(nodes.get(0).address(), control)) {
            String[] s = createReplicated(cfg, api, control, nodes.size(), retention);
            try {
                String durable = "C";
                // Before the fill: an interest stream without consumers keeps nothing.
                JsFetch.createConsumer(api, s[0], durable, cfg.js().batch());
                JsFetch.fill(nodes.get(0).address(), s[1] + ".x", n, Protocol.payload(cfg.size()), control);
                try (JsFetch.Fetcher f = new JsFetch.Fetcher(nodes.get(0).address(), s[0], durable, control)) {
                    ClusterBench.ClusterCpu cpu = new ClusterBench.ClusterCpu(cluster);
                    long start = System.nanoTime();
                    try {
                        f.fetch(n, cfg.js().batch());
                    } catch (java.io.IOException e) {
                        control.fail(e);
                    }
                    long acked = System.nanoTime();
                    String note = control.reason();
                    long left = -1;
                    long drained = acked;
                    if (note == null && removesAcked) {
                        left = awaitEmpty(api, s[0], control);
                        drained = System.nanoTime();
                    }
                    Map<String, Number> m = new LinkedHashMap<>();
                    m.put("msgs", f.received());
                    m.put("batch", cfg.js().batch());
                    Rates.put(m, f.received(), cfg.size(), acked - start);
                    cpu.finish(m, f.received(), 0);
                    if (note == null && removesAcked) {
                        m.put("drain_ms", (drained - acked) / 1_000_000);
                        m.put("stream_msgs_after", left);
                        note = left == 0 ? null : "the " + retention + " stream still holds " + left
                                + " messages " + DRAIN_NANOS / 1_000_000_000L + " s after the last ack";
                    } else if (note == null) {
                        long pending = JsFetch.awaitAcked(api, s[0], durable, control);
                        m.put("ack_pending_after", pending);
                        note = pending == 0 ? null : pending + " acks still pending on the consumer after 2 s";
                    }
                    return new Result(name, cfg.size(), note == null, note, m);
                }
            } finally {
                api.deleteStream(s[0]);
            }
        }
    }

    /** Polls the stream's info every 10 ms until it holds no message (at most {@link #DRAIN_NANOS}); the last count. */
    private static long awaitEmpty(JsApi api, String stream, RunControl control) throws Exception {
        long deadline = System.nanoTime() + DRAIN_NANOS;
        while (true) {
            long left = Json.longField(api.request("$JS.API.STREAM.INFO." + stream, "").body(), "messages", -1);
            if (left == 0 || System.nanoTime() - deadline > 0 || control.shouldStop()) {
                return left;
            }
            Thread.sleep(10);
        }
    }

    /**
     * Publishes one message on every node until each is acknowledged: the stream leader's interest in the subjects
     * has reached every node, so no measured publish meets "no responders".
     *
     * @return the messages this stored
     */
    private static long awaitStreamInterest(List<ClusterNodes.Node> nodes, String subject, byte[] payload,
            RunControl control) throws Exception {
        long stored = 0;
        for (ClusterNodes.Node node : nodes) {
            stored += awaitStreamInterest(node.address(), "node " + node.name(), subject, payload, control);
        }
        return stored;
    }

    /** Publishes one message through the server at {@code address} until it is acknowledged; returns 1. */
    static long awaitStreamInterest(NatsAddress address, String name, String subject, byte[] payload,
            RunControl control) throws Exception {
        String body = new String(payload, java.nio.charset.StandardCharsets.US_ASCII);
        try (JsApi api = JsApi.open(address, control)) {
            long deadline = System.nanoTime() + SETUP_NANOS;
            while (true) {
                JsApi.Reply r = api.request(subject, body, ATTEMPT_NANOS);
                if (r.status() == 0 && r.problem(subject) == null) {
                    return 1;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new JsApi.UnavailableException("no ack from " + name + " within 60 s: "
                            + r.problem(subject));
                }
                Thread.sleep(20);
            }
        }
    }

    private static Result failover(BenchConfig cfg, ClusterNodes cluster, RunControl control) throws Exception {
        List<ClusterNodes.Node> nodes = cluster.nodes();
        String[] s;
        StreamCluster before;
        try (JsApi api = JsApi.open(nodes.get(0).address(), control)) {
            s = createReplicated(cfg, api, control, nodes.size());
            before = StreamCluster.parse(api.require("$JS.API.STREAM.INFO." + s[0], ""));
        }
        ClusterNodes.Node leader = cluster.named(before.leader());
        if (leader == null) {
            return Result.failed("js-failover", cfg.size(), "the stream's leader '" + before.leader()
                    + "' is none of the nodes");
        }
        ClusterNodes.Node client = nodes.stream().filter(n -> n != leader).findFirst().orElseThrow();
        String subject = s[1] + ".f";
        String body = new String(Protocol.payload(cfg.size()), java.nio.charset.StandardCharsets.US_ASCII);
        try (JsApi pub = JsApi.open(client.address(), control)) {
            awaitStreamInterest(List.of(client), subject, Protocol.payload(cfg.size()), control);
            for (int i = 0; i < BEFORE_KILL; i++) {
                String problem = pub.request(subject, body).problem(subject);
                if (problem != null) {
                    return Result.failed("js-failover", cfg.size(), "before the kill: " + problem);
                }
            }
            Outcome o = new Outcome();
            long killed = System.nanoTime();
            cluster.kill(leader);
            long acked = -1;
            while (System.nanoTime() - killed < FAILOVER_LIMIT_NANOS) {
                control.check("publishing after the leader was killed");
                JsApi.Reply r = pub.request(subject, body, ATTEMPT_NANOS);
                o.count(r, subject);
                if (r.status() == 0 && r.problem(subject) == null) {
                    acked = System.nanoTime();
                    break;
                }
                if (r.status() >= 0) {
                    Thread.sleep(10); // refused at once: do not spin
                }
            }
            Map<String, Number> m = new LinkedHashMap<>();
            m.put("failover_ms", acked < 0 ? -1 : (acked - killed) / 1e6);
            m.put("attempts", o.attempts);
            m.put("timeouts", o.timeouts);
            m.put("no_responders", o.noResponders);
            m.put("errors", o.errors);
            if (acked < 0) {
                return new Result("js-failover", cfg.size(), false, "no publish acknowledged within 120 s of the kill;"
                        + " the last answer: " + o.last, m);
            }
            // The new leader may answer stream info a moment after its first ack: asked a few times, not measured.
            String next = null;
            for (int i = 0; i < 10 && next == null; i++) {
                next = StreamCluster.parse(pub.request("$JS.API.STREAM.INFO." + s[0], "", 1_000_000_000L).body())
                        .leader();
            }
            return new Result("js-failover", cfg.size(), true, "killed " + leader.name() + ", new leader " + next, m);
        }
    }

    /** What the failover client's attempts were answered. */
    private static final class Outcome {
        long attempts;
        long timeouts;
        long noResponders;
        long errors;
        String last = "none";

        void count(JsApi.Reply r, String subject) {
            attempts++;
            if (r.status() < 0) {
                timeouts++;
            } else if (r.status() == 503) {
                noResponders++;
            } else if (r.problem(subject) != null) {
                errors++;
            }
            String problem = r.problem(subject);
            last = problem != null ? problem : "ack";
        }
    }

    /**
     * Creates an R{@code replicas} file stream {@code BENCH_<id>} over {@code js.<id>.>} once the meta group has a
     * leader, and waits until the stream has a leader and all replicas current; returns {@code {name, base}}.
     */
    static String[] createReplicated(BenchConfig cfg, JsApi api, RunControl control, int replicas)
            throws Exception {
        return createReplicated(cfg, api, control, replicas, "limits");
    }

    /** The same with a retention policy ({@code limits}, {@code workqueue}, {@code interest}). */
    static String[] createReplicated(BenchConfig cfg, JsApi api, RunControl control, int replicas, String retention)
            throws Exception {
        String base = Subjects.unique("js");
        String stream = "BENCH_" + base.substring(base.indexOf('.') + 1);
        String subject = "$JS.API.STREAM.CREATE." + stream;
        String config = JsConfigs.stream(stream, base + ".>", "file", replicas, retention);
        long deadline = System.nanoTime() + SETUP_NANOS;
        while (true) {
            control.check("creating the R" + replicas + " stream");
            JsApi.Reply r = api.request(subject, config);
            String problem = r.problem(subject);
            // A create that timed out may have been done: the same config again answers as created (Go).
            if (problem == null) {
                long made = Json.longField(r.body(), "num_replicas", -1);
                if (made != replicas) {
                    throw new JsApi.UnavailableException("asked for " + replicas + " replicas, the server created "
                            + made + ": " + r.body());
                }
                break;
            }
            // A cluster just started: no meta leader yet (10008), or its peers not yet all seen online (10005).
            boolean notYet = r.status() < 0 || problem.contains("temporarily unavailable")
                    || problem.contains("no suitable peers");
            if (!notYet || System.nanoTime() - deadline > 0) {
                throw new JsApi.UnavailableException(problem);
            }
            Thread.sleep(250);
        }
        while (true) {
            JsApi.Reply r = api.request("$JS.API.STREAM.INFO." + stream, "", 1_000_000_000L);
            if (r.problem(stream) == null && StreamCluster.parse(r.body()).ready(replicas)) {
                return new String[] {stream, base};
            }
            if (System.nanoTime() - deadline > 0 || control.shouldStop()) {
                throw new JsApi.UnavailableException("the stream had no leader with all replicas current within"
                        + " 60 s: " + (r.status() < 0 ? "no answer" : r.body()));
            }
            Thread.sleep(100);
        }
    }
}
