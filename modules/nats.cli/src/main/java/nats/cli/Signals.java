package nats.cli;

import java.util.concurrent.atomic.AtomicReference;

import nats.server.NatsServer;
import nats.server.options.ServerOptions;
import nats.server.options.ServerStartException;
import sun.misc.Signal;

/**
 * Connects operating-system signals to the server as the Go server does: INT shuts down and exits 0, TERM
 * shuts down and exits 1, USR2 enters lame-duck mode, HUP reloads the configuration, USR1 reopens the log file. A shutdown hook covers every other exit.
 * {@code sun.misc.Signal} is the JDK's only way to receive these; it is used here only, in the launcher.
 * Handlers are installed before the server binds, so a signal during start-up is never lost.
 */
final class Signals {

    private final AtomicReference<NatsServer> server = new AtomicReference<>();
    private volatile int exitCode = Main.EXIT_OK;

    private Signals() {
    }

    static Signals install() {
        Signals signals = new Signals();
        Signal.handle(new Signal("INT"), s -> {
            trapped("interrupt");
            signals.shutdownAndExit(0);
        });
        Signal.handle(new Signal("TERM"), s -> {
            trapped("terminated");
            signals.shutdownAndExit(1);
        });
        // The JVM would treat HUP as a shutdown; for nats-server it means "reload the configuration".
        Signal.handle(new Signal("HUP"), s -> {
            trapped("hangup");
            Thread.ofPlatform().name("nats-reload").start(signals::reload);
        });
        // USR1 (--signal reopen): open the log file again, after logrotate moved it.
        Signal.handle(new Signal("USR1"), s -> {
            trapped("user defined signal 1");
            Thread.ofPlatform().name("nats-reopen").start(Logging::reopen);
        });
        // HotSpot suspends threads with SIGUSR2 unless _JAVA_SR_SIGNUM moves it (bin/nats-server does);
        // taking USR2 over otherwise would turn every JFR sample into a lame-duck request.
        String srSignal = System.getenv("_JAVA_SR_SIGNUM");
        if (srSignal == null || srSignal.equals("12")) {
            System.getLogger("nats.cli").log(System.Logger.Level.WARNING,
                    "SIGUSR2 (lame-duck mode) is not handled: set _JAVA_SR_SIGNUM=40 as bin/nats-server does");
            return signals;
        }
        Signal.handle(new Signal("USR2"), s -> {
            trapped("user defined signal 2");
            NatsServer running = signals.server.get();
            if (running != null) {
                Thread.ofPlatform().name("nats-ldm").start(running::enterLameDuckMode);
            }
        });
        return signals;
    }

    /** Go's "Trapped "hangup" signal" line, with Go's names of the signals. */
    private static void trapped(String goName) {
        System.getLogger("nats.cli").log(System.Logger.Level.INFO, "Trapped \"" + goName + "\" signal");
    }

    /** Re-reads the configuration (file, then flags) for a reload. */
    interface OptionsSource {
        ServerOptions load() throws ServerStartException;
    }

    private volatile OptionsSource reloadSource;

    /** A HUP that came while the server was still starting (its port is bound early): run once it serves. */
    private boolean reloadPending;
    /** An INT or TERM that came while the server was starting: it shuts down (gracefully) once it serves. */
    private boolean shutdownPending;

    private void reload() {
        NatsServer running;
        OptionsSource source;
        synchronized (this) {
            running = server.get();
            source = reloadSource;
            if (running == null || source == null) {
                reloadPending = true;
                return;
            }
        }
        try {
            ServerOptions fresh = source.load();
            running.reload(fresh);
            Logging.reload(fresh);
        } catch (ServerStartException e) {
            System.getLogger("nats.cli").log(System.Logger.Level.ERROR,
                    "Failed to reload server configuration: " + e.getMessage());
        }
    }

    void serving(NatsServer running, OptionsSource source) {
        boolean pending;
        boolean stop;
        synchronized (this) {
            reloadSource = source;
            server.set(running);
            pending = reloadPending;
            reloadPending = false;
            stop = shutdownPending;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(running::shutdown, "nats-shutdown"));
        if (stop) {
            Thread.ofPlatform().name("nats-signal-shutdown").start(running::shutdown);
            return;
        }
        if (pending) {
            Thread.ofPlatform().name("nats-reload").start(this::reload);
        }
    }

    /** The exit code the launcher should end with once the server has stopped. */
    int exitCode() {
        return exitCode;
    }

    private void shutdownAndExit(int status) {
        exitCode = status;
        Thread.ofPlatform().name("nats-signal-shutdown").start(() -> {
            NatsServer running;
            synchronized (this) {
                running = server.get();
                if (running == null) {
                    // Still starting (the client port is bound early): shut down gracefully once it serves.
                    shutdownPending = true;
                    return;
                }
            }
            // The launcher's main thread wakes from awaitShutdown and exits with exitCode().
            running.shutdown();
        });
    }
}
