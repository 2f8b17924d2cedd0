package nats.server;

/**
 * A plugin the kernel found, as {@code nats-server plugins} lists it.
 *
 * @param id      the plugin id used by {@code --enable}
 * @param version the plugin's own version (from its module descriptor)
 * @param module  the JPMS module providing it
 * @param origin  {@code built-in}, or {@code drop-in (<jar>)} for plugins loaded from the plugins directory
 * @param enabled whether the current options switch it on
 */
public record PluginInfo(String id, String version, String module, String origin, boolean enabled) {
}
