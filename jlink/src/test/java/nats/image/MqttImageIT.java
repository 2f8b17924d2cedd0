package nats.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image with an {@code mqtt {}} block: Go's log line and start-up refusals, clients served, and QoS 1 durability
 * under SIGKILL: every message the server acknowledged with PUBACK reaches the persistent subscriber after a restart.
 */
class MqttImageIT {

    @TempDir
    Path dir;

    private Path config(String body) throws Exception {
        return Files.writeString(dir.resolve("mqtt-" + System.nanoTime() + ".conf"), body);
    }

    private static MqttConnectOptions options(boolean clean) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(clean);
        o.setConnectionTimeout(10);
        o.setAutomaticReconnect(false);
        o.setMaxInflight(1000);
        return o;
    }

    @Test
    @Timeout(60)
    void startsTheListenerAsGoLogsItAndServesClients() throws Exception {
        int port = ImageProcess.freePort();
        int mqtt = ImageProcess.freePort();
        Path conf = config("server_name: img\njetstream { store_dir: \"" + dir.resolve("s1") + "\" }\n"
                + "mqtt { host: 127.0.0.1, port: " + mqtt + " }\n");
        try (ImageProcess server = ImageProcess.start(port, "-c", conf.toString())) {
            assertTrue(server.output().contains("Listening for MQTT clients on mqtt://127.0.0.1:" + mqtt),
                    "Go's log line:\n" + server.output());
            MqttClient sub = new MqttClient("tcp://127.0.0.1:" + mqtt, "img-sub", new MemoryPersistence());
            MqttClient pub = new MqttClient("tcp://127.0.0.1:" + mqtt, "img-pub", new MemoryPersistence());
            sub.connect(options(true));
            pub.connect(options(true));
            java.util.concurrent.BlockingQueue<String> got = new java.util.concurrent.LinkedBlockingQueue<>();
            sub.subscribe("img/t", 1, (topic, m) -> got.add(topic + "=" + new String(m.getPayload(), StandardCharsets.UTF_8)));
            pub.publish("img/t", "hello".getBytes(StandardCharsets.UTF_8), 1, false);
            assertEquals("img/t=hello", got.poll(10, TimeUnit.SECONDS), "delivered through the image");
            pub.disconnect();
            sub.disconnect();
            assertEquals(0, server.signal("INT"), "SIGINT shuts down cleanly (exit 0, as in Go)");
        }
    }

    @Test
    @Timeout(60)
    void refusesToStartAsGoDoes() throws Exception {
        int mqtt = ImageProcess.freePort();
        ImageProcess.Result noJs = ImageProcess.run("-a", "127.0.0.1", "-p", Integer.toString(ImageProcess.freePort()),
                "-c", config("server_name: x\nmqtt { port: " + mqtt + " }\n").toString());
        assertEquals(1, noJs.exitCode(), "no JetStream: refused\n" + noJs.output());
        assertTrue(noJs.output().contains("mqtt requires JetStream to be enabled if running in standalone mode"),
                "Go's text:\n" + noJs.output());
        ImageProcess.Result noName = ImageProcess.run("-a", "127.0.0.1", "-p", Integer.toString(ImageProcess.freePort()),
                "-c", config("jetstream { store_dir: \"" + dir.resolve("s2") + "\" }\nmqtt { port: " + mqtt + " }\n")
                        .toString());
        assertEquals(1, noName.exitCode(), "no server name: refused\n" + noName.output());
        assertTrue(noName.output().contains("mqtt requires server name to be explicitly set"),
                "Go's text:\n" + noName.output());
        ImageProcess.Result badKey = ImageProcess.run("-c", config("mqtt { port: 1, max_ack_pending: 70000 }\n").toString());
        assertEquals(1, badKey.exitCode(), "a bad value: refused\n" + badKey.output());
        assertTrue(badKey.output().contains("invalid value 70000, should in [0..65535] range"),
                "Go's text:\n" + badKey.output());
    }

    @Test
    @Timeout(180)
    void everyAcknowledgedQos1MessageSurvivesKill9() throws Exception {
        int port = ImageProcess.freePort();
        int mqtt = ImageProcess.freePort();
        Path conf = config("server_name: k9\njetstream { store_dir: \"" + dir.resolve("k9") + "\" }\n"
                + "mqtt { host: 127.0.0.1, port: " + mqtt + " }\n");
        String url = "tcp://127.0.0.1:" + mqtt;
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        try (ImageProcess server = ImageProcess.start(port, "-c", conf.toString())) {
            MqttClient sub = new MqttClient(url, "k9-sub", new MemoryPersistence());
            sub.connect(options(false));
            sub.subscribe("k9/t", 1);
            sub.disconnect();
            sub.close();
            MqttAsyncClient pub = new MqttAsyncClient(url, "k9-pub", new MemoryPersistence());
            pub.setCallback(new MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {
                    acknowledged.add((String) token.getUserContext());
                }
            });
            pub.connect(options(true)).waitForCompletion(10_000);
            // Publish until a good number are acknowledged, then kill the server with more in flight.
            int sent = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (acknowledged.size() < 3000 && System.nanoTime() < deadline) {
                if (sent - acknowledged.size() < 900) {
                    String payload = "m-" + sent++;
                    pub.publish("k9/t", payload.getBytes(StandardCharsets.UTF_8), 1, false, payload, null);
                } else {
                    Thread.sleep(1);
                }
            }
            server.kill9();
            Thread.sleep(200);
            pub.disconnectForcibly(0, 0, false);
            pub.close(true);
            assertTrue(acknowledged.size() >= 1000, "enough acknowledged before the kill: " + acknowledged.size());
        }
        Set<String> snapshot = Set.copyOf(acknowledged);
        Set<String> received = ConcurrentHashMap.newKeySet();
        try (ImageProcess server = ImageProcess.start(port, "-c", conf.toString())) {
            MqttClient sub = new MqttClient(url, "k9-sub", new MemoryPersistence());
            sub.setCallback(new MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    received.add(new String(message.getPayload(), StandardCharsets.UTF_8));
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {
                }
            });
            sub.connect(options(false));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!received.containsAll(snapshot) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Set<String> missing = new java.util.TreeSet<>(snapshot);
            missing.removeAll(received);
            assertTrue(missing.isEmpty(), missing.size() + " of " + snapshot.size()
                    + " acknowledged messages missing after kill -9, e.g. " + missing.stream().limit(10).toList());
            sub.disconnect();
            server.terminate();
        }
    }
}
