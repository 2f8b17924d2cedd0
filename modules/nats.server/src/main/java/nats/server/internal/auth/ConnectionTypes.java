package nats.server.internal.auth;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The connection types a user may connect with (Go's {@code allowed_connection_types} / JWT
 * {@code allowed_connection_types}): STANDARD, WEBSOCKET, LEAFNODE, LEAFNODE_WS, MQTT, MQTT_WS.
 */
public final class ConnectionTypes {

    public static final String STANDARD = "STANDARD";
    private static final Set<String> KNOWN = Set.of(STANDARD, "WEBSOCKET", "LEAFNODE", "LEAFNODE_WS", "MQTT", "MQTT_WS");

    private ConnectionTypes() {
    }

    /** The known types among {@code names}, upper-cased. */
    public static Set<String> known(List<String> names) {
        Set<String> out = new LinkedHashSet<>();
        for (String n : names) {
            String u = n.toUpperCase(Locale.ROOT);
            if (KNOWN.contains(u)) {
                out.add(u);
            }
        }
        return out;
    }

    /** Go's "invalid connection types [...]" text, or null when all are known. */
    public static String invalid(List<String> names) {
        List<String> unknown = new ArrayList<>();
        for (String n : names) {
            if (!KNOWN.contains(n.toUpperCase(Locale.ROOT))) {
                unknown.add("\"" + n.toUpperCase(Locale.ROOT) + "\"");
            }
        }
        return unknown.isEmpty() ? null : "invalid connection types [" + String.join(" ", unknown) + "]";
    }

    /**
     * Whether a client of Go's type {@code clientType} ({@code nats}, {@code websocket}, {@code mqtt}) may
     * connect: no list means any type; a list with only unknown types allows nothing (Go's reasoning: the
     * intent was to restrict).
     */
    public static boolean allows(List<String> names, String clientType) {
        return names.isEmpty() || known(names).contains(connectionType(clientType));
    }

    /** The connection type Go checks for a client type. */
    static String connectionType(String clientType) {
        return switch (clientType) {
            case "websocket" -> "WEBSOCKET";
            case "mqtt" -> "MQTT";
            case "mqtt_ws" -> "MQTT_WS";
            case "leafnode" -> "LEAFNODE";
            default -> STANDARD;
        };
    }
}
