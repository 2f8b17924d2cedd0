/**
 * What the memory and file backends share, exported to them alone: {@link
 * nats.jetstream.store.support.StreamEngine} keeps a stream's logical state (sequence and subject indexes,
 * limits, expiry, listeners, consumers, snapshots) over a {@link nats.jetstream.store.support.MessageStorage}
 * that keeps the bytes.
 */
package nats.jetstream.store.support;
