/**
 * {@code nats-bench}: a raw-socket NATS load generator.
 *
 * <p>It speaks the NATS client text protocol directly over {@code java.nio} sockets so that the
 * client is never the bottleneck when comparing servers. Scenarios: {@code pub}, {@code pubsub},
 * {@code fanout}, {@code queue}, {@code reqrep}, {@code memory}, and {@code compare}, which starts
 * two server commands as child processes and runs the scenarios against each in alternation.
 * Entry point: {@code nats.bench.NatsBench}. The module exports no API; it is an application.
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
