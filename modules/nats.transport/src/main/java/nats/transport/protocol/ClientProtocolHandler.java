package nats.transport.protocol;

/**
 * Receives the operations a client sends, as the {@link ClientProtocolParser} recognises them. Byte ranges
 * point into buffers the parser reuses: copy what must outlive the call.
 */
public interface ClientProtocolHandler {

    /** Whether operations other than CONNECT may arrive now (false while authentication is pending). */
    boolean acceptsOperationsBeforeConnect();

    /** A CONNECT with its JSON argument. */
    void onConnect(byte[] buf, int off, int len) throws ProtocolException;

    /**
     * The control line of a PUB or HPUB was parsed; the payload follows. Checks such as the maximum
     * payload belong here.
     */
    void onPublishArgs(PubArgs args) throws ProtocolException;

    /** A complete message: header block (if any) and payload, without the final CRLF. */
    void onMessage(PubArgs args, byte[] buf, int off, int len) throws ProtocolException;

    /** A SUB with its raw argument line ({@code subject [queue] sid}). */
    void onSubscribe(byte[] buf, int off, int len) throws ProtocolException;

    /** An UNSUB with its raw argument line ({@code sid [max]}). */
    void onUnsubscribe(byte[] buf, int off, int len) throws ProtocolException;

    void onPing() throws ProtocolException;

    void onPong() throws ProtocolException;

    /** An INFO sent by the peer (clients may send one; it is ignored by the client path). */
    default void onInfo(byte[] buf, int off, int len) throws ProtocolException {
    }

    /** A {@code -ERR} sent by the peer; the Go server closes a client connection that sends one. */
    void onError(byte[] buf, int off, int len) throws ProtocolException;
}
