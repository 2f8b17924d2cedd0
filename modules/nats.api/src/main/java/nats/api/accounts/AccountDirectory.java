package nats.api.accounts;

import java.util.Collection;
import java.util.Optional;

/**
 * The server's accounts. In operator mode accounts appear as their JWTs are first used or pushed, change when
 * an updated JWT arrives and go when deleted; configured accounts change on reload. A plugin that serves
 * something in every account (JetStream's {@code $JS.API.>}) registers a listener and is told about each.
 */
public interface AccountDirectory {

    /** The global account {@code $G}. */
    PluginAccount global();

    /** The system account, when one is configured (or implied). */
    Optional<PluginAccount> system();

    /** A loaded account by name. */
    Optional<PluginAccount> find(String name);

    /** The accounts loaded now. */
    Collection<PluginAccount> all();

    /**
     * Registers {@code listener}; it is told at once about every account loaded now ({@link
     * AccountListener#added}), then about changes as they happen.
     */
    AccountListener.Registration listen(AccountListener listener);
}
