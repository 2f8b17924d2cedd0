package nats.transport.protocol;

import java.nio.charset.StandardCharsets;

/**
 * The interest lines servers send each other: {@code RS+}/{@code RS-} on routes and gateways (with the account),
 * {@code LS+}/{@code LS-} on leaf connections (the account is the connection's). A queue subscription adds its
 * group, and its weight when interest is added.
 */
public final class InterestLine {

    private InterestLine() {
    }

    /**
     * @param kind    {@code "RS"} or {@code "LS"}
     * @param account the account, or null where the connection binds it (leaf nodes)
     * @param subject the subject
     * @param queue   the queue group, or null for a plain subscription
     * @param weight  above 0 adds interest (with that queue weight), otherwise removes it
     */
    public static byte[] encode(String kind, String account, String subject, String queue, int weight) {
        StringBuilder line = new StringBuilder(8 + (account == null ? 0 : account.length() + 1) + subject.length()
                + (queue == null ? 0 : queue.length() + 12));
        line.append(kind).append(weight > 0 ? "+ " : "- ");
        if (account != null) {
            line.append(account).append(' ');
        }
        line.append(subject);
        if (queue != null) {
            line.append(' ').append(queue);
            if (weight > 0) {
                line.append(' ').append(weight);
            }
        }
        return line.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }
}
