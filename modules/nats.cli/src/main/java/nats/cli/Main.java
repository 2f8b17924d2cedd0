package nats.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import nats.server.ConfigFiles;
import nats.server.NatsServer;
import nats.server.PluginInfo;
import nats.server.options.ServerOptions;
import nats.server.options.ServerStartException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nats-server}: starts the server with the Go server's flags. Exit codes: 0 clean shutdown,
 * 1 runtime failure, 2 usage error.
 */
@Command(name = "nats-server", mixinStandardHelpOptions = false, sortOptions = false,
        subcommands = PluginsCommand.class,
        description = "A NATS server written in Java, compatible with the Go nats-server.")
public final class Main implements Callable<Integer> {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;

    @Option(names = {"-a", "--addr", "-addr", "--net", "-net"}, paramLabel = "HOST", description = "Bind to host address (default: 0.0.0.0)")
    String host;

    @Option(names = {"-p", "--port", "-port"}, paramLabel = "PORT", description = "Use port for clients (default: 4222, -1 for random)")
    Integer port;

    @Option(names = {"-n", "--name", "-name", "--server_name", "-server_name"}, paramLabel = "NAME", description = "Server name (default: server id)")
    String serverName;

    @Option(names = {"-P", "--pid", "-pid"}, paramLabel = "FILE", description = "File to store PID")
    Path pidFile;

    @Option(names = {"-m", "--http_port", "-http_port"}, paramLabel = "PORT", description = "Use port for http monitoring")
    Integer httpPort;

    @Option(names = {"-c", "--config", "-config"}, paramLabel = "FILE", description = "Configuration file")
    Path configFile;

    @Option(names = {"-t"}, description = "Test configuration and exit")
    boolean testConfig;

    @Option(names = {"--ports_file_dir", "-ports_file_dir"}, paramLabel = "DIR", description = "Creates a ports file in the specified directory (<executable_name>_<pid>.ports)")
    Path portsFileDir;

    @Option(names = {"-l", "--log", "-log"}, paramLabel = "FILE", description = "File to redirect log output")
    Path logFile;

    @Option(names = {"-T", "--logtime", "-logtime"}, arity = "0..1", fallbackValue = "true", paramLabel = "BOOL", description = "Timestamp log entries (default: true)")
    Boolean logTime;

    @Option(names = {"-D", "--debug", "-debug"}, description = "Enable debugging output")
    boolean debug;

    @Option(names = {"-V", "--trace", "-trace"}, description = "Trace the raw protocol")
    boolean trace;

    @Option(names = {"-DV"}, description = "Debug and trace")
    boolean debugAndTrace;

    @Option(names = {"-VV", "-DVV"}, description = "Verbose trace (traces system account as well)")
    boolean verboseTrace;

    @Option(names = {"--user", "-user"}, paramLabel = "USER", description = "User required for connections")
    String user;

    @Option(names = {"--pass", "-pass"}, paramLabel = "PASSWORD", description = "Password required for connections")
    String pass;

    @Option(names = {"--auth", "-auth"}, paramLabel = "TOKEN", description = "Authorization token required for connections")
    String authToken;

    @Option(names = {"--tls", "-tls"}, arity = "0..1", fallbackValue = "true", paramLabel = "BOOL", description = "Enable TLS, do not verify clients (default: false)")
    Boolean tls;

    @Option(names = {"--tlscert", "-tlscert"}, paramLabel = "FILE", description = "Server certificate file")
    Path tlsCert;

    @Option(names = {"--tlskey", "-tlskey"}, paramLabel = "FILE", description = "Private key for server certificate")
    Path tlsKey;

    @Option(names = {"--tlsverify", "-tlsverify"}, arity = "0..1", fallbackValue = "true", paramLabel = "BOOL", description = "Enable TLS, verify client certificates")
    Boolean tlsVerify;

    @Option(names = {"--tlscacert", "-tlscacert"}, paramLabel = "FILE", description = "Client certificate CA for verification")
    Path tlsCaCert;

    @Option(names = {"-js", "--jetstream", "-jetstream"}, description = "Enable JetStream functionality")
    boolean jetstream;

    /** Accepted for compatibility; used by the JetStream plugin once it exists. */
    @Option(names = {"-sd", "--store_dir", "-store_dir"}, paramLabel = "DIR", description = "Set the storage directory")
    Path storeDir;

    @Option(names = {"--cluster", "-cluster", "--cluster_listen", "-cluster_listen"}, paramLabel = "URL", description = "Cluster URL for solicited routes")
    String clusterListen;

    @Option(names = {"--cluster_name", "-cluster_name"}, paramLabel = "NAME", description = "Cluster Name, if not set one will be dynamically generated")
    String clusterName;

    @Option(names = {"--routes", "-routes"}, paramLabel = "URLS", description = "Routes to solicit and connect")
    String routes;

    @Option(names = {"--signal", "-signal", "-sl"}, paramLabel = "SIGNAL[=PID]", description = "Send signal to nats-server process (ldm, stop, quit, term, reopen, reload)")
    String signal;

    @Option(names = {"--enable"}, split = ",", paramLabel = "IDS", description = "Enable plugins by id, e.g. mqtt,websocket")
    List<String> enable = List.of();

    @Option(names = {"--plugins-dir"}, paramLabel = "DIR", description = "Directory of drop-in plugin jars (default: plugins/ next to the image)")
    Path pluginsDir;

    @Option(names = {"-v", "--version", "-version"}, description = "Show version")
    boolean version;

    @Option(names = {"-h", "--help", "-help"}, usageHelp = true, description = "Show this message")
    boolean help;

    @Override
    public Integer call() throws Exception {
        if (version) {
            System.out.println("nats-server: v" + NatsServer.projectVersion() + " (jnatsd, NATS protocol level 2.9.10)");
            return EXIT_OK;
        }
        if (signal != null) {
            return SignalCommand.send(signal, pidFile);
        }
        ServerOptions options;
        try {
            options = buildOptions();
        } catch (ServerStartException e) {
            System.err.println("nats-server: " + e.getMessage());
            return EXIT_FAILURE;
        }
        if (testConfig) {
            try {
                // The blocks that belong to plugins are checked too: a module must be there to serve each.
                NatsServer.check(options);
            } catch (ServerStartException e) {
                System.err.println("nats-server: " + e.getMessage());
                return EXIT_FAILURE;
            }
            System.out.println("nats-server: configuration file " + configFile + " is valid");
            return EXIT_OK;
        }
        GoStyleLoggerFinder.configure(options.debug(), options.trace(), options.logFile().orElse(null),
                options.logTime());
        Signals signals = Signals.install();
        NatsServer server;
        try {
            server = NatsServer.start(options);
        } catch (ServerStartException e) {
            System.getLogger("nats.cli").log(System.Logger.Level.ERROR, e.getMessage());
            if (options.logFile().isPresent()) {
                // The log goes to a file: say it on the terminal too.
                System.err.println("nats-server: " + e.getMessage());
            }
            return EXIT_FAILURE;
        }
        signals.serving(server, () -> {
            if (configFile == null) {
                throw new ServerStartException("can only reload config when a file is provided using -c or --config");
            }
            return buildOptions();
        });
        server.awaitShutdown();
        return signals.exitCode();
    }

    /** Config file first, then flags on top, as the Go server does. */
    ServerOptions buildOptions() throws ServerStartException {
        ServerOptions options = new ServerOptions();
        if (configFile != null) {
            for (String warning : ConfigFiles.load(configFile, options, false)) {
                System.err.println("nats-server: warning: " + warning);
            }
        }
        if (host != null) {
            options.host(host);
        }
        if (port != null) {
            options.port(port);
        }
        if (serverName != null) {
            options.serverName(serverName);
        }
        if (pidFile != null) {
            options.pidFile(pidFile);
        }
        if (httpPort != null) {
            options.httpPort(httpPort);
        }
        if (portsFileDir != null) {
            options.portsFileDir(portsFileDir);
        }
        if (logFile != null) {
            options.logFile(logFile);
        }
        if (logTime != null) {
            options.logTime(logTime);
        }
        if (debug || debugAndTrace || verboseTrace) {
            options.debug(true);
        }
        if (trace || debugAndTrace || verboseTrace) {
            options.trace(true);
        }
        if (user != null) {
            options.username(user);
        }
        if (pass != null) {
            options.password(pass);
        }
        if (authToken != null) {
            options.authToken(authToken);
        }
        new TlsFlags(tls, tlsVerify, tlsCert, tlsKey, tlsCaCert).applyTo(options);
        if (jetstream) {
            options.enable("jetstream");
        }
        if (clusterListen != null || routes != null || clusterName != null) {
            options.enable("cluster");
        }
        enable.stream().map(String::trim).filter(s -> !s.isEmpty()).forEach(options::enable);
        options.pluginsDir(pluginsDir != null ? pluginsDir : defaultPluginsDir());
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

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setPosixClusteredShortOptionsAllowed(false);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            if (e instanceof IOException || e instanceof ServerStartException) {
                System.err.println("nats-server: " + e.getMessage());
            } else {
                e.printStackTrace(System.err);
            }
            return EXIT_FAILURE;
        });
        return cli.execute(args);
    }
}
