/**
 * The JetStream plugin's entry point ({@link nats.jetstream.JetStreamPlugin}); the implementation lives in the
 * {@code internal} packages: {@code model} (configurations, errors), {@code config} (the server and account
 * blocks), {@code engine} (streams, consumers, storage), {@code api} ($JS.API) and {@code monitor}.
 */
package nats.jetstream;
