/**
 * Crash-safe JetStream storage on disk: the {@code "file"} {@link nats.jetstream.store.StoreProvider}, with
 * checksummed append-only blocks, group-committed {@code fsync}, Snappy compression and AEAD encryption.
 */
module nats.jetstream.store.file {
    requires nats.jetstream.store;
    requires org.xerial.snappy;

    provides nats.jetstream.store.StoreProvider with nats.jetstream.store.file.FileStoreProvider;
}
