/**
 * {@code nats-bench}: a raw-socket NATS load generator and side-by-side comparison tool.
 *
 * <p>It speaks the NATS client text protocol (and the JetStream JSON API over it) directly over
 * {@code java.nio} sockets, with pre-encoded batched writes and byte-level frame counting, so the
 * server and not the client is the bottleneck; it reads both sides' CPU time per message from
 * {@code /proc}. Scenarios: {@code pub}, {@code pubsub}, {@code fanout}, {@code queue},
 * {@code reqrep}, {@code churn}, {@code slowsub}, {@code memory}, {@code js ...}, {@code store}
 * (the JetStream file store without a server), and
 * {@code compare}, which starts server commands as child processes and runs the scenarios
 * against each in alternation. Entry point: {@code nats.bench.NatsBench}. The module exports no
 * API; it is an application.
 */
module nats.bench {
  requires info.picocli;
  // The store scenario drives the JetStream storage SPI; the file backend is found with ServiceLoader.
  requires nats.jetstream.store;

  // picocli reads and writes the annotated option fields reflectively.
  opens nats.bench to info.picocli;
  opens nats.bench.internal to info.picocli;
  opens nats.bench.internal.store to info.picocli;
}
