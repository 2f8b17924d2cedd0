package nats.transport.protocol;

/**
 * Receives what another server sends over a route (or a gateway, which speaks the same protocol), as the
 * {@link RouteProtocolParser} recognises it. Byte ranges point into buffers the parser reuses: copy what
 * must outlive the call.
 */
public interface RouteProtocolHandler {

    /** {@code INFO} with its JSON. */
    void onInfo(byte[] buf, int off, int len) throws ProtocolException;

    /** {@code CONNECT} with its JSON. */
    void onConnect(byte[] buf, int off, int len) throws ProtocolException;

    void onPing() throws ProtocolException;

    void onPong() throws ProtocolException;

    /** {@code -ERR} with its text (quotes included, as sent). */
    void onError(byte[] buf, int off, int len) throws ProtocolException;

    /** {@code RS+ account subject [queue weight]}: the raw arguments. */
    void onSubscribe(byte[] buf, int off, int len) throws ProtocolException;

    /** {@code RS- account subject [queue]}: the raw arguments. */
    void onUnsubscribe(byte[] buf, int off, int len) throws ProtocolException;

    /**
     * {@code LS+ origin account subject [queue weight]} on a route (Go 2.9's leafnode origin cluster, sent only to
     * a peer whose INFO announced {@code lnoc}): interest a hub holds for a leaf node of cluster {@code origin}.
     */
    default void onOriginSubscribe(byte[] buf, int off, int len) throws ProtocolException {
        throw ProtocolException.fatal("Unknown Protocol Operation", "LS+ on this connection");
    }

    /**
     * {@code A+ account}: a gateway's peer has interest in the account again. Routes do not speak it.
     *
     * (gateways only)
     */
    default void onAccountSubscribe(byte[] buf, int off, int len) throws ProtocolException {
        throw ProtocolException.fatal("Unknown Protocol Operation", "A+ on a route");
    }

    /** {@code A- account}: a gateway's peer has no interest in the account. Routes do not speak it. */
    default void onAccountUnsubscribe(byte[] buf, int off, int len) throws ProtocolException {
        throw ProtocolException.fatal("Unknown Protocol Operation", "A- on a route");
    }

    /**
     * A complete {@code RMSG} or {@code HMSG}: headers (if any) and payload in {@code buf}, without the final
     * CRLF; {@code args} valid during the call.
     */
    void onMessage(RoutedMessageArgs args, byte[] buf, int off, int len) throws ProtocolException;
}
