package nats.server.internal.client;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import nats.server.internal.routing.RoutedMessage;
import nats.server.internal.routing.ServerSubscription;
import nats.transport.protocol.PubArgs;

/** Protocol tracing ({@code -V}) of one connection, in the Go server's format; exists only when tracing is on. */
final class ProtocolTrace {

    private static final System.Logger LOG = System.getLogger(ClientConnection.class.getName());
    private static final Pattern PASSWORD =
            Pattern.compile("(\"(?:pass|auth_token|sig)\"\\s*:\\s*\")[^\"]*(\")");

    private final ClientConnection connection;

    ProtocolTrace(ClientConnection connection) {
        this.connection = connection;
    }

    void in(String op) {
        LOG.log(System.Logger.Level.TRACE, "{0} - <<- [{1}]", connection.tracePrefix(), op);
    }

    void out(String op) {
        LOG.log(System.Logger.Level.TRACE, "{0} - ->> [{1}]", connection.tracePrefix(), op);
    }

    /** CONNECT with passwords, tokens and signatures redacted, as Go traces it. */
    void connect(String json) {
        in("CONNECT " + PASSWORD.matcher(json).replaceAll("$1[REDACTED]$2"));
    }

    void publishArgs(PubArgs args) {
        in((args.hasHeaders() ? "HPUB " : "PUB ") + args.subject()
                + (args.replyLength() > 0 ? " " + args.reply() : "")
                + (args.hasHeaders() ? " " + args.headerSize() : "") + " " + args.totalSize());
    }

    void payload(byte[] buf, int off, int len) {
        LOG.log(System.Logger.Level.TRACE, "{0} - <<- MSG_PAYLOAD: [\"{1}\"]", connection.tracePrefix(),
                escape(new String(buf, off, len, StandardCharsets.UTF_8)));
    }

    void delivered(ServerSubscription sub, RoutedMessage m, boolean stripHeaders, int replySkip) {
        boolean headers = m.hasHeaders() && !stripHeaders;
        out((headers ? "HMSG " : "MSG ") + m.subjectString() + " " + sub.sidString()
                + (m.hasReply() ? " " + m.replyString().substring(replySkip) : "")
                + (headers ? " " + m.headerSize : "") + " "
                + (stripHeaders ? m.dataLength - m.headerSize : m.dataLength));
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "\\r").replace("\n", "\\n");
    }
}
