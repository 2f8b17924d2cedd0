package nats.api.messaging;

/**
 * Publishes many messages from one thread and flushes the receivers once per batch, as a network client's
 * reader does per socket read. Not thread-safe: one publisher per thread (or per single-writer agent). Nothing
 * is copied before routing; receivers copy what they keep.
 */
public interface MessagePublisher {

    /**
     * Routes one message.
     *
     * @param subject      subject bytes
     * @param reply        reply subject bytes, or null / empty for none
     * @param data         headers followed by payload
     * @param offset       where headers (or payload) start in {@code data}
     * @param headerLength size of the {@code NATS/1.0} header block, 0 for none
     * @param length       headers plus payload
     * @return whether anyone received it
     */
    boolean publish(byte[] subject, byte[] reply, byte[] data, int offset, int headerLength, int length);

    /** Routes one message without headers. */
    default boolean publish(byte[] subject, byte[] reply, byte[] payload) {
        return publish(subject, reply, payload, 0, 0, payload.length);
    }

    /**
     * Routes one message on {@code routeSubject} while receivers see {@code shownSubject} as its subject (Go's
     * {@code pa.deliver}): JetStream delivers a stored message to a consumer's deliver subject or a pull
     * request's inbox under the message's own subject.
     *
     * @return whether anyone received it
     */
    boolean deliver(byte[] routeSubject, byte[] shownSubject, byte[] reply, byte[] data, int offset, int headerLength,
                    int length);

    /** Wakes the receivers of what was published since the last flush, so it leaves in few writes. */
    void flush();
}
