package nats.server.internal.account;

import java.nio.charset.StandardCharsets;

import nats.server.internal.routing.RoutedMessage;

/** Publishes messages the server itself originates (replies to system requests) into an account. */
public final class InternalPublisher {

    private InternalPublisher() {
    }

    /** @return whether anyone received it */
    public static boolean publish(Account account, String subject, String reply, byte[] payload) {
        return publish(account, subject, reply, null, payload);
    }

    /**
     * With a header block ({@code NATS/1.0\r\n...\r\n\r\n}) before the payload, or none when null.
     *
     * @return whether anyone received it
     */
    public static boolean publish(Account account, String subject, String reply, byte[] headers, byte[] payload) {
        byte[] data = payload;
        if (headers != null) {
            data = new byte[headers.length + payload.length];
            System.arraycopy(headers, 0, data, 0, headers.length);
            System.arraycopy(payload, 0, data, headers.length, payload.length);
        }
        RoutedMessage m = message(account, subject, reply, data);
        if (headers != null) {
            m.headerSize = headers.length;
        }
        m.prepareSizes();
        return InboundPipeline.publishOnce(account, m, null);
    }

    private static RoutedMessage message(Account account, String subject, String reply, byte[] payload) {
        RoutedMessage m = new RoutedMessage();
        m.subject = subject.getBytes(StandardCharsets.ISO_8859_1);
        m.subjectLength = m.subject.length;
        m.reply = reply.getBytes(StandardCharsets.ISO_8859_1);
        m.replyLength = m.reply.length;
        m.data = payload;
        m.dataLength = payload.length;
        m.originAccount = account.name();
        return m;
    }
}
