/**
 * MQTT 3.1.1 for jnatsd, as the {@code mqtt} plugin: Go's {@code mqtt {}} listener, MQTT clients as sessions of
 * the kernel (authenticated, held to permissions, in {@code /connz}), with their state in JetStream as Go keeps it.
 */
module nats.mqtt {
    requires nats.api;
    requires nats.transport;

    provides nats.api.ServerPlugin with nats.mqtt.MqttPlugin;
}
