package nats.server.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import nats.server.testing.BothServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Multi-account behaviour run with jnats against the Go nats-server and this server, both started on the
 * same config file: isolation, stream imports (prefix and {@code to}), service imports with responses,
 * subject mappings. Each scenario writes what the clients observed; the two logs must be equal.
 */
@Timeout(120)
class AccountsDifferentialTest {

    private static final Duration WAIT = Duration.ofMillis(400);

    static final String CONFIG = """
            host: 127.0.0.1
            port: %d
            no_auth_user: a2
            accounts {
              A: {
                users: [ {user: a, password: a}, {user: a2, password: a2},
                         {user: aw, password: aw, allowed_connection_types: ["WEBSOCKET"]},
                         {user: as, password: as, allowed_connection_types: ["standard", "mqtt"]} ]
                exports: [
                  {stream: "public.>"}
                  {stream: "news.*"}
                  {stream: "private.>", accounts: [C]}
                  {service: "help"}
                  {service: "svc.>"}
                  {service: "feed", response: stream, threshold: "5s"}
                  {service: "timed", latency: {sampling: 100%%, subject: "latency.timed"}}
                ]
                mappings: { "orders.*": "orders.new.$1", "split": [{destination: "left", weight: 100%%}] }
              }
              B: {
                users: [ {user: b, password: b} ]
                imports: [
                  {stream: {account: A, subject: "public.>"}, prefix: "from_a"}
                  {stream: {account: A, subject: "news.*"}, to: "a_news.*"}
                  {service: {account: A, subject: "help"}, to: "a.help"}
                  {service: {account: A, subject: "svc.>"}}
                  {service: {account: A, subject: "feed"}}
                  {service: {account: A, subject: "timed"}}
                ]
                exports: [ {service: "a.help"} ]
              }
              C: {
                users: [ {user: c, password: c} ]
                imports: [
                  {stream: {account: A, subject: "private.>"}}
                  {service: {account: B, subject: "a.help"}, to: "c.help"}
                ]
              }
              D: {
                users: [ {user: d, password: d}, {user: d2, password: d2} ]
                limits: { max_connections: 1, max_subscriptions: 1, max_payload: 8 }
              }
            }
            """;

    private static BothServers servers;

    @BeforeAll
    static void startBoth(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        servers = BothServers.start(dir, CONFIG);
    }

    @AfterAll
    static void stopBoth() throws Exception {
        if (servers != null) {
            servers.close();
        }
    }

    interface Scenario {
        void run(int port, List<String> log) throws Exception;
    }

    private static void same(Scenario scenario) throws Exception {
        List<String> expected = new ArrayList<>();
        scenario.run(servers.go().port(), expected);
        List<String> actual = new ArrayList<>();
        scenario.run(servers.ours().port(), actual);
        assertFalse(expected.isEmpty(), "the scenario observed something");
        assertEquals(expected, actual, "observations differ from the Go server's");
    }

    static Connection connect(int port, String user) throws Exception {
        return Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + port).userInfo(user, user)
                .maxReconnects(0).connectionTimeout(Duration.ofSeconds(3)).build());
    }

    private static void drain(Subscription sub, String who, List<String> log) throws InterruptedException {
        Message m;
        while ((m = sub.nextMessage(WAIT)) != null) {
            log.add(who + " got " + m.getSubject() + " '" + new String(m.getData(), StandardCharsets.UTF_8) + "'");
        }
        log.add(who + " done");
    }

    @Test
    void accountsAreIsolated() throws Exception {
        same((port, log) -> {
            try (Connection a = connect(port, "a"); Connection a2 = connect(port, "a2");
                 Connection b = connect(port, "b")) {
                Subscription sub = a.subscribe("foo");
                a.flush(WAIT);
                b.publish("foo", "from b".getBytes());
                a2.publish("foo", "from a2".getBytes());
                b.flush(WAIT);
                a2.flush(WAIT);
                drain(sub, "a", log);
            }
        });
    }

    @Test
    void streamImportsWithPrefixAndTo() throws Exception {
        same((port, log) -> {
            try (Connection a = connect(port, "a"); Connection b = connect(port, "b")) {
                Subscription all = b.subscribe(">");
                Subscription prefixed = b.subscribe("from_a.public.*");
                Subscription news = b.subscribe("a_news.sports");
                b.flush(WAIT);
                for (String s : List.of("public.x", "public.x.y", "news.sports", "news.tech", "private.z", "other")) {
                    a.publish(s, s.getBytes());
                }
                a.flush(WAIT);
                drain(prefixed, "prefixed", log);
                drain(news, "news", log);
                drain(all, "all", log);
            }
        });
    }

    @Test
    void restrictedStreamExportReachesOnlyTheNamedAccount() throws Exception {
        same((port, log) -> {
            try (Connection a = connect(port, "a"); Connection b = connect(port, "b");
                 Connection c = connect(port, "c")) {
                Subscription bs = b.subscribe("private.>");
                Subscription cs = c.subscribe("private.>");
                b.flush(WAIT);
                c.flush(WAIT);
                a.publish("private.data", "secret".getBytes());
                a.flush(WAIT);
                drain(bs, "b", log);
                drain(cs, "c", log);
            }
        });
    }

    @Test
    void chainedServiceImportsKeepTheFirstRequester() throws Exception {
        same((port, log) -> {
            try (Connection a = connect(port, "a"); Connection c = connect(port, "c")) {
                a.createDispatcher(m -> {
                    List<String> infos = m.getHeaders() == null ? List.of()
                            : m.getHeaders().get("Nats-Request-Info");
                    // The round trip varies; the rest is what Go writes.
                    log.add("responder saw " + m.getSubject() + " infos "
                            + (infos == null ? "[]" : infos.stream().map(i -> i.replaceAll(",\"rtt\":\\d+", "")).toList()));
                    a.publish(m.getReplyTo(), ("re: " + new String(m.getData())).getBytes());
                }).subscribe("help");
                a.flush(WAIT);
                Message r = c.request("c.help", "via B".getBytes(), Duration.ofSeconds(2));
                log.add("c got " + (r == null ? "nothing" : new String(r.getData())));
                Message h = c.request(NatsMessage.builder().subject("c.help")
                        .headers(new Headers().add("Nats-Request-Info", "{\"acc\":\"forged\"}")).data("x").build(),
                        Duration.ofSeconds(2));
                log.add("c got " + (h == null ? "nothing" : new String(h.getData())));
            }
        });
    }

    @Test
    void serviceImportsAnswerRequestsAcrossAccounts() throws Exception {
        same((port, log) -> {
            try (Connection a = connect(port, "a"); Connection b = connect(port, "b")) {
                a.createDispatcher(m -> {
                    String info = m.getHeaders() == null ? "none"
                            : String.valueOf(m.getHeaders().getFirst("Nats-Request-Info"));
                    log.add("responder saw " + m.getSubject() + " info acc B: " + info.contains("\"acc\":\"B\"")
                            + " reply reserved: " + m.getReplyTo().startsWith("_R_."));
                    a.publish(m.getReplyTo(), ("re: " + new String(m.getData())).getBytes());
                }).subscribe("help").subscribe("svc.>");
                a.flush(WAIT);
                Message r1 = b.request("a.help", "hi".getBytes(), Duration.ofSeconds(2));
                log.add("b got " + new String(r1.getData()));
                Message r2 = b.request("svc.x.y", "deep".getBytes(), Duration.ofSeconds(2));
                log.add("b got " + new String(r2.getData()));
                Headers h = new Headers().add("X-Mine", "1");
                Message r3 = b.request(NatsMessage.builder().subject("a.help").headers(h).data("hdr").build(),
                        Duration.ofSeconds(2));
                log.add("b got " + new String(r3.getData()));
                try {
                    Message direct = b.request("help", "direct".getBytes(), Duration.ofMillis(500));
                    log.add("direct request answered: " + (direct != null));
                } catch (Exception e) {
                    log.add("direct request failed: " + e.getClass().getSimpleName());
                }
            }
        });
    }

    @Test
    void streamedServiceResponsesAllArrive() throws Exception {
        same((port, log) -> {
            try (Connection a = connect(port, "a"); Connection b = connect(port, "b")) {
                a.createDispatcher(m -> {
                    for (int i = 0; i < 3; i++) {
                        a.publish(m.getReplyTo(), ("part " + i).getBytes());
                    }
                }).subscribe("feed");
                a.flush(WAIT);
                Subscription inbox = b.subscribe("my.inbox");
                b.publish("feed", "my.inbox", "go".getBytes());
                b.flush(WAIT);
                drain(inbox, "inbox", log);
            }
        });
    }

    @Test
    void serviceLatencyIsReportedToTheExporter() throws Exception {
        same((port, log) -> {
            try (Connection a = connect(port, "a"); Connection b = connect(port, "b")) {
                a.createDispatcher(m -> a.publish(m.getReplyTo(), "done".getBytes())).subscribe("timed");
                Subscription metrics = a.subscribe("latency.timed");
                a.flush(WAIT);
                Thread.sleep(2500); // both servers measure the clients' RTT with their first PING
                Message r = b.request("timed", "go".getBytes(), Duration.ofSeconds(2));
                log.add("answered: " + new String(r.getData()));
                Message m = metrics.nextMessage(Duration.ofSeconds(2));
                var json = nats.transport.json.Json.parseObject(new String(m.getData(), StandardCharsets.UTF_8));
                log.add("keys " + json.keySet());
                log.add("type " + json.get("type") + " status " + json.get("status"));
                var requestor = (java.util.Map<?, ?>) json.get("requestor");
                var responder = (java.util.Map<?, ?>) json.get("responder");
                log.add("requestor " + new java.util.TreeSet<>(requestor.keySet().stream().map(String::valueOf).toList())
                        + " acc " + requestor.get("acc"));
                log.add("responder acc " + responder.get("acc") + " kind " + responder.get("kind")
                        + " has id " + responder.containsKey("id") + " has rtt " + responder.containsKey("rtt"));
                for (String k : List.of("service", "system", "total")) {
                    log.add(k + " >= 0: " + (((Number) json.get(k)).longValue() >= 0));
                }
                log.add("no more: " + (metrics.nextMessage(Duration.ofMillis(300)) == null));
            }
        });
    }

    @Test
    void mappingsRewriteWhatClientsPublish() throws Exception {
        same((port, log) -> {
            try (Connection a = connect(port, "a")) {
                Subscription sub = a.subscribe(">");
                a.flush(WAIT);
                a.publish("orders.42", "o".getBytes());
                a.publish("split", "s".getBytes());
                a.publish("plain", "p".getBytes());
                a.flush(WAIT);
                drain(sub, "a", log);
            }
        });
    }

    @Test
    void accountLimitsApplyToTheAccountsClients() throws Exception {
        same((port, log) -> {
            log.add(raw(port, "CONNECT {\"user\":\"d\",\"pass\":\"d\",\"verbose\":false}\r\n"
                    + "SUB a 1\r\nSUB b 2\r\nPUB a 4\r\nfine\r\nPING\r\n", "PONG"));
            try (Connection held = connect(port, "d")) {
                held.flush(WAIT);
                log.add(raw(port, "CONNECT {\"user\":\"d2\",\"pass\":\"d2\",\"verbose\":false}\r\nPING\r\n", "'"));
            }
            // The server notices the held connection's close asynchronously (Go too): retry until it has.
            log.add(rawOnceAdmitted(port, "CONNECT {\"user\":\"d\",\"pass\":\"d\",\"verbose\":false}\r\n"
                    + "PUB a 9\r\ntoo large\r\nPING\r\n", "'"));
        });
    }

    @Test
    void allowedConnectionTypesDecideForPlainClients() throws Exception {
        same((port, log) -> {
            log.add(raw(port, "CONNECT {\"user\":\"aw\",\"pass\":\"aw\",\"verbose\":false}\r\nPING\r\n", "\n"));
            log.add(raw(port, "CONNECT {\"user\":\"as\",\"pass\":\"as\",\"verbose\":false}\r\nPING\r\n", "\n"));
        });
    }

    @Test
    void clientsWithoutCredentialsAreTheNoAuthUser() throws Exception {
        same((port, log) -> {
            try (Connection a = connect(port, "a"); Connection b = connect(port, "b")) {
                Thread publisher = Thread.ofVirtual().start(() -> {
                    try {
                        Thread.sleep(300);
                        a.publish("anon", "for A".getBytes());
                        b.publish("anon", "for B".getBytes());
                        a.flush(WAIT);
                        b.flush(WAIT);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                log.add(raw(port, "CONNECT {\"verbose\":false}\r\nSUB anon 1\r\nPING\r\n", "for"));
                publisher.join();
            }
        });
    }

    /** Sends {@code script} on a raw connection and returns what came back until {@code until} was seen. */
    private static String rawOnceAdmitted(int port, String script, String until) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        String answer = raw(port, script, until);
        while (answer.contains("maximum account active connections exceeded") && System.nanoTime() < deadline) {
            Thread.sleep(20);
            answer = raw(port, script, until);
        }
        return answer;
    }

    private static String raw(int port, String script, String until) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(2000);
            var in = s.getInputStream();
            byte[] buf = new byte[4096];
            int first = in.read(buf);
            String info = new String(buf, 0, Math.max(0, first), StandardCharsets.US_ASCII);
            s.getOutputStream().write(script.getBytes(StandardCharsets.US_ASCII));
            StringBuilder sb = new StringBuilder(info.substring(info.indexOf("\r\n") + 2));
            try {
                while (!sb.toString().contains(until)) {
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    sb.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
                }
            } catch (java.net.SocketTimeoutException e) {
                sb.append("<timeout>");
            }
            return sb.toString();
        }
    }

    @Test
    void clientsMayNotUseReservedReplySubjects() throws Exception {
        same((port, log) -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(2000);
                var in = s.getInputStream();
                in.read(new byte[4096]);
                s.getOutputStream().write(("CONNECT {\"user\":\"a\",\"pass\":\"a\",\"verbose\":false}\r\n"
                        + "SUB x 1\r\nPUB x _R_.abc 2\r\nhi\r\nPUB x fine 2\r\nok\r\nPING\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                StringBuilder sb = new StringBuilder();
                byte[] buf = new byte[4096];
                while (!sb.toString().contains("PONG")) {
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    sb.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
                }
                log.add(sb.toString());
            }
        });
    }


}
