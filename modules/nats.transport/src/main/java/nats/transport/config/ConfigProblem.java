package nats.transport.config;

import java.util.Map;

/**
 * A mistake in a config block, with Go's text, and where it is: the map that holds the offending key. The
 * kernel turns it into Go's {@code file:line:column: message} when it knows where that map was parsed, so a
 * plugin's errors read like the kernel's.
 */
public class ConfigProblem extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Map<String, Object> where;
    private final String key;

    /**
     * @param where the map holding {@code key} (a block of the parsed config), or an empty map when unknown
     * @param key   the offending key in {@code where}
     */
    public ConfigProblem(Map<String, Object> where, String key, String message) {
        super(message);
        this.where = where;
        this.key = key;
    }

    public Map<String, Object> where() {
        return where;
    }

    public String key() {
        return key;
    }
}
