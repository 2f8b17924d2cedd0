package nats.api.links;

/**
 * Injects what a link received into this server, as the link's kind of origin ({@link Link#kind()}): the
 * message is routed in its account to the local subscribers, with its reply subject intact, and to other
 * links only as their {@link Link#forwards} rules allow. No subject mapping or permission applies again: the
 * sending server applied them. Queue groups receive it only when the message names them; then one local
 * member of each named group gets it.
 *
 * <p>Not thread-safe: one publisher per reading thread. Nothing is copied; receivers copy what they keep.
 */
public interface LinkPublisher {

    /**
     * Routes one message.
     *
     * @return whether anyone received it; false also when its account is not known here
     */
    boolean publish(LinkMessage message);

    /** Wakes the receivers of what was published since the last flush (once per read). */
    void flush();
}
