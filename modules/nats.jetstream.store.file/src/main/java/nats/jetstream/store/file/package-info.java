/** The {@code "file"} JetStream storage backend: {@link nats.jetstream.store.file.FileStoreProvider}. */
package nats.jetstream.store.file;
