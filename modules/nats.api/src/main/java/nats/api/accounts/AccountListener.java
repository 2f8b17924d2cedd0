package nats.api.accounts;

/**
 * Told about accounts appearing, changing and going. Calls come from kernel threads in the order the changes
 * happen; a listener must not block for long.
 */
public interface AccountListener {

    /** An account was loaded (or existed when the listener registered). */
    void added(PluginAccount account);

    /** An account's configuration or JWT changed (a reload or a JWT push); its settings may differ now. */
    default void updated(PluginAccount account) {
    }

    /** An account was removed (a deleted JWT or a reload without it). */
    default void removed(PluginAccount account) {
    }

    /** A listener's registration. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
