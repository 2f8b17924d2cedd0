package nats.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import nats.server.ConfigFiles;
import nats.server.NatsServer;
import nats.server.options.ServerOptions;
import nats.server.options.ServerStartException;

/**
 * {@code nats-server}: starts the server with the Go server's flags. Exit codes: 0 clean shutdown,
 * 1 runtime failure, 2 usage error. A plain start (and {@code --version}) is parsed by {@link FlagParser},
 * without picocli; help, usage errors and subcommands go through picocli ({@link UsageCommandLine}).
 */
public final class Main {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        Optional<ParsedFlags> flags = FlagParser.parse(args);
        if (flags.isPresent() && startsServer(flags.get())) {
            NatsServer.prepareStart();
        }
        return flags.isPresent() ? executeReporting(flags.get()) : UsageCommandLine.run(args);
    }

    /** {@link #execute} with a failure reported on stderr as {@code nats-server: message}. */
    static int executeReporting(ParsedFlags flags) {
        try {
            return execute(flags);
        } catch (IOException | ServerStartException e) {
            System.err.println("nats-server: " + e.getMessage());
            return EXIT_FAILURE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_FAILURE;
        }
    }

    private static boolean startsServer(ParsedFlags flags) {
        return !flags.on(ServerFlags.VERSION) && !flags.isGiven(ServerFlags.SIGNAL) && !flags.on(ServerFlags.TEST_CONFIG);
    }

    /** Runs what the flags ask for: the version, a signal to a running server, a config test or the server. */
    static int execute(ParsedFlags flags) throws IOException, InterruptedException, ServerStartException {
        if (flags.on(ServerFlags.VERSION)) {
            System.out.println("nats-server: v" + NatsServer.projectVersion() + " (jnatsd, NATS protocol level 2.9.10)");
            return EXIT_OK;
        }
        if (flags.isGiven(ServerFlags.SIGNAL)) {
            return SignalCommand.send(flags.string(ServerFlags.SIGNAL), flags.path(ServerFlags.PID_FILE));
        }
        ServerOptions options;
        try {
            options = buildOptions(flags);
        } catch (ServerStartException e) {
            System.err.println("nats-server: " + e.getMessage());
            return EXIT_FAILURE;
        }
        if (flags.on(ServerFlags.TEST_CONFIG)) {
            try {
                // The blocks that belong to plugins are checked too: a module must be there to serve each.
                NatsServer.check(options);
            } catch (ServerStartException e) {
                System.err.println("nats-server: " + e.getMessage());
                return EXIT_FAILURE;
            }
            System.out.println("nats-server: configuration file " + flags.path(ServerFlags.CONFIG) + " is valid");
            return EXIT_OK;
        }
        try {
            Logging.configure(options);
        } catch (Logging.SetupException e) {
            System.err.println("nats-server: " + e.getMessage());
            return EXIT_FAILURE;
        }
        Signals signals = Signals.install();
        NatsServer server;
        try {
            server = NatsServer.start(options);
        } catch (ServerStartException e) {
            System.getLogger("nats.cli").log(System.Logger.Level.ERROR, e.getMessage());
            if (options.logFile().isPresent() || options.logging().syslog()
                    || !options.logging().remoteSyslog().isEmpty()) {
                // The log goes to a file or syslog: say it on the terminal too.
                System.err.println("nats-server: " + e.getMessage());
            }
            return EXIT_FAILURE;
        }
        Optional<NatsServer> companion = TrainingCompanion.startIfAsked();
        signals.serving(server, () -> {
            if (!flags.isGiven(ServerFlags.CONFIG)) {
                throw new ServerStartException("can only reload config when a file is provided using -c or --config");
            }
            return buildOptions(flags);
        });
        server.awaitShutdown();
        companion.ifPresent(NatsServer::shutdown);
        return signals.exitCode();
    }

    /** Config file first, then flags on top, as the Go server does. */
    static ServerOptions buildOptions(ParsedFlags flags) throws ServerStartException {
        ServerOptions options = new ServerOptions();
        if (flags.isGiven(ServerFlags.CONFIG)) {
            for (String warning : ConfigFiles.load(flags.path(ServerFlags.CONFIG), options, false)) {
                System.err.println("nats-server: warning: " + warning);
            }
        }
        if (flags.isGiven(ServerFlags.HOST)) {
            options.host(flags.string(ServerFlags.HOST));
        }
        if (flags.isGiven(ServerFlags.PORT)) {
            options.port(flags.integer(ServerFlags.PORT));
        }
        if (flags.isGiven(ServerFlags.NAME)) {
            options.serverName(flags.string(ServerFlags.NAME));
        }
        if (flags.isGiven(ServerFlags.PID_FILE)) {
            options.pidFile(flags.path(ServerFlags.PID_FILE));
        }
        if (flags.isGiven(ServerFlags.HTTP_PORT)) {
            options.httpPort(flags.integer(ServerFlags.HTTP_PORT));
        }
        if (flags.isGiven(ServerFlags.PORTS_FILE_DIR)) {
            options.portsFileDir(flags.path(ServerFlags.PORTS_FILE_DIR));
        }
        if (flags.isGiven(ServerFlags.LOG_FILE)) {
            options.logFile(flags.path(ServerFlags.LOG_FILE));
        }
        if (flags.isGiven(ServerFlags.LOG_TIME)) {
            options.logTime(flags.bool(ServerFlags.LOG_TIME));
        }
        if (flags.isGiven(ServerFlags.HTTPS_PORT)) {
            options.httpsPort(flags.integer(ServerFlags.HTTPS_PORT));
        }
        if (flags.on(ServerFlags.LOG_TIME_UTC)) {
            options.logging(options.logging().withUtc(true));
        }
        if (flags.isGiven(ServerFlags.LOG_SIZE_LIMIT)) {
            options.logging(options.logging().withSizeLimit(flags.longValue(ServerFlags.LOG_SIZE_LIMIT)));
        }
        if (flags.on(ServerFlags.SYSLOG)) {
            options.logging(options.logging().withSyslog(true));
        }
        if (flags.isGiven(ServerFlags.REMOTE_SYSLOG)) {
            options.logging(options.logging().withRemoteSyslog(flags.string(ServerFlags.REMOTE_SYSLOG)));
        }
        boolean debugAndTrace = flags.on(ServerFlags.DEBUG_AND_TRACE) || flags.on(ServerFlags.VERBOSE_TRACE);
        if (flags.on(ServerFlags.DEBUG) || debugAndTrace) {
            options.debug(true);
        }
        if (flags.on(ServerFlags.TRACE) || debugAndTrace) {
            options.trace(true);
        }
        if (flags.isGiven(ServerFlags.USER)) {
            options.username(flags.string(ServerFlags.USER));
        }
        if (flags.isGiven(ServerFlags.PASS)) {
            options.password(flags.string(ServerFlags.PASS));
        }
        if (flags.isGiven(ServerFlags.AUTH)) {
            options.authToken(flags.string(ServerFlags.AUTH));
        }
        new TlsFlags(flags.bool(ServerFlags.TLS), flags.bool(ServerFlags.TLS_VERIFY), flags.path(ServerFlags.TLS_CERT),
                flags.path(ServerFlags.TLS_KEY), flags.path(ServerFlags.TLS_CA_CERT)).applyTo(options);
        SectionFlags.applyTo(flags, options);
        flags.list(ServerFlags.ENABLE).stream().map(String::trim).filter(s -> !s.isEmpty()).forEach(options::enable);
        options.pluginsDir(flags.isGiven(ServerFlags.PLUGINS_DIR) ? flags.path(ServerFlags.PLUGINS_DIR)
                : defaultPluginsDir());
        return options;
    }

    /** {@code plugins/} next to the image's {@code bin/}, or in the working directory. */
    static Path defaultPluginsDir() {
        Path javaHome = Path.of(System.getProperty("java.home"));
        Path imagePlugins = javaHome.resolve("plugins");
        if (Files.isDirectory(imagePlugins)) {
            return imagePlugins;
        }
        return Path.of("plugins");
    }
}
