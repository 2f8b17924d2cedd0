package nats.server.conformance;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Makes INFO lines of different servers comparable: fields naming the server instance, its build or the
 * client connection get a placeholder value (the key and its position stay, so their presence is still
 * compared); build-language fields ({@code go}, {@code java}, {@code git_commit}) are dropped. Every other
 * field is kept verbatim and in order.
 */
final class InfoNormalizer {

    private static final Set<String> REPLACED = Set.of("server_id", "server_name", "version", "host", "port",
            "client_id", "client_ip", "nonce");
    private static final Set<String> DROPPED = Set.of("go", "java", "git_commit");

    private InfoNormalizer() {
    }

    /** Rewrites every {@code INFO {...}} line in {@code text}, leaving all other bytes untouched. */
    static String normalizeInfoLines(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            boolean lineStart = i == 0 || text.charAt(i - 1) == '\n';
            if (lineStart && text.startsWith("INFO ", i)) {
                int end = text.indexOf("\r\n", i);
                if (end < 0) {
                    end = text.length();
                }
                String line = text.substring(i, end);
                int brace = line.indexOf('{');
                int close = line.lastIndexOf('}');
                if (brace > 0 && close > brace) {
                    out.append(line, 0, brace);
                    out.append(normalizeJson(line.substring(brace, close + 1)));
                    out.append(line.substring(close + 1));
                } else {
                    out.append(line);
                }
                i = end;
            } else {
                out.append(text.charAt(i));
                i++;
            }
        }
        return out.toString();
    }

    /** Normalises one INFO JSON object; returns the input marked as unparseable when it is not an object. */
    static String normalizeJson(String json) {
        Map<String, String> fields;
        try {
            fields = parseTopLevel(json);
        } catch (IllegalArgumentException e) {
            return "<unparseable INFO JSON: " + json + ">";
        }
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, String> e : fields.entrySet()) {
            if (DROPPED.contains(e.getKey())) {
                continue;
            }
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append('"').append(e.getKey()).append("\":");
            sb.append(REPLACED.contains(e.getKey()) ? "\"<" + e.getKey() + ">\"" : e.getValue());
        }
        return sb.append('}').toString();
    }

    /** Top-level keys (unescaped) mapped to their raw value text, in order. */
    static Map<String, String> parseTopLevel(String json) {
        Map<String, String> out = new LinkedHashMap<>();
        int[] pos = {skipWs(json, 0)};
        expect(json, pos, '{');
        pos[0] = skipWs(json, pos[0]);
        if (peek(json, pos) == '}') {
            return out;
        }
        while (true) {
            pos[0] = skipWs(json, pos[0]);
            int keyStart = pos[0];
            skipString(json, pos);
            String key = json.substring(keyStart + 1, pos[0] - 1);
            pos[0] = skipWs(json, pos[0]);
            expect(json, pos, ':');
            pos[0] = skipWs(json, pos[0]);
            int valueStart = pos[0];
            skipValue(json, pos);
            out.put(key, json.substring(valueStart, pos[0]));
            pos[0] = skipWs(json, pos[0]);
            char c = peek(json, pos);
            pos[0]++;
            if (c == '}') {
                if (skipWs(json, pos[0]) != json.length()) {
                    throw new IllegalArgumentException("trailing characters");
                }
                return out;
            }
            if (c != ',') {
                throw new IllegalArgumentException("expected , or } at " + (pos[0] - 1));
            }
        }
    }

    private static void skipValue(String s, int[] pos) {
        char c = peek(s, pos);
        switch (c) {
            case '"' -> skipString(s, pos);
            case '{', '[' -> {
                char open = c;
                char close = c == '{' ? '}' : ']';
                int depth = 0;
                while (true) {
                    char d = peek(s, pos);
                    if (d == '"') {
                        skipString(s, pos);
                        continue;
                    }
                    pos[0]++;
                    if (d == open) {
                        depth++;
                    } else if (d == close && --depth == 0) {
                        return;
                    }
                }
            }
            default -> {
                int start = pos[0];
                while (pos[0] < s.length() && ",}] \t\r\n".indexOf(s.charAt(pos[0])) < 0) {
                    pos[0]++;
                }
                if (pos[0] == start) {
                    throw new IllegalArgumentException("empty value at " + start);
                }
            }
        }
    }

    private static void skipString(String s, int[] pos) {
        expect(s, pos, '"');
        while (true) {
            char c = peek(s, pos);
            pos[0]++;
            if (c == '\\') {
                pos[0]++;
            } else if (c == '"') {
                return;
            }
        }
    }

    private static void expect(String s, int[] pos, char c) {
        if (peek(s, pos) != c) {
            throw new IllegalArgumentException("expected " + c + " at " + pos[0]);
        }
        pos[0]++;
    }

    private static char peek(String s, int[] pos) {
        if (pos[0] >= s.length()) {
            throw new IllegalArgumentException("unexpected end");
        }
        return s.charAt(pos[0]);
    }

    private static int skipWs(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
