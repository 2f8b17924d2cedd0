package nats.example.echo;

import nats.api.ApiRange;
import nats.api.messaging.InternalConnection;
import nats.api.messaging.Message;
import nats.api.PluginException;
import nats.api.ServerContext;
import nats.api.ServerPlugin;

/**
 * Replies to each request on {@code $EXAMPLE.echo} with the request's payload, prefixed by the server name
 * when {@code example_echo { prefix: true }} is configured.
 */
public final class EchoPlugin implements ServerPlugin {

    /** The subject the plugin answers on. */
    public static final String SUBJECT = "$EXAMPLE.echo";

    private InternalConnection connection;

    @Override
    public String id() {
        return "example-echo";
    }

    @Override
    public ApiRange requiredApi() {
        return ApiRange.atLeast("2.0");
    }

    @Override
    public java.util.Optional<String> configSection() {
        return java.util.Optional.of("example_echo");
    }

    /** A dropped-in plugin is meant to run: dropping the jar in is the operator's way of enabling it. */
    @Override
    public boolean enabledByDefault() {
        return true;
    }

    @Override
    public void start(ServerContext context) throws PluginException {
        boolean prefix = Boolean.TRUE.equals(context.configSection().get("prefix"));
        String serverName = context.identity().serverName();
        connection = context.connect("echo");
        connection.subscribe(SUBJECT, request -> {
            if (!request.hasReplyTo()) {
                return;
            }
            byte[] body = request.payload();
            if (prefix) {
                byte[] head = (serverName + ": ").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                byte[] joined = new byte[head.length + body.length];
                System.arraycopy(head, 0, joined, 0, head.length);
                System.arraycopy(body, 0, joined, head.length, body.length);
                body = joined;
            }
            connection.publish(new Message(request.replyTo(), "", Message.NO_HEADERS, body));
        });
        context.logger().log(System.Logger.Level.INFO, "answering requests on " + SUBJECT);
    }

    @Override
    public void stop() {
        if (connection != null) {
            connection.close();
        }
    }
}
