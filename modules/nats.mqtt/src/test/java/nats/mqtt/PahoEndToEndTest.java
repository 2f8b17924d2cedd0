package nats.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import nats.mqtt.testing.MqttTestServer;
import nats.mqtt.testing.Paho;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** MQTT 3.1.1 end to end with Eclipse Paho against one server: QoS 0, 1 and 2, wildcards, NATS both ways. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PahoEndToEndTest {

    @TempDir
    static Path dir;
    static MqttTestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = MqttTestServer.start(dir);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void qos0RoundTrip() throws Exception {
        try (Paho sub = Paho.connect(server.mqttUrl(), "q0-sub", true);
             Paho pub = Paho.connect(server.mqttUrl(), "q0-pub", true)) {
            sub.subscribe("a/b", 0);
            pub.publish("a/b", "hello", 0, false);
            Paho.Received r = sub.next(5000);
            assertNotNull(r, "the subscriber receives the QoS 0 message");
            assertEquals("a/b", r.topic(), "topic as published");
            assertEquals("hello", r.payload(), "payload as published");
            assertEquals(0, r.qos(), "delivered at QoS 0");
            assertFalse(r.retained(), "a live message is not retained");
        }
    }

    @Test
    void qos1AndQos2RoundTrip() throws Exception {
        try (Paho sub = Paho.connect(server.mqttUrl(), "q12-sub", true);
             Paho pub = Paho.connect(server.mqttUrl(), "q12-pub", true)) {
            sub.subscribe("q/one", 1);
            sub.subscribe("q/two", 2);
            pub.publish("q/one", "m1", 1, false);
            Paho.Received r1 = sub.next(5000);
            assertNotNull(r1, "the QoS 1 message arrives");
            assertEquals("m1", r1.payload(), "QoS 1 payload");
            assertEquals(1, r1.qos(), "QoS 1 subscriber gets it at QoS 1");
            pub.publish("q/two", "m2", 2, false);
            Paho.Received r2 = sub.next(5000);
            assertNotNull(r2, "the QoS 2 message arrives");
            assertEquals("m2", r2.payload(), "QoS 2 payload");
            assertEquals(2, r2.qos(), "QoS 2 subscriber gets it at QoS 2");
            pub.publish("q/one", "m3", 2, false);
            Paho.Received r3 = sub.next(5000);
            assertNotNull(r3, "a QoS 2 publish to a QoS 1 subscription arrives");
            assertEquals(1, r3.qos(), "downgraded to the subscription's QoS");
            assertNull(sub.next(300), "each message exactly once");
        }
    }

    @Test
    void wildcards() throws Exception {
        try (Paho sub = Paho.connect(server.mqttUrl(), "wc-sub", true);
             Paho pub = Paho.connect(server.mqttUrl(), "wc-pub", true)) {
            sub.subscribe("w/+/c", 0);
            sub.subscribe("h/#", 1);
            pub.publish("w/x/c", "1", 0, false);
            pub.publish("w/x/d", "no", 0, false);
            pub.publish("h", "2", 1, false);
            pub.publish("h/i/j", "3", 1, false);
            StringBuilder got = new StringBuilder();
            for (int i = 0; i < 3; i++) {
                Paho.Received r = sub.next(5000);
                assertNotNull(r, "message " + i + " arrives");
                got.append(r.topic()).append('=').append(r.payload()).append(' ');
            }
            String s = got.toString();
            assertTrue(s.contains("w/x/c=1") && s.contains("h=2") && s.contains("h/i/j=3"),
                    "'+' matches one level and '#' the parent and all below: " + s);
            assertNull(sub.next(300), "w/x/d does not match w/+/c");
        }
    }

    @Test
    void wildcardFiltersDoNotMatchDollarTopics() throws Exception {
        try (Paho any = Paho.connect(server.mqttUrl(), "dollar-any", true);
             Paho dollar = Paho.connect(server.mqttUrl(), "dollar-exact", true);
             Paho pub = Paho.connect(server.mqttUrl(), "dollar-pub", true)) {
            any.subscribe("#", 1);
            any.subscribe("+/x", 0);
            dollar.subscribe("$app/#", 1);
            pub.publish("$app/x", "dollar", 1, false);
            Paho.Received r = dollar.next(5000);
            assertNotNull(r, "a filter starting with $ gets $ topics");
            assertEquals("$app/x", r.topic(), "topic");
            Paho.Received leaked = any.next(700);
            assertTrue(leaked == null || !leaked.topic().startsWith("$"),
                    "'#' and '+' never match topics starting with $ [MQTT-4.7.2-1]: " + leaked);
        }
    }

    @Test
    void topicsWithDotsAndEmptyLevelsRoundTrip() throws Exception {
        try (Paho sub = Paho.connect(server.mqttUrl(), "levels-sub", true);
             Paho pub = Paho.connect(server.mqttUrl(), "levels-pub", true);
             Connection nc = server.nats()) {
            Subscription ns = nc.subscribe("v1//x./.b");
            nc.flush(Duration.ofSeconds(2));
            sub.subscribe("v1.x//b", 1);
            pub.publish("v1.x//b", "dots", 1, false);
            Paho.Received r = sub.next(5000);
            assertNotNull(r, "a topic with a dot and an empty level round-trips");
            assertEquals("v1.x//b", r.topic(), "the topic comes back as it was published");
            Message m = ns.nextMessage(Duration.ofSeconds(5));
            assertNotNull(m, "NATS sees it under Go's subject ('.' is '//', an empty level '/')");
        }
    }

    @Test
    void mqttAndNatsSeeEachOther() throws Exception {
        try (Connection nc = server.nats(); Paho mqtt = Paho.connect(server.mqttUrl(), "interop", true)) {
            Subscription ns = nc.subscribe("from.mqtt");
            nc.flush(Duration.ofSeconds(2));
            mqtt.subscribe("from/nats", 0);
            mqtt.publish("from/mqtt", "to-nats", 1, false);
            Message m = ns.nextMessage(Duration.ofSeconds(5));
            assertNotNull(m, "a NATS subscriber gets the MQTT publish");
            assertEquals("to-nats", new String(m.getData(), StandardCharsets.UTF_8), "payload without headers");
            assertEquals("1", m.getHeaders().getFirst("Nmqtt-Pub"), "Go's header carries the QoS");
            nc.publish("from.nats", "to-mqtt".getBytes(StandardCharsets.UTF_8));
            Paho.Received r = mqtt.next(5000);
            assertNotNull(r, "the MQTT subscriber gets the NATS publish");
            assertEquals("from/nats", r.topic(), "subject converted to a topic");
            assertEquals("to-mqtt", r.payload(), "NATS payload");
        }
    }
}
