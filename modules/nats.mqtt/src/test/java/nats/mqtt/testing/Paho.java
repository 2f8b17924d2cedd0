package nats.mqtt.testing;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** An Eclipse Paho client for tests: messages arrive in a queue, every wait is bounded. */
public final class Paho implements AutoCloseable {

    /** A message as received. */
    public record Received(String topic, String payload, int qos, boolean retained, boolean duplicate) {
    }

    private final MqttClient client;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private volatile Throwable lost;

    private Paho(MqttClient client) {
        this.client = client;
    }

    public static Paho connect(String url, String clientId, boolean clean) throws MqttException {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(clean);
        return connect(url, clientId, o);
    }

    public static Paho connect(String url, String clientId, MqttConnectOptions options) throws MqttException {
        MqttClient c = new MqttClient(url, clientId, new MemoryPersistence());
        Paho p = new Paho(c);
        c.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                p.lost = cause;
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                p.received.add(new Received(topic, new String(message.getPayload(), java.nio.charset.StandardCharsets.UTF_8),
                        message.getQos(), message.isRetained(), message.isDuplicate()));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        options.setConnectionTimeout(5);
        options.setAutomaticReconnect(false);
        c.setTimeToWait(5000);
        c.connect(options);
        return p;
    }

    public MqttClient client() {
        return client;
    }

    public void subscribe(String filter, int qos) throws MqttException {
        int[] granted = client.subscribeWithResponse(new String[] {filter}, new int[] {qos}).getGrantedQos();
        if (granted[0] != qos) {
            throw new IllegalStateException("granted QoS " + granted[0] + " for " + filter + ", asked " + qos);
        }
    }

    public void publish(String topic, String payload, int qos, boolean retained) throws MqttException {
        client.publish(topic, payload.getBytes(java.nio.charset.StandardCharsets.UTF_8), qos, retained);
    }

    /** The next message, or null after the timeout. */
    public Received next(long millis) throws InterruptedException {
        return received.poll(millis, TimeUnit.MILLISECONDS);
    }

    public int pending() {
        return received.size();
    }

    public Throwable lost() {
        return lost;
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    /** Drops the TCP connection without DISCONNECT (the will goes out). */
    public void kill() {
        try {
            client.disconnectForcibly(0, 0, false);
        } catch (MqttException e) {
            // gone anyway
        }
        closeQuietly();
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(2000);
            }
        } catch (MqttException e) {
            // closing
        }
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            client.close(true);
        } catch (MqttException e) {
            // closing
        }
    }
}
