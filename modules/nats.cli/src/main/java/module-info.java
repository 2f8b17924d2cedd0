/**
 * The {@code nats-server} launcher: Go-compatible command-line flags, {@code --enable} and
 * {@code --plugins-dir}, the {@code plugins} listing, signal handling and Go-style log output.
 */
module nats.cli {
    requires nats.server;
    requires nats.jetstream.store;
    requires info.picocli;
    requires jdk.unsupported;

    provides java.lang.System.LoggerFinder with nats.cli.GoStyleLoggerFinder;
}
