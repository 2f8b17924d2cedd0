package nats.cli;

import nats.server.NatsServer;
import sun.misc.Signal;

/**
 * Connects operating-system signals to the server: TERM/INT shut down gracefully (a shutdown hook, so it
 * also covers other exits), USR2 enters lame-duck mode. {@code sun.misc.Signal} is the JDK's only way to
 * receive USR2; it lives in jdk.unsupported and is used here only, in the launcher.
 */
final class Signals {

    private Signals() {
    }

    static void install(NatsServer server) {
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "nats-shutdown"));
        Signal.handle(new Signal("USR2"), s -> Thread.ofPlatform().start(() -> {
            server.enterLameDuckMode();
        }));
    }
}
