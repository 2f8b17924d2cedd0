package nats.gateway.testing;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import nats.api.ApiRange;
import nats.api.ServerContext;
import nats.api.ServerPlugin;
import nats.api.messaging.InternalConnection;
import nats.api.messaging.Message;

/**
 * An in-process subscriber for gateway tests (enabled by a {@code reply_echo {}} block): it answers each request on
 * {@code internal.echo} with the reply subject it was shown as the payload, published from a second in-process
 * connection of the account (Go keeps gateway replies per account, not per internal client).
 */
public final class ReplyEchoPlugin implements ServerPlugin {

    private InternalConnection requests;
    private InternalConnection answers;

    @Override
    public String id() {
        return "reply-echo";
    }

    @Override
    public ApiRange requiredApi() {
        return ApiRange.atLeast("2.1");
    }

    @Override
    public Optional<String> configSection() {
        return Optional.of("reply_echo");
    }

    @Override
    public void start(ServerContext context) {
        requests = context.connect("reply-echo-requests");
        answers = context.connect("reply-echo-answers");
        requests.subscribe("internal.echo", m -> answers.publish(new Message(m.replyTo(), "", new byte[0],
                m.replyTo().getBytes(StandardCharsets.ISO_8859_1))));
    }

    @Override
    public void stop() {
        if (requests != null) {
            requests.close();
            answers.close();
        }
    }
}
