/**
 * The JetStream storage SPI: {@link nats.jetstream.store.StreamStore} keeps a stream's messages,
 * {@link nats.jetstream.store.ConsumerStore} a consumer's delivery and ack state, and
 * {@link nats.jetstream.store.StoreProvider} opens them for one storage type. Modelled on the Go server's
 * {@code server/store.go}, with Go's semantics and error texts.
 */
package nats.jetstream.store;
