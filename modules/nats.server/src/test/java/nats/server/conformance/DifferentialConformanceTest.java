package nats.server.conformance;

import static nats.server.conformance.WireScript.named;
import nats.testing.GoServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

import nats.server.NatsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential tests: the same byte script is played against the Go reference server and against jnatsd,
 * and the normalised transcripts (what each server sent, and whether it closed the connection) must be
 * identical. Skipped when the Go binary is not installed.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class DifferentialConformanceTest {

    /** CONNECT without acknowledgements, the common prelude. */
    static final String C = "CONNECT {\"verbose\":false}\r\n";
    static final String CH = "CONNECT {\"verbose\":false,\"headers\":true}\r\n";
    static final String PING = "PING\r\n";

    static final ServerConfig DEFAULT = ServerConfig.defaults();
    static final ServerConfig MAX_PAYLOAD_512 = ServerConfig.defaults().named("max_payload=512").withMaxPayload(512);
    static final ServerConfig MAX_CONTROL_LINE_256 = ServerConfig.defaults().named("max_control_line=256")
            .withMaxControlLine(256);
    static final ServerConfig MAX_SUBS_2 = ServerConfig.defaults().named("max_subscriptions=2").withMaxSubs(2);
    static final ServerConfig MAX_CONN_1 = ServerConfig.defaults().named("max_connections=1").withMaxConnections(1);
    static final ServerConfig TOKEN = ServerConfig.defaults().named("token").withToken("s3cr3t");
    static final ServerConfig USER_PASS = ServerConfig.defaults().named("user/pass").withUser("alice", "wonderland");
    static final ServerConfig TOKEN_AUTH_TIMEOUT_1S = ServerConfig.defaults().named("token,auth_timeout=1s")
            .withToken("s3cr3t").withAuthTimeout(Duration.ofSeconds(1));
    static final ServerConfig PING_1S = ServerConfig.defaults().named("ping_interval=1s,ping_max=1")
            .withPing(Duration.ofSeconds(1), 1);

    /** A configuration, its cases, and how many server pairs run them concurrently. */
    record Group(ServerConfig config, Supplier<Stream<WireScript>> cases, int workers) {
    }

    static final List<Group> GROUPS = List.of(
            new Group(DEFAULT, DifferentialConformanceTest::defaultCases, 10),
            new Group(MAX_PAYLOAD_512, DifferentialConformanceTest::maxPayloadCases, 1),
            new Group(MAX_CONTROL_LINE_256, DifferentialConformanceTest::maxControlLineCases, 1),
            new Group(MAX_SUBS_2, DifferentialConformanceTest::maxSubsCases, 1),
            new Group(MAX_CONN_1, DifferentialConformanceTest::maxConnectionsCases, 1),
            new Group(TOKEN, DifferentialConformanceTest::tokenCases, 2),
            new Group(USER_PASS, DifferentialConformanceTest::userPassCases, 2),
            new Group(TOKEN_AUTH_TIMEOUT_1S, DifferentialConformanceTest::authTimeoutCases, 2),
            new Group(PING_1S, DifferentialConformanceTest::pingCases, 1));

    /** Both transcripts of one case. */
    record Outcome(String go, String java) {
    }

    private static final List<Pair> PAIRS = new CopyOnWriteArrayList<>();
    /** Per configuration name, per case name: the outcome, computed in the background. */
    private static final Map<String, Map<String, CompletableFuture<Outcome>>> RESULTS = new ConcurrentHashMap<>();
    private static ExecutorService pool;

    /** A Go server and a jnatsd server started with the same configuration. */
    record Pair(GoServer go, NatsServer java) {
    }

    /**
     * Starts all cases at once. Each worker owns one server pair and plays its cases one after the other,
     * so concurrently running cases never share a server (no cross-talk between subjects or limits), and the
     * whole set takes seconds instead of a minute of quiet periods.
     */
    @BeforeAll
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    static void setUp() {
        assumeTrue(GoServer.available(), "Go nats-server not installed at " + GoServer.BINARY);
        pool = Executors.newVirtualThreadPerTaskExecutor();
        for (Group group : GROUPS) {
            Map<String, CompletableFuture<Outcome>> futures = new LinkedHashMap<>();
            ConcurrentLinkedQueue<WireScript> queue = new ConcurrentLinkedQueue<>();
            for (WireScript script : group.cases().get().toList()) {
                if (futures.put(script.name, new CompletableFuture<>()) != null) {
                    throw new IllegalStateException("duplicate case name " + script.name);
                }
                queue.add(script);
            }
            RESULTS.put(group.config().name(), futures);
            for (int w = 0; w < group.workers(); w++) {
                pool.submit(() -> work(group.config(), queue, futures));
            }
        }
    }

    private static void work(ServerConfig config, ConcurrentLinkedQueue<WireScript> queue,
                             Map<String, CompletableFuture<Outcome>> futures) {
        Pair pair;
        try {
            pair = new Pair(GoServer.start(config::goConfig), NatsServer.start(config.javaOptions()));
            PAIRS.add(pair);
        } catch (Exception e) {
            for (WireScript s; (s = queue.poll()) != null; ) {
                futures.get(s.name).completeExceptionally(e);
            }
            return;
        }
        for (WireScript script; (script = queue.poll()) != null; ) {
            CompletableFuture<Outcome> future = futures.get(script.name);
            try {
                WireScript s = script;
                CompletableFuture<WireRunner.Result> go = CompletableFuture.supplyAsync(
                        () -> run(pair.go().port(), s), pool);
                WireRunner.Result java = run(pair.java().port(), s);
                future.complete(new Outcome(go.get().transcript(), java.transcript()));
            } catch (Throwable t) {
                future.completeExceptionally(t);
            }
        }
    }

    @AfterAll
    static void tearDown() {
        for (Pair p : PAIRS) {
            p.java().shutdown();
            p.go().close();
        }
        PAIRS.clear();
        RESULTS.clear();
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /** Compares the normalised transcripts of the Go server (expected) and jnatsd (actual) for one case. */
    static void compare(ServerConfig config, WireScript script) throws Exception {
        Outcome o = RESULTS.get(config.name()).get(script.name).get(18, TimeUnit.SECONDS);
        assertEquals(o.go(), o.java(), "differential case '" + script.name + "' (config " + config.name()
                + "): Go transcript (expected) vs jnatsd transcript (actual)");
    }

    private static WireRunner.Result run(int port, WireScript script) {
        try {
            return WireRunner.run(port, script);
        } catch (Exception e) {
            throw new IllegalStateException("running " + script.name + " on port " + port, e);
        }
    }

    // ---- frame helpers ---------------------------------------------------------------------------------

    static String pub(String subject, String payload) {
        return "PUB " + subject + " " + payload.length() + "\r\n" + payload + "\r\n";
    }

    static String pub(String subject, String reply, String payload) {
        return "PUB " + subject + " " + reply + " " + payload.length() + "\r\n" + payload + "\r\n";
    }

    static String hpub(String subject, String reply, String headers, String payload) {
        int hdr = headers.length();
        int total = hdr + payload.length();
        return "HPUB " + subject + (reply == null ? "" : " " + reply) + " " + hdr + " " + total + "\r\n" + headers
                + payload + "\r\n";
    }

    static String repeat(String s, int n) {
        return s.repeat(n);
    }

    // ---- cases: default configuration ------------------------------------------------------------------

    static Stream<WireScript> defaultCases() {
        List<WireScript> cases = new ArrayList<>();
        // CONNECT and PING
        cases.add(named("connect_verbose_true").send("CONNECT {\"verbose\":true}\r\nPING\r\n"));
        cases.add(named("connect_verbose_false").send(C + PING));
        cases.add(named("connect_verbose_absent").send("CONNECT {}\r\nPING\r\n"));
        cases.add(named("connect_without_space").send("CONNECT{\"verbose\":false}\r\nPING\r\n"));
        cases.add(named("connect_unknown_fields").send(
                "CONNECT {\"verbose\":false,\"lang\":\"go\",\"version\":\"1.0\",\"name\":\"x\",\"foo\":[1,{\"a\":2}]}\r\nPING\r\n"));
        cases.add(named("connect_invalid_json").send("CONNECT {bad json\r\nPING\r\n"));
        cases.add(named("connect_wrong_field_type").send("CONNECT {\"verbose\":\"yes\"}\r\nPING\r\n"));
        cases.add(named("connect_protocol_1").send("CONNECT {\"verbose\":false,\"protocol\":1}\r\nPING\r\n"));
        cases.add(named("connect_protocol_2").send("CONNECT {\"verbose\":false,\"protocol\":2}\r\nPING\r\n"));
        cases.add(named("connect_split_in_chunks").sendInChunks(
                "CONNECT {\"verbose\":true,\"name\":\"chunky\"}\r\nPING\r\n", 3, 10));
        cases.add(named("ping_before_connect").send(PING));
        cases.add(named("ping_lowercase").send(C + "ping\r\n"));
        cases.add(named("ping_with_trailing_text").send(C + "PING foo\r\n"));
        cases.add(named("pong_from_client").send(C + "PONG\r\nPING\r\n"));
        cases.add(named("ping_lf_only").send(C + "PING\n"));
        cases.add(named("pub_before_connect").send("SUB foo 1\r\n" + pub("foo", "hi") + PING));
        // case and separators
        cases.add(named("ops_mixed_case").send(C + "sUb foo 1\r\nPub foo 2\r\nhi\r\npInG\r\n"));
        cases.add(named("connect_lowercase").send("connect {\"verbose\":true}\r\nping\r\n"));
        cases.add(named("tabs_as_separators").send(
                "CONNECT\t{\"verbose\":false}\r\nSUB\tfoo\t1\r\nPUB\tfoo\t2\r\nhi\r\nPING\r\n"));
        cases.add(named("extra_spaces").send(C + "SUB   foo    1  \r\nPUB  foo   bar   2 \r\nhi\r\nPING\r\n"));
        cases.add(named("lf_without_cr").send(C + "SUB foo 1\nPUB foo 2\nhi\r\nPING\n"));
        // delivery
        cases.add(named("pub_sub_msg").send(C + "SUB foo 1\r\n" + pub("foo", "hello") + PING));
        cases.add(named("pub_with_reply").send(C + "SUB foo 1\r\n" + pub("foo", "bar.reply", "hello") + PING));
        // Reserved prefixes (Go's hasGWRoutedReplyPrefix and isReservedReply): clients may not publish to the
        // gateway reply prefix, nor use it or JetStream's ack prefix as a reply (only longer than the prefix)
        cases.add(named("pub_gateway_prefix_refused").send(C + "SUB _GR_.> 1\r\n" + pub("_GR_.abc", "hi") + PING));
        cases.add(named("pub_gateway_prefix_alone").send(C + "SUB _GR_. 1\r\n" + pub("_GR_.", "hi") + PING));
        cases.add(named("reply_gateway_prefix_refused").send(
                C + "SUB foo 1\r\n" + pub("foo", "_GR_.abcdef.ghijkl.in.1", "hi") + PING));
        cases.add(named("reply_gateway_prefix_alone").send(C + "SUB foo 1\r\n" + pub("foo", "_GR_.", "hi") + PING));
        cases.add(named("reply_js_ack_refused").send(C + "SUB foo 1\r\n" + pub("foo", "$JS.ACK.s.c.1", "hi") + PING));
        cases.add(named("reply_js_ack_alone").send(C + "SUB foo 1\r\n" + pub("foo", "$JS.ACK.", "hi") + PING));
        cases.add(named("pub_zero_length").send(C + "SUB foo 1\r\nPUB foo 0\r\n\r\n" + PING));
        cases.add(named("payload_contains_crlf").send(C + "SUB foo 1\r\n" + pub("foo", "ab\r\nPING\r\ncd") + PING));
        cases.add(named("payload_binary").send(0, (C + "SUB foo 1\r\nPUB foo 4\r\n").getBytes(StandardCharsets.ISO_8859_1))
                .send(0, new byte[] {0, (byte) 0xff, '\r', '\n', '\r', '\n'}).send(PING));
        cases.add(named("verbose_acks_everything").send(
                "CONNECT {\"verbose\":true}\r\nSUB foo 1\r\n" + pub("foo", "hi") + "UNSUB 1\r\nPING\r\n"));
        cases.add(named("sub_without_pub_no_msg").send(C + "SUB foo 1\r\n" + pub("bar", "hi") + PING));
        cases.add(named("queue_subscription").send(C + "SUB foo q 1\r\nSUB foo 2\r\n" + pub("foo", "hi") + PING));
        cases.add(named("queue_groups_on_different_nodes").send(
                C + "SUB foo.bar q1 1\r\nSUB foo.* q2 2\r\nSUB foo.> 3\r\n" + pub("foo.bar", "hi") + PING));
        cases.add(named("wildcard_star").send(C + "SUB foo.* 1\r\n" + pub("foo.bar", "1") + pub("foo.bar.baz", "2")
                + pub("foo", "3") + pub("foo.baz", "4") + PING));
        cases.add(named("wildcard_gt").send(C + "SUB foo.> 1\r\n" + pub("foo.bar", "1") + pub("foo.bar.baz", "2")
                + pub("foo", "3") + PING));
        cases.add(named("wildcard_star_middle").send(C + "SUB a.*.c 1\r\n" + pub("a.b.c", "1") + pub("a.b.d", "2")
                + pub("a.c", "3") + pub("a.x.c", "4") + PING));
        cases.add(named("wildcard_order_of_matches").send(C + "SUB foo.* 1\r\nSUB foo.> 2\r\nSUB foo.bar 3\r\nSUB > 4\r\n"
                + pub("foo.bar", "x") + PING));
        cases.add(named("publish_to_wildcard_subject_not_pedantic").send(
                "CONNECT {\"verbose\":false,\"pedantic\":false}\r\nSUB foo.* 1\r\nSUB foo.bar 2\r\n" + pub("foo.*", "x")
                        + PING));
        cases.add(named("unsub").send(C + "SUB foo 1\r\n" + pub("foo", "a") + "UNSUB 1\r\n" + pub("foo", "b") + PING));
        cases.add(named("unsub_with_max").send(C + "SUB foo 1\r\nUNSUB 1 2\r\n" + pub("foo", "a") + pub("foo", "b")
                + pub("foo", "c") + PING));
        cases.add(named("unsub_max_already_reached").send(C + "SUB foo 1\r\n" + pub("foo", "a") + pub("foo", "b")
                + "UNSUB 1 1\r\n" + pub("foo", "c") + PING));
        cases.add(named("unsub_unknown_sid_verbose").send("CONNECT {\"verbose\":true}\r\nUNSUB 99\r\nPING\r\n"));
        cases.add(named("unsub_without_space").send(C + "UNSUB\r\nPING\r\n"));
        cases.add(named("unsub_empty_argument").send(C + "UNSUB \r\nPING\r\n"));
        cases.add(named("unsub_too_many_arguments").send(C + "SUB foo 1\r\nUNSUB 1 2 3\r\nPING\r\n"));
        cases.add(named("duplicate_sid").send(C + "SUB foo 1\r\nSUB bar 1\r\n" + pub("foo", "a") + pub("bar", "b") + PING));
        cases.add(named("duplicate_sid_verbose").send("CONNECT {\"verbose\":true}\r\nSUB foo 1\r\nSUB bar 1\r\nPING\r\n"));
        cases.add(named("sub_missing_sid").send(C + "SUB foo\r\nPING\r\n"));
        cases.add(named("sub_too_many_arguments").send(C + "SUB foo q 1 extra\r\nPING\r\n"));
        // headers
        cases.add(named("hpub_hmsg").send(CH + "SUB foo 1\r\n" + hpub("foo", null, "NATS/1.0\r\nA: b\r\n\r\n", "hello")
                + PING));
        cases.add(named("hpub_hmsg_with_reply").send(CH + "SUB foo 1\r\n"
                + hpub("foo", "rep", "NATS/1.0\r\nA: b\r\n\r\n", "hello") + PING));
        cases.add(named("hpub_headers_only").send(CH + "SUB foo 1\r\n" + hpub("foo", null, "NATS/1.0\r\n\r\n", "")
                + PING));
        cases.add(named("hpub_empty_header_block_is_a_msg").send(CH + "SUB foo 1\r\nHPUB foo 0 5\r\nhello\r\n"
                + "HPUB foo rep 0 2\r\nhi\r\n" + PING));
        cases.add(named("hpub_header_size_larger_than_total").send(CH + "HPUB foo 20 10\r\n0123456789\r\nPING\r\n"));
        cases.add(named("hpub_missing_total").send(CH + "HPUB foo 12\r\nPING\r\n"));
        cases.add(named("hpub_without_headers_support").send(C + "SUB foo 1\r\n"
                + hpub("foo", null, "NATS/1.0\r\n\r\n", "hi") + PING));
        cases.add(named("hpub_to_subscriber_without_headers")
                .send(0, C + "SUB foo 1\r\nPING\r\n").await(0, "PONG")
                .send(1, CH + hpub("foo", null, "NATS/1.0\r\nA: b\r\n\r\n", "hello") + PING).await(1, "PONG")
                .send(0, PING));
        // no responders
        cases.add(named("no_responders").send("CONNECT {\"verbose\":false,\"headers\":true,\"no_responders\":true}\r\n"
                + "SUB reply 1\r\n" + pub("nobody", "reply", "hi") + PING));
        cases.add(named("no_responders_wildcard_reply_sub").send(
                "CONNECT {\"verbose\":false,\"headers\":true,\"no_responders\":true}\r\n"
                        + "SUB _INBOX.> 7\r\n" + pub("nobody", "_INBOX.abc", "hi") + PING));
        cases.add(named("no_responders_someone_listening").send(
                "CONNECT {\"verbose\":false,\"headers\":true,\"no_responders\":true}\r\n"
                        + "SUB reply 1\r\nSUB svc 2\r\n" + pub("svc", "reply", "hi") + PING));
        cases.add(named("no_responders_without_reply_sub").send(
                "CONNECT {\"verbose\":false,\"headers\":true,\"no_responders\":true}\r\n" + pub("nobody", "reply", "hi")
                        + PING));
        cases.add(named("no_responders_without_headers").send(
                "CONNECT {\"verbose\":false,\"no_responders\":true}\r\nPING\r\n"));
        // echo
        cases.add(named("echo_false").send("CONNECT {\"verbose\":false,\"echo\":false}\r\nSUB foo 1\r\n"
                + pub("foo", "hi") + PING));
        cases.add(named("echo_false_other_connection_receives")
                .send(1, C + "SUB foo 1\r\nPING\r\n").await(1, "PONG")
                .send(0, "CONNECT {\"verbose\":false,\"echo\":false}\r\nSUB foo 1\r\n" + pub("foo", "hi") + PING)
                .await(0, "PONG").send(1, PING));
        cases.add(named("cross_connection_delivery_with_reply")
                .send(0, C + "SUB req.* 5\r\nPING\r\n").await(0, "PONG")
                .send(1, C + pub("req.a", "inbox.1", "question") + PING).await(1, "PONG")
                .send(0, PING));
        // pedantic and subjects
        cases.add(named("pedantic_invalid_publish_subject").send(
                "CONNECT {\"verbose\":false,\"pedantic\":true}\r\n" + pub("foo..bar", "hi") + PING));
        cases.add(named("pedantic_wildcard_publish_subject").send(
                "CONNECT {\"verbose\":false,\"pedantic\":true}\r\nSUB foo.* 1\r\n" + pub("foo.*", "hi") + PING));
        cases.add(named("not_pedantic_invalid_publish_subject").send(
                "CONNECT {\"verbose\":false,\"pedantic\":false}\r\n" + pub("foo..bar", "hi") + PING));
        cases.add(named("invalid_sub_subject_empty_token").send(C + "SUB foo..bar 1\r\nPING\r\n"));
        cases.add(named("invalid_sub_subject_gt_not_last").send(C + "SUB foo.>.bar 1\r\nPING\r\n"));
        cases.add(named("invalid_sub_subject_leading_dot").send(C + "SUB .foo 1\r\nPING\r\n"));
        cases.add(named("invalid_sub_subject_trailing_dot").send(C + "SUB foo. 1\r\nPING\r\n"));
        cases.add(named("invalid_sub_subject_pedantic_verbose").send(
                "CONNECT {\"verbose\":true,\"pedantic\":true}\r\nSUB foo..bar 1\r\nSUB foo.bar 2\r\nPING\r\n"));
        cases.add(named("sub_token_containing_gt").send(C + "SUB foo.>bar 1\r\n" + pub("foo.>bar", "x") + PING));
        // errors and garbage
        cases.add(named("unknown_operation").send(C + "FOO bar\r\nPING\r\n"));
        cases.add(named("unknown_operation_before_connect").send("FOO bar\r\n"));
        cases.add(named("garbage_bytes").send(0, new byte[] {0, 1, 2, (byte) 0xff, (byte) 0xfe, '\r', '\n'}));
        cases.add(named("crlf_alone").send("\r\n"));
        cases.add(named("crlf_alone_after_connect").send(C + "\r\n"));
        cases.add(named("client_sends_msg").send(C + "MSG foo 1 2\r\nhi\r\n"));
        cases.add(named("client_sends_plus_ok").send(C + "+OK\r\nPING\r\n"));
        cases.add(named("client_sends_minus_err").send(C + "-ERR 'oops'\r\nPING\r\n"));
        cases.add(named("client_sends_info").send(C + "INFO {\"server_id\":\"x\"}\r\nPING\r\n"));
        cases.add(named("client_sends_info_invalid_json").send(C + "INFO {nope\r\nPING\r\n"));
        cases.add(named("pub_missing_size").send(C + "PUB foo\r\nPING\r\n"));
        cases.add(named("pub_negative_size").send(C + "PUB foo -1\r\nPING\r\n"));
        cases.add(named("pub_non_numeric_size").send(C + "PUB foo abc\r\nPING\r\n"));
        cases.add(named("pub_size_overflow").send(C + "PUB foo 99999999999999999999\r\nPING\r\n"));
        cases.add(named("pub_too_many_arguments").send(C + "PUB foo bar baz 2\r\nhi\r\nPING\r\n"));
        cases.add(named("pub_without_space").send(C + "PUBfoo 2\r\nhi\r\n"));
        cases.add(named("payload_longer_than_declared").send(C + "SUB foo 1\r\nPUB foo 2\r\nhello\r\nPING\r\n"));
        cases.add(named("payload_terminated_by_lf_only").send(C + "SUB foo 1\r\nPUB foo 2\r\nhi\nPING\r\n"));
        cases.add(named("payload_shorter_than_declared_then_completed").send(C + "SUB foo 1\r\nPUB foo 10\r\nhi\r\n")
                .send("PING\r\n").send("\r\n" + PING));
        // split frames
        cases.add(named("payload_one_byte_at_a_time").send(C + "SUB foo 1\r\n")
                .sendInChunks("PUB foo bar 11\r\nhello world\r\nPING\r\n", 1, 3));
        cases.add(named("everything_one_byte_at_a_time").sendInChunks(
                "CONNECT {\"verbose\":true,\"headers\":true}\r\nSUB foo 1\r\n"
                        + hpub("foo", "r", "NATS/1.0\r\n\r\n", "hey") + "UNSUB 1\r\nPING\r\n", 1, 1));
        cases.add(named("pub_split_in_control_line").send(C + "SUB foo.bar 1\r\n")
                .sendSplitAt(pub("foo.bar", "reply.x", "payload") + PING, 3, 9, 17, 25));
        cases.add(named("pub_split_before_crlf").send(C + "SUB foo 1\r\n")
                .sendSplitAt(pub("foo", "payload") + PING, 11, 18, 19));
        cases.add(named("sub_split_across_writes").sendSplitAt(C + "SUB foo.bar.baz 42\r\n" + pub("foo.bar.baz", "x")
                + PING, C.length() + 5, C.length() + 14));
        StringBuilder many = new StringBuilder(C + "SUB foo.* 1\r\n");
        for (int i = 0; i < 200; i++) {
            many.append(pub("foo." + (i % 7), "m" + i));
        }
        cases.add(named("many_frames_one_write").send(many + PING));
        String big = "x".repeat(200_000);
        cases.add(named("large_payload").send(C + "SUB foo 1\r\n" + pub("foo", big) + PING));
        // limits at defaults
        cases.add(named("max_payload_exceeded_default").send(C + "PUB foo 1048577\r\n"));
        cases.add(named("max_payload_exceeded_hpub_default").send(CH + "HPUB foo 10 1048577\r\n"));
        cases.add(named("max_control_line_exceeded_default").send(C + "SUB " + "a".repeat(5000) + " 1\r\nPING\r\n"));
        cases.add(named("max_control_line_exceeded_pub_default").send(C + "PUB " + "b".repeat(5000) + " 1\r\nx\r\n"));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("defaultCases")
    void defaultConfig(WireScript script) throws Exception {
        compare(DEFAULT, script);
    }

    // ---- cases: limits ---------------------------------------------------------------------------------

    static Stream<WireScript> maxPayloadCases() {
        return Stream.of(
                named("max_payload_512_info").send(C + PING),
                named("max_payload_512_exact").send(C + "SUB foo 1\r\n" + pub("foo", "p".repeat(512)) + PING),
                named("max_payload_512_exceeded").send(C + "SUB foo 1\r\n" + pub("foo", "p".repeat(513)) + PING),
                named("max_payload_512_exceeded_hpub").send(CH + "HPUB foo 12 513\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("maxPayloadCases")
    void maxPayloadConfig(WireScript script) throws Exception {
        compare(MAX_PAYLOAD_512, script);
    }

    static Stream<WireScript> maxControlLineCases() {
        return Stream.of(
                named("max_control_line_256_within").send(C + "SUB " + "s".repeat(200) + " 1\r\nPING\r\n"),
                named("max_control_line_256_exceeded_one_write").send(C + "SUB " + "s".repeat(300) + " 1\r\nPING\r\n"),
                named("max_control_line_256_exceeded_split").send(C)
                        .sendInChunks("SUB " + "s".repeat(300) + " 1\r\nPING\r\n", 100, 20),
                named("max_control_line_256_pub_exceeded_split").send(C)
                        .sendInChunks("PUB " + "s".repeat(300) + " 1\r\nx\r\nPING\r\n", 100, 20));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("maxControlLineCases")
    void maxControlLineConfig(WireScript script) throws Exception {
        compare(MAX_CONTROL_LINE_256, script);
    }

    static Stream<WireScript> maxSubsCases() {
        return Stream.of(
                named("max_subs_exceeded").send(C + "SUB a 1\r\nSUB b 2\r\nSUB c 3\r\n" + pub("c", "x") + pub("a", "y")
                        + PING),
                named("max_subs_exceeded_verbose").send("CONNECT {\"verbose\":true}\r\nSUB a 1\r\nSUB b 2\r\nSUB c 3\r\n"
                        + PING),
                named("max_subs_duplicate_sid_at_limit").send(C + "SUB a 1\r\nSUB b 2\r\nSUB a 2\r\n" + PING),
                named("max_subs_after_unsub").send(C + "SUB a 1\r\nSUB b 2\r\nUNSUB 1\r\nSUB c 3\r\n" + pub("c", "x")
                        + PING));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("maxSubsCases")
    void maxSubscriptionsConfig(WireScript script) throws Exception {
        compare(MAX_SUBS_2, script);
    }

    static Stream<WireScript> maxConnectionsCases() {
        return Stream.of(
                named("max_connections_exceeded").send(0, C + PING).await(0, "PONG").open(1).pause(100)
                        .send(0, PING));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("maxConnectionsCases")
    void maxConnectionsConfig(WireScript script) throws Exception {
        compare(MAX_CONN_1, script);
    }

    // ---- cases: authentication -------------------------------------------------------------------------

    static Stream<WireScript> tokenCases() {
        return Stream.of(
                named("token_good").send("CONNECT {\"verbose\":false,\"auth_token\":\"s3cr3t\"}\r\nPING\r\n"),
                named("token_good_verbose").send("CONNECT {\"verbose\":true,\"auth_token\":\"s3cr3t\"}\r\n"
                        + "SUB foo 1\r\n" + pub("foo", "hi") + PING),
                named("token_bad").send("CONNECT {\"verbose\":false,\"auth_token\":\"wrong\"}\r\nPING\r\n"),
                named("token_missing").send("CONNECT {\"verbose\":false}\r\nPING\r\n"),
                named("token_no_connect_then_pub").send(pub("foo", "hi")),
                named("token_no_connect_then_ping").send(PING),
                named("token_no_connect_then_sub").send("SUB foo 1\r\n"),
                named("token_invalid_json").send("CONNECT {oops\r\nPING\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokenCases")
    void tokenAuthConfig(WireScript script) throws Exception {
        compare(TOKEN, script);
    }

    static Stream<WireScript> userPassCases() {
        return Stream.of(
                named("user_pass_good").send(
                        "CONNECT {\"verbose\":false,\"user\":\"alice\",\"pass\":\"wonderland\"}\r\nPING\r\n"),
                named("user_pass_bad_password").send(
                        "CONNECT {\"verbose\":false,\"user\":\"alice\",\"pass\":\"nope\"}\r\nPING\r\n"),
                named("user_pass_bad_user").send(
                        "CONNECT {\"verbose\":false,\"user\":\"bob\",\"pass\":\"wonderland\"}\r\nPING\r\n"),
                named("user_pass_missing").send("CONNECT {\"verbose\":false}\r\nPING\r\n"),
                named("user_pass_token_instead").send(
                        "CONNECT {\"verbose\":false,\"auth_token\":\"wonderland\"}\r\nPING\r\n"),
                named("user_pass_no_connect_then_pub").send(pub("foo", "hi")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("userPassCases")
    void userPassAuthConfig(WireScript script) throws Exception {
        compare(USER_PASS, script);
    }

    static Stream<WireScript> authTimeoutCases() {
        return Stream.of(
                // Nothing sent: the server gives up after the auth timeout.
                named("auth_timeout_nothing_sent").open(0).quiet(1800).maxWait(4000),
                // A partial CONNECT is not a CONNECT.
                named("auth_timeout_partial_connect").send("CONNECT {\"auth_token\":").quiet(1800).maxWait(4000),
                // Authenticated in time: no timeout.
                named("auth_timeout_connected_in_time").send("CONNECT {\"verbose\":false,\"auth_token\":\"s3cr3t\"}\r\n")
                        .pause(1300).send(PING));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("authTimeoutCases")
    void authTimeoutConfig(WireScript script) throws Exception {
        compare(TOKEN_AUTH_TIMEOUT_1S, script);
    }

    // ---- cases: liveness -------------------------------------------------------------------------------

    static Stream<WireScript> pingCases() {
        // The client never answers PING: the server pings once, then closes the connection as stale.
        return Stream.of(named("stale_connection_never_answers_ping").send(C).quiet(2600).maxWait(6500));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pingCases")
    void pingConfig(WireScript script) throws Exception {
        compare(PING_1S, script);
    }
}
