package nats.api;

/** Thrown by a plugin that refuses to start; the message is shown to the operator as the reason. */
public class PluginException extends Exception {

    public PluginException(String message) {
        super(message);
    }

    public PluginException(String message, Throwable cause) {
        super(message, cause);
    }
}
