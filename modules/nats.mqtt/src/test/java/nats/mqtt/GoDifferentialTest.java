package nats.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import nats.mqtt.testing.MqttTestServer;
import nats.mqtt.testing.RawMqtt;
import nats.testing.GoServer;
import nats.testing.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same byte exchanges against Go 2.9.10's MQTT listener and ours: every packet each side sends back, byte for
 * byte, and whether it closes the connection. Only what 2.9.10 has (QoS 0 and 1; its topics refuse {@code .}; it
 * still lets {@code #} match {@code $} topics, which 2.10 stopped [MQTT-4.7.2-1], so that is tested on its own).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GoDifferentialTest {

    @TempDir
    static Path dir;
    static MqttTestServer ours;
    static GoServer go;
    static int goMqtt;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server not installed");
        ours = MqttTestServer.start(Files.createDirectories(dir.resolve("ours")));
        goMqtt = Ports.free();
        Path goDir = Files.createDirectories(dir.resolve("go"));
        go = GoServer.start(goDir, port -> "listen: 127.0.0.1:" + port + "\nserver_name: go\n"
                + "jetstream { store_dir: \"" + goDir.resolve("store") + "\" }\nmqtt { port: " + goMqtt + " }\n");
        // The first client of an account creates its streams: done here, so no scenario waits for it.
        for (int port : new int[] {ours.mqttPort(), goMqtt}) {
            try (RawMqtt c = RawMqtt.connect(port)) {
                RawMqtt.connAckCode(c, connect("warm-up"));
            }
        }
    }

    @AfterAll
    static void stop() {
        if (ours != null) {
            ours.close();
        }
        if (go != null) {
            go.close();
        }
    }

    /** Drives connections by name and records what comes back. */
    static final class Exchange implements AutoCloseable {
        private final int port;
        private final Map<String, RawMqtt> connections = new LinkedHashMap<>();
        final List<String> transcript = new ArrayList<>();

        Exchange(int port) {
            this.port = port;
        }

        Exchange send(String who, byte[]... packets) throws IOException {
            RawMqtt c = connections.get(who);
            if (c == null) {
                c = RawMqtt.connect(port);
                connections.put(who, c);
            }
            c.send(RawMqtt.concat(packets));
            return this;
        }

        /** Records every packet {@code who} receives until it has been quiet for a while. */
        Exchange receive(String who) throws IOException {
            RawMqtt c = connections.get(who);
            RawMqtt.Packet p;
            while ((p = c.read(400)) != null) {
                transcript.add(who + " <- " + p);
            }
            return this;
        }

        /** Records whether the server closed {@code who}'s connection. */
        Exchange closed(String who) throws IOException {
            transcript.add(who + (connections.get(who).closedWithin(1000) ? " closed" : " open"));
            return this;
        }

        @Override
        public void close() throws IOException {
            for (RawMqtt c : connections.values()) {
                c.close();
            }
        }
    }

    @FunctionalInterface
    interface Script {
        void run(Exchange x, String tag) throws Exception;
    }

    private static byte[] connect(String id) {
        return RawMqtt.connectPacket(id, true, 0, null, null);
    }

    static Stream<Arguments> scripts() {
        return Stream.<Arguments>of(
                Arguments.of("accepted CONNECT and PING", (Script) (x, t) -> x
                        .send("a", connect(t + "a"), RawMqtt.PINGREQ).receive("a").closed("a")),
                Arguments.of("protocol level 3", (Script) (x, t) -> x
                        .send("a", RawMqtt.connectPacket("MQTT", 3, t, true, 0, null, null, null, null, 0, false))
                        .receive("a").closed("a")),
                Arguments.of("empty client id without clean session", (Script) (x, t) -> x
                        .send("a", RawMqtt.connectPacket("", false, 0, null, null)).receive("a").closed("a")),
                Arguments.of("empty client id with clean session", (Script) (x, t) -> x
                        .send("a", RawMqtt.connectPacket("", true, 0, null, null)).receive("a").closed("a")),
                Arguments.of("empty user name", (Script) (x, t) -> x
                        .send("a", RawMqtt.connectPacket(t, true, 0, "", null)).receive("a").closed("a")),
                Arguments.of("MQIsdp", (Script) (x, t) -> x
                        .send("a", RawMqtt.connectPacket("MQIsdp", 3, t, true, 0, null, null, null, null, 0, false))
                        .receive("a").closed("a")),
                Arguments.of("publish before connect", (Script) (x, t) -> x
                        .send("a", RawMqtt.publishPacket("x", "y", 0, 0, false)).receive("a").closed("a")),
                Arguments.of("second connect", (Script) (x, t) -> x
                        .send("a", connect(t), connect(t)).receive("a").closed("a")),
                Arguments.of("subscribe with granted QoS and a refused internal filter", (Script) (x, t) -> x
                        .send("a", connect(t), RawMqtt.subscribePacket(5, t + "/q0", 0),
                                RawMqtt.subscribePacket(6, t + "/q1", 1), RawMqtt.subscribePacket(7, "$MQTT/sub/x", 1))
                        .receive("a").closed("a")),
                Arguments.of("QoS 0 and 1 exchange with empty levels", (Script) (x, t) -> {
                    x.send("s", connect(t + "s"), RawMqtt.subscribePacket(1, "/" + t + "//b/", 1),
                            RawMqtt.subscribePacket(2, t + "/+/c", 0)).receive("s");
                    // QoS 1 reaches its subscriber through a JetStream consumer, QoS 0 directly: which arrives
                    // first is a race on either server, so the subscriber takes them in two rounds.
                    x.send("p", connect(t + "p"), RawMqtt.publishPacket("/" + t + "//b/", "one", 1, 9, false))
                            .receive("p").receive("s");
                    x.send("p", RawMqtt.publishPacket(t + "/b/c", "two", 0, 0, false),
                            RawMqtt.publishPacket(t + "/b/c", "three", 1, 10, false)).receive("p");
                    x.receive("s");
                }),
                Arguments.of("acknowledged delivery and unsubscribe", (Script) (x, t) -> {
                    x.send("s", connect(t + "s"), RawMqtt.subscribePacket(1, t, 1)).receive("s");
                    x.send("p", connect(t + "p"), RawMqtt.publishPacket(t, "m1", 1, 1, false)).receive("p");
                    x.receive("s").send("s", RawMqtt.ackPacket(0x40, 1), RawMqtt.unsubscribePacket(2, t)).receive("s");
                    x.send("p", RawMqtt.publishPacket(t, "m2", 1, 2, false)).receive("p").receive("s");
                }),
                Arguments.of("retained messages at the subscription's QoS", (Script) (x, t) -> {
                    x.send("p", connect(t + "p"), RawMqtt.publishPacket(t + "/r1", "q1", 1, 1, true),
                            RawMqtt.publishPacket(t + "/r0", "q0", 0, 0, true)).receive("p");
                    x.send("s", connect(t + "s"), RawMqtt.subscribePacket(1, t + "/r1", 0),
                            RawMqtt.subscribePacket(2, t + "/r0", 1)).receive("s");
                }),
                Arguments.of("wildcard in a published topic", (Script) (x, t) -> x
                        .send("a", connect(t), RawMqtt.publishPacket(t + "/#", "x", 0, 0, false))
                        .receive("a").closed("a")),
                Arguments.of("subscribe reserved flags", (Script) (x, t) -> x
                        .send("a", connect(t), RawMqtt.packet(0x80, new byte[] {0, 1, 0, 1, 'a', 0}))
                        .receive("a").closed("a")),
                Arguments.of("malformed remaining length", (Script) (x, t) -> x
                        .send("a", connect(t), new byte[] {0x30, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1})
                        .receive("a").closed("a")),
                Arguments.of("DISCONNECT", (Script) (x, t) -> x
                        .send("a", connect(t), RawMqtt.DISCONNECT).receive("a").closed("a")));
    }

    private static List<String> transcript(int port, Script script, String tag) throws Exception {
        try (Exchange x = new Exchange(port)) {
            script.run(x, tag);
            return x.transcript;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void sameExchangeAsGo(String name, Script script) throws Exception {
        String tag = "d" + Integer.toHexString(name.hashCode() & 0xfffff);
        List<String> expected = transcript(goMqtt, script, tag);
        List<String> actual = transcript(ours.mqttPort(), script, tag);
        assertEquals(String.join("\n", expected), String.join("\n", actual), name + ": same packets and closes as Go");
    }
}
