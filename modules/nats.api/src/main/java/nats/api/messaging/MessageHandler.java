package nats.api.messaging;

/** Receives messages for an in-process subscription. */
@FunctionalInterface
public interface MessageHandler {

    /** Called on the connection's dispatcher thread; must not block for long. */
    void onMessage(Message message);
}
