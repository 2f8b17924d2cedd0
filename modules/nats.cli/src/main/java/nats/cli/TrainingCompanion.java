package nats.cli;

import java.util.Optional;

import nats.server.NatsServer;
import nats.server.options.ServerStartException;

/**
 * For the AOT cache's training run only (jlink/build-image.sh): the training server is in a cluster, so its
 * JetStream runs clustered (even R1 streams go through their groups), and the single server's JetStream paths
 * (a publish stored on the publisher's thread, the acks of a consumer without a group) would never be recorded.
 * With {@value #VARIABLE} set to a server's flags (e.g. {@code -a 127.0.0.1 -p 4333 -js -sd /tmp/x}), a second,
 * standalone server starts in the same JVM, so the training can put JetStream load through both. Unset (every
 * real start) it does nothing.
 */
final class TrainingCompanion {

    static final String VARIABLE = "JNATSD_AOT_TRAIN_STANDALONE";

    private TrainingCompanion() {
    }

    /** Starts the companion server if the variable asks for one; a failure is logged and the start goes on. */
    static Optional<NatsServer> startIfAsked() {
        String flags = System.getenv(VARIABLE);
        if (flags == null || flags.isBlank()) {
            return Optional.empty();
        }
        System.Logger log = System.getLogger("nats.cli");
        Optional<ParsedFlags> parsed = FlagParser.parse(flags.strip().split("\\s+"));
        if (parsed.isEmpty()) {
            log.log(System.Logger.Level.WARNING, VARIABLE + ": flags not understood: " + flags);
            return Optional.empty();
        }
        try {
            return Optional.of(NatsServer.start(Main.buildOptions(parsed.get())));
        } catch (ServerStartException | RuntimeException e) {
            log.log(System.Logger.Level.WARNING, VARIABLE + ": the standalone training server did not start: "
                    + e.getMessage());
            return Optional.empty();
        }
    }
}
