/**
 * The {@code mqtt} plugin ({@link nats.mqtt.MqttPlugin}); its implementation lives in {@code nats.mqtt.internal}.
 */
package nats.mqtt;
