package nats.server.internal.account;

import java.nio.charset.StandardCharsets;

import nats.server.internal.routing.RoutedMessage;

/** Publishes messages the server itself originates (replies to system requests) into an account. */
public final class InternalPublisher {

    private InternalPublisher() {
    }

    /** @return whether anyone received it */
    public static boolean publish(Account account, String subject, String reply, byte[] payload) {
        RoutedMessage m = new RoutedMessage();
        m.subject = subject.getBytes(StandardCharsets.ISO_8859_1);
        m.subjectLength = m.subject.length;
        m.reply = reply.getBytes(StandardCharsets.ISO_8859_1);
        m.replyLength = m.reply.length;
        m.data = payload;
        m.dataLength = payload.length;
        m.originAccount = account.name();
        m.prepareSizes();
        return InboundPipeline.publishOnce(account, m, null);
    }
}
