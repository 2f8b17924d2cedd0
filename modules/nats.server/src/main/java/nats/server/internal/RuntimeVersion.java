package nats.server.internal;

import java.util.List;

/** The runtime this server runs on, for Go's "go" field in INFO and /varz ("go1.19.8" there, "java25.0.1" here). */
public final class RuntimeVersion {

    /** A string, as every client and tool that shows the field expects. */
    public static final String TEXT = text();

    private RuntimeVersion() {
    }

    private static String text() {
        StringBuilder sb = new StringBuilder("java");
        List<Integer> parts = Runtime.version().version();
        for (int i = 0; i < parts.size(); i++) {
            sb.append(i == 0 ? "" : ".").append(parts.get(i));
        }
        return sb.toString();
    }
}
