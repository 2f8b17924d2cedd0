package nats.mqtt.internal.codec;

/**
 * Go's translation between MQTT topics and NATS subjects (mqtt.go, 2.10): {@code /} separates levels as
 * {@code .} does, {@code +} and {@code #} are {@code *} and {@code >}; an empty level keeps a {@code /} in the
 * subject ({@code /foo} is {@code /.foo}, {@code foo//bar} is {@code foo./.bar}, {@code foo/} is {@code foo./});
 * a {@code .} in a topic becomes {@code //}; a space is refused. The reverse undoes exactly this.
 */
public final class Topics {

    private Topics() {
    }

    /** Converts a PUBLISH topic name (no wildcards allowed) to a subject. */
    public static byte[] toPublishSubject(byte[] topic, int offset, int length) throws MqttException {
        return toSubject(topic, offset, length, false);
    }

    /** Converts a SUBSCRIBE topic filter to a subject (wildcards become NATS wildcards). */
    public static byte[] toFilterSubject(byte[] filter, int offset, int length) throws MqttException {
        return toSubject(filter, offset, length, true);
    }

    private static byte[] toSubject(byte[] mt, int offset, int length, boolean wildcards) throws MqttException {
        // A converted subject is at most twice as long, plus a final '/'.
        byte[] res = new byte[length * 2 + 1];
        int j = 0;
        int end = offset + length - 1;
        for (int i = offset; i <= end; i++) {
            byte c = mt[i];
            switch (c) {
                case '/' -> {
                    if (i == offset || res[j - 1] == '.') {
                        res[j++] = '/';
                        res[j++] = '.';
                    } else if (i == end || mt[i + 1] == '/') {
                        res[j++] = '.';
                        res[j++] = '/';
                    } else {
                        res[j++] = '.';
                    }
                }
                case ' ' -> throw new MqttException("character ' ' not supported for MQTT topics");
                case '.' -> {
                    res[j++] = '/';
                    res[j++] = '/';
                }
                case '+', '#' -> {
                    if (!wildcards) {
                        throw new MqttException("wildcards not allowed in publish's topic: "
                                + GoQuote.quote(mt, offset, length));
                    }
                    res[j++] = (byte) (c == '+' ? '*' : '>');
                }
                default -> res[j++] = c;
            }
        }
        if (j > 0 && res[j - 1] == '.') {
            res[j++] = '/';
        }
        return java.util.Arrays.copyOf(res, j);
    }

    /** The length {@link #writeTopic} will write for a subject. */
    public static int topicLength(byte[] subject, int offset, int length) {
        int n = 0;
        int end = offset + length - 1;
        for (int i = offset; i <= end; i++) {
            byte c = subject[i];
            if (c == '/') {
                if (i < end && (subject[i + 1] == '.' || subject[i + 1] == '/')) {
                    n++;
                    i++;
                }
            } else {
                n++;
            }
        }
        return n;
    }

    /**
     * Writes the MQTT topic of a subject into {@code out} at {@code at} (Go's natsSubjectToMQTTTopic); returns
     * the position after it. A {@code /} that is not followed by {@code .} or {@code /} is dropped, as in Go.
     */
    public static int writeTopic(byte[] subject, int offset, int length, byte[] out, int at) {
        int j = at;
        int end = offset + length - 1;
        for (int i = offset; i <= end; i++) {
            byte c = subject[i];
            switch (c) {
                case '/' -> {
                    if (i < end) {
                        byte next = subject[i + 1];
                        if (next == '.') {
                            out[j++] = '/';
                            i++;
                        } else if (next == '/') {
                            out[j++] = '.';
                            i++;
                        }
                    }
                }
                case '.' -> out[j++] = '/';
                default -> out[j++] = c;
            }
        }
        return j;
    }

    /** The MQTT topic of a subject, as a new array. */
    public static byte[] toTopic(byte[] subject) {
        byte[] out = new byte[topicLength(subject, 0, subject.length)];
        writeTopic(subject, 0, subject.length, out, 0);
        return out;
    }

    /** Whether a filter subject ends with {@code .>} after at least one level: it also needs its parent level. */
    public static boolean needsParentLevel(String subject) {
        int n = subject.length();
        return n >= 3 && subject.charAt(n - 2) == '.' && subject.charAt(n - 1) == '>';
    }

    /**
     * Whether a filter subject starts with a wildcard ({@code >}, {@code *} or {@code *.}): it must not match
     * topics starting with {@code $} [MQTT-4.7.2-1].
     */
    public static boolean isReservedFilter(String subject) {
        int n = subject.length();
        if (n == 1) {
            return subject.charAt(0) == '>' || subject.charAt(0) == '*';
        }
        return n > 1 && subject.charAt(0) == '*' && subject.charAt(1) == '.';
    }

    /** Go's %q for the bytes of a topic, for error texts. */
    static final class GoQuote {
        private GoQuote() {
        }

        static String quote(byte[] b, int offset, int length) {
            String s = new String(b, offset, length, java.nio.charset.StandardCharsets.UTF_8);
            StringBuilder out = new StringBuilder(s.length() + 2).append('"');
            s.codePoints().forEach(cp -> {
                switch (cp) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> {
                        if (cp < 0x20 || cp == 0x7f) {
                            out.append(String.format("\\x%02x", cp));
                        } else {
                            out.appendCodePoint(cp);
                        }
                    }
                }
            });
            return out.append('"').toString();
        }
    }
}
