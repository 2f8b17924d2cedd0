package nats.cli;

import static nats.cli.FlagSpec.Kind.HELP;
import static nats.cli.FlagSpec.Kind.INT;
import static nats.cli.FlagSpec.Kind.LIST;
import static nats.cli.FlagSpec.Kind.LONG;
import static nats.cli.FlagSpec.Kind.OPTIONAL_BOOLEAN;
import static nats.cli.FlagSpec.Kind.PATH;
import static nats.cli.FlagSpec.Kind.STRING;
import static nats.cli.FlagSpec.Kind.SWITCH;

import java.util.ArrayList;
import java.util.List;

/**
 * The flags of {@code nats-server}: the Go server's spellings (each with one and two dashes, as Go's flag
 * package accepts both) and jnatsd's own ({@code --enable}, {@code --plugins-dir}). Flags that set a value in
 * a plugin's config section are in {@link SectionFlags}; {@link #ALL} lists both in help order.
 */
final class ServerFlags {

    static final FlagSpec HOST = FlagSpec.of(STRING, "HOST", "Bind to host address (default: 0.0.0.0)",
            "-a", "--addr", "-addr", "--net", "-net");
    static final FlagSpec PORT = FlagSpec.of(INT, "PORT", "Use port for clients (default: 4222, -1 for random)",
            "-p", "--port", "-port");
    static final FlagSpec NAME = FlagSpec.of(STRING, "NAME", "Server name (default: server id)",
            "-n", "--name", "-name", "--server_name", "-server_name");
    static final FlagSpec PID_FILE = FlagSpec.of(PATH, "FILE", "File to store PID", "-P", "--pid", "-pid");
    static final FlagSpec HTTP_PORT = FlagSpec.of(INT, "PORT", "Use port for http monitoring",
            "-m", "--http_port", "-http_port");
    static final FlagSpec HTTPS_PORT = FlagSpec.of(INT, "PORT", "Use port for https monitoring",
            "-ms", "--https_port", "-https_port");
    static final FlagSpec CONFIG = FlagSpec.of(PATH, "FILE", "Configuration file", "-c", "--config", "-config");
    static final FlagSpec TEST_CONFIG = FlagSpec.of(SWITCH, "", "Test configuration and exit", "-t");
    static final FlagSpec PORTS_FILE_DIR = FlagSpec.of(PATH, "DIR",
            "Creates a ports file in the specified directory (<executable_name>_<pid>.ports)",
            "--ports_file_dir", "-ports_file_dir");
    static final FlagSpec LOG_FILE = FlagSpec.of(PATH, "FILE", "File to redirect log output", "-l", "--log", "-log");
    static final FlagSpec LOG_TIME = FlagSpec.of(OPTIONAL_BOOLEAN, "BOOL", "Timestamp log entries (default: true)",
            "-T", "--logtime", "-logtime");
    static final FlagSpec LOG_TIME_UTC = FlagSpec.of(SWITCH, "", "Timestamps in UTC instead of local time",
            "--logtime_utc", "-logtime_utc");
    static final FlagSpec LOG_SIZE_LIMIT = FlagSpec.of(LONG, "BYTES", "Rotate the log file past this size "
            + "(default: no rotation)", "--log_size_limit", "-log_size_limit");
    static final FlagSpec SYSLOG = FlagSpec.of(SWITCH, "", "Log to syslog", "-s", "--syslog", "-syslog");
    static final FlagSpec REMOTE_SYSLOG = FlagSpec.of(STRING, "ADDR",
            "Syslog server address (udp://localhost:514)", "-r", "--remote_syslog", "-remote_syslog");
    static final FlagSpec DEBUG = FlagSpec.of(SWITCH, "", "Enable debugging output", "-D", "--debug", "-debug");
    static final FlagSpec TRACE = FlagSpec.of(SWITCH, "", "Trace the raw protocol", "-V", "--trace", "-trace");
    static final FlagSpec DEBUG_AND_TRACE = FlagSpec.of(SWITCH, "", "Debug and trace", "-DV");
    static final FlagSpec VERBOSE_TRACE = FlagSpec.of(SWITCH, "", "Verbose trace (traces system account as well)",
            "-VV", "-DVV");
    static final FlagSpec USER = FlagSpec.of(STRING, "USER", "User required for connections", "--user", "-user");
    static final FlagSpec PASS = FlagSpec.of(STRING, "PASSWORD", "Password required for connections", "--pass", "-pass");
    static final FlagSpec AUTH = FlagSpec.of(STRING, "TOKEN", "Authorization token required for connections",
            "--auth", "-auth");
    static final FlagSpec TLS = FlagSpec.of(OPTIONAL_BOOLEAN, "BOOL", "Enable TLS, do not verify clients (default: false)",
            "--tls", "-tls");
    static final FlagSpec TLS_CERT = FlagSpec.of(PATH, "FILE", "Server certificate file", "--tlscert", "-tlscert");
    static final FlagSpec TLS_KEY = FlagSpec.of(PATH, "FILE", "Private key for server certificate", "--tlskey", "-tlskey");
    static final FlagSpec TLS_VERIFY = FlagSpec.of(OPTIONAL_BOOLEAN, "BOOL", "Enable TLS, verify client certificates",
            "--tlsverify", "-tlsverify");
    static final FlagSpec TLS_CA_CERT = FlagSpec.of(PATH, "FILE", "Client certificate CA for verification",
            "--tlscacert", "-tlscacert");
    static final FlagSpec SIGNAL = FlagSpec.of(STRING, "SIGNAL[=PID]",
            "Send signal to nats-server process (ldm, stop, quit, term, reopen, reload)", "--signal", "-signal", "-sl");
    static final FlagSpec ENABLE = FlagSpec.of(LIST, "IDS", "Enable plugins by id, e.g. mqtt,websocket", "--enable");
    static final FlagSpec PLUGINS_DIR = FlagSpec.of(PATH, "DIR",
            "Directory of drop-in plugin jars (default: plugins/ next to the image)", "--plugins-dir");
    static final FlagSpec VERSION = FlagSpec.of(SWITCH, "", "Show version", "-v", "--version", "-version");
    static final FlagSpec HELP_FLAG = FlagSpec.of(HELP, "", "Show this message", "-h", "--help", "-help");

    /** Every flag, in the order the help text lists them. */
    static final List<FlagSpec> ALL = all();

    private ServerFlags() {
    }

    private static List<FlagSpec> all() {
        List<FlagSpec> all = new ArrayList<>(List.of(HOST, PORT, NAME, PID_FILE, HTTP_PORT, HTTPS_PORT, CONFIG,
                TEST_CONFIG, PORTS_FILE_DIR, LOG_FILE, LOG_TIME, LOG_TIME_UTC, LOG_SIZE_LIMIT, SYSLOG, REMOTE_SYSLOG,
                DEBUG, TRACE, DEBUG_AND_TRACE, VERBOSE_TRACE, USER, PASS, AUTH, TLS, TLS_CERT, TLS_KEY, TLS_VERIFY,
                TLS_CA_CERT));
        SectionFlags.ALL.forEach(f -> all.add(f.flag()));
        all.addAll(List.of(SIGNAL, ENABLE, PLUGINS_DIR, VERSION, HELP_FLAG));
        return List.copyOf(all);
    }
}
